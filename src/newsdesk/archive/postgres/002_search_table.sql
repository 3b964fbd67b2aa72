-- PostgreSQL only: the full-text index moves out of `articles` into a narrow table of its
-- own, as SQLite's is the FTS5 table beside `articles`.
--
-- Why: a GIN index hands over row addresses, and every count, per-day chart or semi-join
-- of the matches then visits each matching row. For a word in all of 100k synthetic
-- articles that was 13,000 heap pages of the wide `articles` rows (~1 KB each): the
-- per-day count of `/?q=said` took 117 ms. The same visits to this table's rows (seq,
-- day, and a TOAST pointer to the tsvector: 7 MB for 100k) read 900 pages: 26-37 ms
-- (EXPLAIN ANALYZE on the same server, one reader without parallel workers).

CREATE TABLE article_search (
    seq bigint PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
    day nd_text,  -- substr(published, 1, 10): the per-day counts never read `articles`
    tsv tsvector NOT NULL
);

-- Title weight A, description B, text D; the language's configuration. A tsvector holds at
-- most 1 MB, so the first 500,000 characters of a text are indexed.
CREATE FUNCTION nd_article_tsv(title text, description text, body text, language text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(nd_ts_config(language), coalesce(title, '')), 'A')
        || setweight(to_tsvector(nd_ts_config(language), coalesce(description, '')), 'B')
        || setweight(to_tsvector(nd_ts_config(language), left(body, 500000)), 'D')
$$;

INSERT INTO article_search (seq, day, tsv) SELECT seq, substr(published, 1, 10), tsv FROM articles;
ALTER TABLE articles DROP COLUMN tsv;
CREATE INDEX article_search_tsv ON article_search USING gin (tsv);

CREATE FUNCTION nd_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF tg_op = 'INSERT' OR old.title IS DISTINCT FROM new.title OR old.description IS DISTINCT FROM new.description
       OR old.text IS DISTINCT FROM new.text OR old.language IS DISTINCT FROM new.language THEN
        INSERT INTO article_search (seq, day, tsv)
        VALUES (new.seq, substr(new.published, 1, 10), nd_article_tsv(new.title, new.description, new.text, new.language))
        ON CONFLICT (seq) DO UPDATE SET day = excluded.day, tsv = excluded.tsv;
    ELSIF old.published IS DISTINCT FROM new.published THEN
        UPDATE article_search SET day = substr(new.published, 1, 10) WHERE seq = new.seq;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER articles_search AFTER INSERT OR UPDATE OF title, description, text, language, published ON articles
    FOR EACH ROW EXECUTE FUNCTION nd_article_search();
