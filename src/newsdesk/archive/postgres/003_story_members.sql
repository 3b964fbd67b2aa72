-- The pair of SQLite's 009_story_members (the reasons are there): member vectors and their
-- postings replace the centroid index; stories computed before are cleared and marked
-- stale until `newsdesk stories --rebuild`.
CREATE TABLE story_members (
    seq bigint PRIMARY KEY,
    day double precision,
    vec bytea NOT NULL
);

CREATE TABLE story_postings (
    term bigint NOT NULL,
    week bigint NOT NULL,
    seq  bigint NOT NULL,
    PRIMARY KEY (term, week, seq)
);

DROP TABLE story_terms;
DELETE FROM stories;
DELETE FROM story_df;
UPDATE articles SET story = NULL, centrality = NULL WHERE story IS NOT NULL;
UPDATE story_meta SET value = CASE name WHEN 'next_id' THEN 1 ELSE 0 END WHERE name <> 'next_order';
INSERT INTO story_meta (name, value) SELECT 'stale', count(*) FROM (SELECT 1 FROM articles LIMIT 1) AS any_article;
