-- 009_story_members: stories by local re-clustering (links/stories.py), not by centroids.
--
-- A story is no longer a centroid that articles join for good: each clustered article
-- keeps its member vector (its 64 heaviest TF-IDF word and entity weights, 1 KB), and a
-- new article is clustered again, complete-link, with the stories of its best neighbours,
-- so stories merge and split. story_postings is the inverted index those neighbours are
-- found through, by week of the member's day (an undated member: 2**31). The centroid
-- index goes; a story's row keeps its size, days and label (state is no longer read).
--
-- Stories computed before this migration cannot be continued (their members have no
-- vectors): they are cleared, and 'stale' tells `newsdesk stories` to ask for
-- `newsdesk stories --rebuild`, which recomputes them all in their original order.
CREATE TABLE story_members (
    seq INTEGER PRIMARY KEY,
    day REAL,
    vec BLOB NOT NULL
);

CREATE TABLE story_postings (
    term INTEGER NOT NULL,
    week INTEGER NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (term, week, seq)
) WITHOUT ROWID;

DROP TABLE story_terms;
DELETE FROM stories;
DELETE FROM story_df;
UPDATE articles SET story = NULL, centrality = NULL WHERE story IS NOT NULL;
UPDATE story_meta SET value = CASE name WHEN 'next_id' THEN 1 ELSE 0 END WHERE name <> 'next_order';
INSERT INTO story_meta (name, value) SELECT 'stale', count(*) > 0 FROM (SELECT 1 FROM articles LIMIT 1) AS any_article;
