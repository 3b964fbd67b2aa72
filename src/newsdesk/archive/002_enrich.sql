-- 002_enrich: who is in each article and who said what, as tables the filters can use.
-- The record JSON stays the source of truth; these rows are derived from it by
-- Archive.add in the same transaction, and go with their article (triggers below).

-- One row per entity per article. `key` is the case-folded canonical name: lookups by
-- name ("--person Bashagha") resolve to keys first, then use the (key) index.
CREATE TABLE entities (
    article_seq INTEGER NOT NULL,
    idx         INTEGER NOT NULL,      -- position in the record's `entities`
    name        TEXT NOT NULL,
    key         TEXT NOT NULL,
    label       TEXT NOT NULL,         -- PERSON, ORG, GPE, LOC
    mentions    INTEGER NOT NULL,      -- mentions in text and title
    PRIMARY KEY (article_seq, idx)
) WITHOUT ROWID;
CREATE INDEX entities_key ON entities (key, label, article_seq);
CREATE INDEX entities_label_key ON entities (label, key);

CREATE TABLE quotes (
    qid         INTEGER PRIMARY KEY,
    article_seq INTEGER NOT NULL,
    idx         INTEGER NOT NULL,      -- position in the record's `quotes`
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    cue         TEXT,
    speaker     TEXT,
    speaker_key TEXT,                  -- case-folded speaker; NULL when unknown
    speaker_label TEXT                 -- the speaker entity's label, when resolved
);
CREATE INDEX quotes_article ON quotes (article_seq, idx);
CREATE INDEX quotes_speaker ON quotes (speaker_key);

-- Entities a quote names (mentions inside its span): `quotes --about NAME`.
CREATE TABLE quote_about (
    qid INTEGER NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (key, qid)
) WITHOUT ROWID;

-- Full-text search over what was said.
CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    text, content = 'quotes', content_rowid = 'qid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text) VALUES (new.qid, new.text);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.qid, old.text);
    DELETE FROM quote_about WHERE qid = old.qid;
END;

-- An article's derived rows leave with it (a merge in Archive.add deletes one).
CREATE TRIGGER articles_ad_enrich AFTER DELETE ON articles BEGIN
    DELETE FROM entities WHERE article_seq = old.seq;
    DELETE FROM quotes WHERE article_seq = old.seq;
END;
