-- A quote's family: "speech" (said, told, according to, a colon, a transcript label, a block
-- quote) or "stance" (belief, intention, evidence, naming: think, want, decide, show, call X
-- Y, and a bare noun-phrase object). `newsdesk quotes` and the web app show speech unless
-- asked for all. Quotes stored before this migration are "speech" here and in their records
-- alike; enrichment version 2 computes the family, so `newsdesk enrich` (or `reprocess`)
-- recomputes them.
ALTER TABLE quotes ADD COLUMN family TEXT NOT NULL DEFAULT 'speech';
