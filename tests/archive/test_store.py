"""Archive: one record per publication, updates in place, FTS kept in step, migrations recorded."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from support import fts_consistent

from newsdesk import Archive
from newsdesk.archive.export import FIELDS
from newsdesk.errors import ArchiveError, QueryError, UsageError
from newsdesk.model import Article, record_id, text_id


def make(text: str, **fields: object) -> Article:
    return Article(id=text_id(text), text=text, **fields)  # type: ignore[arg-type]


LIBYA = make(
    "Tripoli government invites the Pentagon to redeploy troops to Libya.\n\nOfficials cite Russia.",
    title="Libya invites US troops",
    site="rt.com",
    canonical_url="https://www.rt.com/news/libya-troops",
    published="2020-02-23T05:06:00+00:00",
    authors=["A. Writer"],
)
BUDGET = make(
    "The council approved a transport budget after months of debate about troops of buses.",
    title="Council budget approved",
    site="example.com",
    canonical_url="https://example.com/budget",
    published="2019-11-18",
)


@pytest.fixture
def db(db_target: Path | str) -> Path | str:
    return db_target


def test_add_then_same_again_is_unchanged(db: Path) -> None:
    with Archive(db) as archive:
        assert archive.add(LIBYA) == "added"
        assert archive.add(LIBYA) == "unchanged"
        assert archive.count() == 1
        assert archive.get(LIBYA.id) == LIBYA
    fts_consistent(db)


def test_same_canonical_url_new_text_updates(db: Path) -> None:
    revised = make(LIBYA.text + "\n\nUpdate: the ministry clarified.", title="Libya invites US troops (updated)",
                   canonical_url=LIBYA.canonical_url, site="rt.com")
    with Archive(db) as archive:
        archive.add(LIBYA)
        assert archive.add(revised) == "updated"
        assert archive.count() == 1
        assert revised.id == LIBYA.id  # one publication: the id is its URL's
        assert revised.text_hash != LIBYA.text_hash
        assert archive.get(LIBYA.id).title == revised.title  # type: ignore[union-attr]
        assert [h.id for h in archive.search("clarified")] == [revised.id]
        assert archive.search("pentagon") and len(archive.search("pentagon")) == 1
    fts_consistent(db)


def test_same_text_other_url_is_another_record(db: Path) -> None:
    # Syndication: the same story at another URL is another publication (issue: copies
    # are linked by the duplicate stage, never merged).
    syndicated = make(LIBYA.text, title=LIBYA.title, canonical_url="https://mirror.example/libya")
    with Archive(db) as archive:
        archive.add(LIBYA)
        assert archive.add(syndicated) == "added"
        assert archive.count() == 2
        assert syndicated.id != LIBYA.id and syndicated.text_hash == LIBYA.text_hash
        assert archive.get(syndicated.id).canonical_url == "https://mirror.example/libya"  # type: ignore[union-attr]
    fts_consistent(db)


def test_records_without_urls_are_named_by_their_text(db: Path) -> None:
    a, b = make("text tee " * 5), make("text tee " * 5, title="the same text, again")
    with Archive(db) as archive:
        assert archive.add(a) == "added"
        assert archive.add(b) == "updated"
        assert a.id == b.id == text_id("text tee " * 5)
        assert archive.count() == 1


def test_identity_url_is_normalised(db: Path) -> None:
    # Tracking parameters, fragments, default ports and host case do not make a new record;
    # a canonical URL that is the bare home page (a template default) does not name the page.
    base = make("a story " * 10, canonical_url="https://News.example:443/story?utm_source=x#top")
    same = make("a story, edited " * 10, url="https://news.example/story")
    home = make("another story " * 10, canonical_url="https://news.example/", url="https://news.example/other")
    with Archive(db) as archive:
        archive.add(base)
        assert archive.add(same) == "updated"
        assert archive.add(home) == "added"
        assert archive.count() == 2
        assert home.id == record_id("https://news.example/other", home.text_hash)
        assert base.id == record_id("https://news.example/story", base.text_hash)


def test_get_by_canonical_url(db: Path) -> None:
    with Archive(db) as archive:
        archive.add(LIBYA)
        assert archive.get("https://www.rt.com/news/libya-troops") == LIBYA
        assert archive.get("0000000000000000") is None


def test_add_many_counts_and_batches(db: Path) -> None:
    articles = [make(f"story number {i} about the budget") for i in range(25)]
    with Archive(db) as archive:
        counts = archive.add_many(articles + articles[:5], batch_size=7)
        assert counts == {"added": 25, "unchanged": 5}
        assert archive.count() == 25
        with pytest.raises(UsageError):
            archive.add_many([], batch_size=0)


def test_transaction_rolls_back_on_error(db: Path) -> None:
    with Archive(db) as archive:
        with pytest.raises(RuntimeError):
            with archive.transaction():
                archive.add(LIBYA, commit=False)
                raise RuntimeError("boom")
        assert archive.count() == 0


def test_migrations_are_named_and_applied_once(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    Archive(db).close()
    Archive(db).close()
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM migrations")]
    assert names == ["001_initial", "002_enrich", "003_browse", "004_identity", "005_links", "006_stories", "007_fetch",
                     "008_quote_family", "009_story_members"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_readonly_missing_archive_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with pytest.raises(ArchiveError, match="no such archive"):
        Archive(db, readonly=True)
    assert not db.exists()


def test_not_an_archive(tmp_path: Path) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError):
        Archive(bogus)


def test_search_ranks_filters_and_snippets(db: Path) -> None:
    with Archive(db) as archive:
        archive.add_many([LIBYA, BUDGET])
        hits = archive.search("troops")
        assert [h.id for h in hits] == [LIBYA.id, BUDGET.id]  # title match outranks body match
        assert "[troops]" in hits[0].snippet or "[Troops]" in hits[0].snippet
        assert hits[0].score >= hits[1].score
        assert [h.id for h in archive.search("troops", site="example.com")] == [BUDGET.id]
        assert [h.id for h in archive.search("troops", since="2020-01-01")] == [LIBYA.id]
        assert [h.id for h in archive.search("troops", until="2019-11-18")] == [BUDGET.id]
        assert [h.id for h in archive.search("troops", newest=True)] == [LIBYA.id, BUDGET.id]
        assert len(archive.search("troops", limit=1)) == 1


@pytest.mark.parametrize("query", ['"unclosed', "foo:bar", "AND", "(troops"], ids=["quote", "column", "bare-and", "paren"])
def test_bad_query_is_a_query_error(tmp_path: Path, query: str) -> None:
    db = tmp_path / "news.db"  # FTS5 syntax; PostgreSQL's websearch syntax takes any string
    with Archive(db) as archive:
        archive.add(LIBYA)
        with pytest.raises(QueryError):
            archive.search(query)


def test_bad_date_is_a_usage_error(db: Path) -> None:
    with Archive(db) as archive:
        with pytest.raises(UsageError, match="--since"):
            archive.search("x", since="yesterday")


def test_stats(db: Path) -> None:
    with Archive(db) as archive:
        archive.add_many([LIBYA, BUDGET, make("undated story text", site="rt.com")])
        s = archive.stats()
    assert s.total == 3
    assert s.sites[0] == ("rt.com", 2)
    assert dict(s.months) == {"2019-11": 1, "2020-02": 1, None: 1}


def test_export_formats_share_field_names(db: Path, tmp_path: Path) -> None:
    with Archive(db) as archive:
        archive.add_many([LIBYA, BUDGET])
        assert archive.export(tmp_path / "a.jsonl", format="jsonl") == 2
        assert archive.export(tmp_path / "a.csv", format="csv") == 2
        assert archive.export(tmp_path / "a.parquet", format="parquet") == 2
        assert archive.export(tmp_path / "b.jsonl", format="jsonl", query="pentagon") == 1
        assert archive.export(tmp_path / "c.parquet", format="parquet", site="nowhere.example") == 0
        with pytest.raises(UsageError):
            archive.export(tmp_path / "a.xml", format="xml")
    lines = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [tuple(r) for r in lines] == [FIELDS, FIELDS]
    with open(tmp_path / "a.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == FIELDS
    assert json.loads(rows[0]["authors"]) == ["A. Writer"]
    table = pq.read_table(tmp_path / "a.parquet")
    assert tuple(table.column_names) == FIELDS
    assert table.to_pylist(maps_as_pydicts="strict")[0] == LIBYA.to_dict()
    assert pq.read_table(tmp_path / "c.parquet").num_rows == 0
