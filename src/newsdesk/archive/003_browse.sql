-- 003_browse: what the web app's pages read, kept so that every page is an index lookup at
-- 100k articles instead of a scan. Summary tables are kept by triggers, so every writer
-- (ingest, enrich, Archive.add) keeps them right without knowing they exist.

-- Articles per site per day of publication ('' = unknown site / undated): the /sources
-- page, the unfiltered search chart and its date-range filters read these few thousand
-- rows instead of 100k articles.
CREATE TABLE article_days (
    site TEXT NOT NULL,
    day  TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (site, day)
) WITHOUT ROWID;
CREATE INDEX article_days_day ON article_days (day, site, n);

INSERT INTO article_days (site, day, n)
SELECT coalesce(site, ''), coalesce(substr(published, 1, 10), ''), count(*) FROM articles GROUP BY 1, 2;

CREATE TRIGGER articles_ai_days AFTER INSERT ON articles BEGIN
    INSERT INTO article_days (site, day, n) VALUES (coalesce(new.site, ''), coalesce(substr(new.published, 1, 10), ''), 1)
    ON CONFLICT (site, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER articles_ad_days AFTER DELETE ON articles BEGIN
    UPDATE article_days SET n = n - 1 WHERE site = coalesce(old.site, '') AND day = coalesce(substr(old.published, 1, 10), '');
    DELETE FROM article_days WHERE site = coalesce(old.site, '') AND day = coalesce(substr(old.published, 1, 10), '') AND n <= 0;
END;
CREATE TRIGGER articles_au_days AFTER UPDATE OF site, published ON articles
WHEN coalesce(old.site, '') <> coalesce(new.site, '')
  OR coalesce(substr(old.published, 1, 10), '') <> coalesce(substr(new.published, 1, 10), '') BEGIN
    UPDATE article_days SET n = n - 1 WHERE site = coalesce(old.site, '') AND day = coalesce(substr(old.published, 1, 10), '');
    DELETE FROM article_days WHERE site = coalesce(old.site, '') AND day = coalesce(substr(old.published, 1, 10), '') AND n <= 0;
    INSERT INTO article_days (site, day, n) VALUES (coalesce(new.site, ''), coalesce(substr(new.published, 1, 10), ''), 1)
    ON CONFLICT (site, day) DO UPDATE SET n = n + 1;
END;

-- Each entity and quote row carries its article's date and site, so an entity page (its
-- chart, sites and articles newest first) and the quotes page (newest first, by site or
-- date) read one index in order instead of joining every row to `articles` and sorting.
-- people.write fills them; the trigger below follows an article whose date or site changes.
ALTER TABLE entities ADD COLUMN published TEXT;
ALTER TABLE entities ADD COLUMN site TEXT;
ALTER TABLE quotes ADD COLUMN published TEXT;
ALTER TABLE quotes ADD COLUMN site TEXT;
UPDATE entities SET (published, site) = (SELECT a.published, a.site FROM articles AS a WHERE a.seq = entities.article_seq);
UPDATE quotes SET (published, site) = (SELECT a.published, a.site FROM articles AS a WHERE a.seq = quotes.article_seq);

CREATE TRIGGER articles_au_browse AFTER UPDATE OF site, published ON articles
WHEN old.site IS NOT new.site OR old.published IS NOT new.published BEGIN
    UPDATE entities SET published = new.published, site = new.site WHERE article_seq = new.seq;
    UPDATE quotes SET published = new.published, site = new.site WHERE article_seq = new.seq;
END;

CREATE INDEX entities_browse ON entities (key, label, published, article_seq, site);
-- (speaker_key, published, qid) serves every lookup the old (speaker_key) index did.
DROP INDEX quotes_speaker;
CREATE INDEX quotes_speaker_published ON quotes (speaker_key, published, qid);
CREATE INDEX quotes_published ON quotes (published, qid);
CREATE INDEX quotes_site_published ON quotes (site, published, qid);
CREATE INDEX quotes_kind_published ON quotes (kind, published, qid);

-- One row per entity (case-folded name and label) across the archive: how many articles
-- name it and how often. `name` is the spelling first stored. The entity list, the name
-- filters (a name resolves to keys here, then the (key) index finds the articles) and the
-- entity page header read this instead of grouping a million entity rows.
CREATE TABLE entity_stats (
    key      TEXT NOT NULL,
    label    TEXT NOT NULL,
    name     TEXT NOT NULL,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (key, label)
) WITHOUT ROWID;
CREATE INDEX entity_stats_rank ON entity_stats (articles DESC, mentions DESC, key, label);
CREATE INDEX entity_stats_label_rank ON entity_stats (label, articles DESC, mentions DESC, key);

INSERT INTO entity_stats (key, label, name, articles, mentions)
SELECT key, label, min(name), count(DISTINCT article_seq), sum(mentions) FROM entities GROUP BY key, label;

-- An article counts once per entity even if two of its entity rows share the key.
CREATE TRIGGER entities_ai_stats AFTER INSERT ON entities BEGIN
    INSERT INTO entity_stats (key, label, name, articles, mentions) VALUES (new.key, new.label, new.name, 0, 0)
    ON CONFLICT (key, label) DO NOTHING;
    UPDATE entity_stats SET
        mentions = mentions + new.mentions,
        articles = articles + NOT EXISTS (
            SELECT 1 FROM entities AS e WHERE e.key = new.key AND e.label = new.label
            AND e.article_seq = new.article_seq AND e.idx <> new.idx)
    WHERE key = new.key AND label = new.label;
END;
CREATE TRIGGER entities_ad_stats AFTER DELETE ON entities BEGIN
    UPDATE entity_stats SET
        mentions = mentions - old.mentions,
        articles = articles - NOT EXISTS (
            SELECT 1 FROM entities AS e WHERE e.key = old.key AND e.label = old.label AND e.article_seq = old.article_seq)
    WHERE key = old.key AND label = old.label;
    DELETE FROM entity_stats WHERE key = old.key AND label = old.label AND articles <= 0;
END;

-- Speakers as written (case-folded), with their number of quotes: `--speaker NAME` on the
-- quotes page resolves NAME to keys here, then reads (speaker_key, published).
CREATE TABLE quote_speakers (
    key    TEXT PRIMARY KEY,
    quotes INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO quote_speakers (key, quotes)
SELECT speaker_key, count(*) FROM quotes WHERE speaker_key IS NOT NULL GROUP BY speaker_key;

CREATE TRIGGER quotes_ai_speakers AFTER INSERT ON quotes WHEN new.speaker_key IS NOT NULL BEGIN
    INSERT INTO quote_speakers (key, quotes) VALUES (new.speaker_key, 1)
    ON CONFLICT (key) DO UPDATE SET quotes = quotes + 1;
END;
CREATE TRIGGER quotes_ad_speakers AFTER DELETE ON quotes WHEN old.speaker_key IS NOT NULL BEGIN
    UPDATE quote_speakers SET quotes = quotes - 1 WHERE key = old.speaker_key;
    DELETE FROM quote_speakers WHERE key = old.speaker_key AND quotes <= 0;
END;
