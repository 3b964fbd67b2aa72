-- 001_initial: articles, their full-text index, and the triggers that keep the two in step.

-- `seq` is an INTEGER PRIMARY KEY so the rowid the FTS index points at never changes
-- (VACUUM may renumber an implicit rowid). `record` is Article.to_dict() as JSON without
-- `text`, which lives in its own column once, for the index to read.
CREATE TABLE articles (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    canonical_url TEXT,
    url           TEXT,
    site          TEXT,
    published     TEXT,
    title         TEXT,
    description   TEXT,
    text          TEXT NOT NULL,
    language      TEXT,
    page_type     TEXT NOT NULL,
    word_count    INTEGER NOT NULL,
    record        TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- One record per canonical URL; pages without one are matched by id alone.
CREATE UNIQUE INDEX articles_canonical_url ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_site_published ON articles (site, published);
CREATE INDEX articles_published ON articles (published);

-- External-content FTS5 index over title, description and text.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, description, text,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, description, text)
    VALUES (new.seq, new.title, new.description, new.text);
END;

CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, description, text)
    VALUES ('delete', old.seq, old.title, old.description, old.text);
END;

-- An update replaces the row's index entry: the old one out, the new one in, never both.
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, description, text)
    VALUES ('delete', old.seq, old.title, old.description, old.text);
    INSERT INTO articles_fts (rowid, title, description, text)
    VALUES (new.seq, new.title, new.description, new.text);
END;
