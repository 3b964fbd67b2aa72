-- 007_fetch: what `newsdesk fetch` and `newsdesk watch` keep (issue 11).
--
-- fetch_queue holds every URL a collection met, canonicalised (urls.normalise_url), so a
-- page is fetched once and a run killed at any moment is finished by the next one:
--   pending  — to fetch (not before next_try, a Unix time: retries back off);
--   fetched  — its response is in a WARC file (locator) but its record is not stored yet;
--   done     — handled: the record stored (or skipped by the run's selection, see reason);
--   failed   — given up, with the reason (robots.txt, 404, too large, retries spent, …).
-- kind: 'page' (an article page to ingest), 'listing' (a feed or a sitemap), 'start' (a URL
-- the user gave, whose kind its response decides). hints: JSON of what a feed or sitemap
-- said about the page (title, published, authors, language), filled into empty fields.
-- feed: the subscribed listing that led here (for `newsdesk feeds` counts), when one did.
CREATE TABLE fetch_queue (
    url      TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('page', 'listing', 'start')),
    state    TEXT NOT NULL CHECK (state IN ('pending', 'fetched', 'done', 'failed')),
    reason   TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try REAL NOT NULL DEFAULT 0,
    hints    TEXT,
    via      TEXT,
    feed     TEXT,
    locator  TEXT,
    added    TEXT NOT NULL,
    updated  TEXT NOT NULL
);
CREATE INDEX fetch_queue_state ON fetch_queue (state, next_try);
CREATE INDEX fetch_queue_feed ON fetch_queue (feed, state) WHERE feed IS NOT NULL;
CREATE INDEX fetch_queue_locator ON fetch_queue (locator) WHERE locator IS NOT NULL;

-- The validators of every listing fetched, for conditional GET (ETag, Last-Modified).
CREATE TABLE listing_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    kind          TEXT,
    title         TEXT,
    checked       TEXT,
    status        TEXT
);

-- Feeds and sitemaps a user subscribed to (`fetch --subscribe`); `watch` polls them.
CREATE TABLE subscriptions (
    url       TEXT PRIMARY KEY,
    added     TEXT NOT NULL,
    last_poll TEXT,
    status    TEXT
);
