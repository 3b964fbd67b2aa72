-- 004_identity: a record is one publication. Its id is now the hash of its identity URL
-- (the canonical URL, else the fetched URL, normalised: model.record_id) and only a page
-- without any URL is named by its text; the same text at two URLs is two records (the
-- duplicate stage links them). Records gain text_hash (the old id), fetched, page_score,
-- a source locator and the stage versions they went through (schema 1.2).

-- Two records whose URLs now name one publication (the same fetched URL, no canonical):
-- the one written last stays.
DELETE FROM articles WHERE seq IN (
    SELECT seq FROM (
        SELECT seq, row_number() OVER (
            PARTITION BY nd_record_id(canonical_url, url, id) ORDER BY updated_at DESC, seq DESC) AS rank
        FROM articles)
    WHERE rank > 1);

ALTER TABLE articles ADD COLUMN text_hash TEXT;
ALTER TABLE articles ADD COLUMN fetched TEXT;
UPDATE articles SET text_hash = id;
UPDATE articles SET
    id = nd_record_id(canonical_url, url, text_hash),
    record = json_set(
        record,
        '$.id', nd_record_id(canonical_url, url, text_hash),
        '$.text_hash', text_hash,
        '$.fetched', NULL,
        '$.page_score', CASE WHEN page_type = 'article' THEN 1.0 ELSE 0.0 END,
        '$.source.locator', json_extract(record, '$.source.path'),
        '$.stages', CASE WHEN json_extract(record, '$.enriched') THEN json_object('extract', 1, 'enrich', 1)
                         ELSE json_object('extract', 1) END,
        '$.schema_version', '1.2');

-- Two records may now share a canonical URL (a template's canonical home page: see
-- urls.identity_url); the id is the identity.
DROP INDEX articles_canonical_url;
CREATE INDEX articles_canonical_url ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_text_hash ON articles (text_hash);
-- The type filter (search/export/web --type) lists pages of one type newest first.
CREATE INDEX articles_type_published ON articles (page_type, published);
