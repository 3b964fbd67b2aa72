-- 006_stories: articles grouped into stories (the same event across outlets; issue 10).
--
-- A story's state is what the online clusterer keeps of it (links/stories.py Story): its
-- centroid and entity vectors as JSON, its size and days; label_seq is its most central
-- article, whose headline names it. story_terms is the inverted index a new article's
-- candidate stories are found through; story_df the document frequency of every term
-- (the clusterer's IDF), counted as articles arrive.
CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    size       INTEGER NOT NULL,
    first_day  REAL,
    last_day   REAL,
    label_seq  INTEGER,
    state      TEXT NOT NULL
);
CREATE INDEX stories_size ON stories (size DESC, id);

CREATE TABLE story_terms (
    term  INTEGER NOT NULL,
    story INTEGER NOT NULL,
    PRIMARY KEY (term, story)
) WITHOUT ROWID;
-- No index by story: a story's own terms are read from its state (archive/stories.py).

CREATE TABLE story_df (
    term INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
);

-- Scalar state: the number of articles counted in story_df, the next story id.
CREATE TABLE story_meta (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO story_meta (name, value) VALUES ('documents', 0), ('next_id', 1);

-- The story an article is in, its centrality there, and its place in the stories' input
-- order (`stories --rebuild` replays articles in this order).
ALTER TABLE articles ADD COLUMN story INTEGER;
ALTER TABLE articles ADD COLUMN centrality REAL;
ALTER TABLE articles ADD COLUMN story_order INTEGER;
CREATE INDEX articles_story ON articles (story, published) WHERE story IS NOT NULL;
