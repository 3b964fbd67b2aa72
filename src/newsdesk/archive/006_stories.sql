-- 006_stories: articles grouped into stories (the same event across outlets; issue 10).
--
-- A story's state is what the online clusterer keeps of it (links/stories.py Story): its
-- centroid and entity vectors, its size and days; label_seq is its most central
-- article, whose headline names it; state is a blob (archive/stories.py _dump). story_terms is the inverted index a new article's
-- candidate stories are found through; story_df the document frequency of every term
-- (the clusterer's IDF), counted as articles arrive.
CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    size       INTEGER NOT NULL,
    first_day  REAL,
    last_day   REAL,
    label_seq  INTEGER,
    state      BLOB NOT NULL
);
CREATE INDEX stories_size ON stories (size DESC, id);

-- Postings carry the week of the story's last article (a story without dates: 2**31, so it
-- is never out of range): a new article's candidates are read from the recent weeks of
-- each of its terms only, not from every story that ever used the term.
CREATE TABLE story_terms (
    term  INTEGER NOT NULL,
    week  INTEGER NOT NULL,
    story INTEGER NOT NULL,
    PRIMARY KEY (term, week, story)
) WITHOUT ROWID;

CREATE TABLE story_df (
    term INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
);

-- Scalar state: the number of articles counted in story_df, the next story id, the next
-- place in the stories' input order.
CREATE TABLE story_meta (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO story_meta (name, value) VALUES ('documents', 0), ('next_id', 1), ('next_order', 1);

-- The story an article is in, its centrality there, and its place in the stories' input
-- order (`stories --rebuild` replays articles in this order).
ALTER TABLE articles ADD COLUMN story INTEGER;
ALTER TABLE articles ADD COLUMN centrality REAL;
ALTER TABLE articles ADD COLUMN story_order INTEGER;
CREATE INDEX articles_story ON articles (story, published) WHERE story IS NOT NULL;
