-- 005_links: the duplicate stage's index and its links (issue 10).
--
-- link_bands / link_prints are the candidate index: each article's LSH band keys (near
-- copies) and winnowed passage fingerprints (reused passages), keyed for lookup. Keys are
-- signed 64-bit hashes (links/signals.py); (key, seq) is the primary key, so a lookup is
-- one index range and no rowid table is kept beside it.
CREATE TABLE link_bands (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID;

CREATE TABLE link_prints (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID;

-- A confirmed link: `article` copies (kind 'copy') or reuses passages of (kind 'partial')
-- `source`, the earlier of the two. `similarity` is the word 5-gram Jaccard, `shared` the
-- share of the article's text the shared passages make; `passages` a JSON list of
-- [article_start, article_end, source_start, source_end] character offsets.
CREATE TABLE links (
    article    INTEGER NOT NULL,
    source     INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('copy', 'partial')),
    similarity REAL NOT NULL,
    shared     REAL NOT NULL,
    passages   TEXT NOT NULL,
    PRIMARY KEY (article, source)
) WITHOUT ROWID;
CREATE INDEX links_source ON links (source);

-- The copy group an article belongs to, named by its origin's seq (the earliest
-- published, then fetched, then stored member); NULL for an article with no copies.
ALTER TABLE articles ADD COLUMN origin INTEGER;
CREATE INDEX articles_origin ON articles (origin) WHERE origin IS NOT NULL;

-- Which records went through the duplicate stage (a record stored before it has none:
-- `newsdesk reprocess` links them).
ALTER TABLE articles ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;

-- The full-text index follows the indexed columns only: setting origin or linked must not
-- re-index an article's text (it did: every trigger fired on any column).
DROP TRIGGER articles_au;
CREATE TRIGGER articles_au AFTER UPDATE OF title, description, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, description, text)
    VALUES ('delete', old.seq, old.title, old.description, old.text);
    INSERT INTO articles_fts (rowid, title, description, text)
    VALUES (new.seq, new.title, new.description, new.text);
END;
