"""Entities and quotes in the archive: rows follow their article, lookups by whole words."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from newsdesk import Archive
from newsdesk.errors import QueryError, UsageError
from newsdesk.model import Article, Entity, Quote, text_id

TEXT = (
    "Fathi Bashagha told Bloomberg that Libya would be happy to help.\n\n"
    "“We hope the redeployment includes Libya,” Bashagha said."
)


def enriched(text: str = TEXT, **fields: object) -> Article:
    bashagha = Entity("Fathi Bashagha", "PERSON", [(0, 14), (text.index("Bashagha said"), text.index("Bashagha said") + 8)])
    libya = Entity("Libya", "GPE", [(35, 40), (text.index("Libya,”"), text.index("Libya,”") + 5)])
    bloomberg = Entity("Bloomberg", "ORG", [(20, 29)])
    start = text.index("We hope")
    quotes = [
        Quote(text[30:64], 30, 64, "indirect", "told", "Fathi Bashagha", 0, (0, 14)),
        Quote(text[start : text.index(",”")], start, text.index(",”"), "direct", "said", "Fathi Bashagha", 0, (0, 14)),
    ]
    return Article(
        id=text_id(text), text=text, entities=[bashagha, libya, bloomberg], quotes=quotes, enriched=True,
        title="Libya invites US troops", site="rt.com", published="2020-02-23T05:06:00", **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def archive(db_target: Path | str) -> Archive:
    with Archive(db_target) as store:
        yield store


def counts(archive: Archive) -> tuple[int, int, int]:
    row = archive.conn.execute(
        "SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM quotes), (SELECT count(*) FROM quote_about)"
    ).fetchone()
    return tuple(row)  # type: ignore[return-value]


def test_rows_follow_the_record(archive: Archive) -> None:
    article = enriched(canonical_url="https://rt.com/a")
    assert archive.add(article) == "added"
    assert counts(archive) == (3, 2, 2)  # quote_about: Libya is named inside both quotes
    assert archive.add(article) == "unchanged"
    assert counts(archive) == (3, 2, 2)
    # An update replaces the rows; an unenriched update removes them.
    fewer = dataclasses.replace(article, quotes=article.quotes[:1])
    assert archive.add(fewer) == "updated"
    assert counts(archive) == (3, 1, 1)
    bare = dataclasses.replace(article, entities=[], quotes=[], enriched=False)
    assert archive.add(bare) == "updated"
    assert counts(archive) == (0, 0, 0)
    if archive.dialect == "sqlite":  # PostgreSQL's quote index is a column of the row
        archive.conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('integrity-check')")


def test_a_replaced_record_leaves_no_orphan_rows(archive: Archive) -> None:
    # The same publication (URL) with a new text replaces its rows; a copy at another URL
    # is a record of its own, with rows of its own.
    archive.add(enriched(canonical_url="https://rt.com/a"))
    longer = enriched(TEXT + "\n\nMore.", canonical_url="https://rt.com/a")
    assert archive.add(longer) == "updated"
    assert counts(archive) == (3, 2, 2)
    assert archive.add(enriched(canonical_url="https://mirror.example/a")) == "added"
    assert archive.count() == 2
    assert counts(archive) == (6, 4, 4)
    archive.conn.execute("DELETE FROM articles WHERE canonical_url = 'https://mirror.example/a'")
    assert counts(archive) == (3, 2, 2)


def test_quote_lookups(archive: Archive) -> None:
    archive.add(enriched())
    assert len(archive.quotes(speaker="bashagha")) == 2
    assert len(archive.quotes(speaker="FATHI  bashagha")) == 2
    assert archive.quotes(speaker="Bash") == []  # whole words only
    assert [q.kind for q in archive.quotes(about="Libya")] == ["indirect", "direct"]
    assert archive.quotes(about="Bloomberg") == []  # named in the sentence, not in what was said
    assert [q.kind for q in archive.quotes("redeployment")] == ["direct"]
    assert [q.kind for q in archive.quotes(kind="direct")] == ["direct"]
    assert archive.quotes(speaker="bashagha", since="2021-01-01") == []
    hit = archive.quotes(kind="direct")[0]
    assert hit.text == TEXT[hit.start : hit.end] and hit.site == "rt.com"
    if archive.dialect == "sqlite":
        with pytest.raises(QueryError):  # FTS5 syntax
            archive.quotes("AND OR")
    else:  # websearch syntax: any string is a query
        assert archive.quotes('"unclosed OR') == []
    with pytest.raises(UsageError):
        archive.quotes(kind="rumour")
    with pytest.raises(UsageError):
        archive.quotes(speaker="  ")


def test_entity_lookups(archive: Archive) -> None:
    archive.add(enriched(canonical_url="https://rt.com/a"))
    archive.add(enriched(TEXT + " Again.", canonical_url="https://rt.com/b"))
    top = archive.entities()
    assert [(e.name, e.articles, e.mentions) for e in top[:2]] == [("Fathi Bashagha", 2, 4), ("Libya", 2, 4)]
    assert [e.name for e in archive.entities(label="place")] == ["Libya"]
    assert [e.name for e in archive.entities(label="ORG")] == ["Bloomberg"]
    assert [e.name for e in archive.entities(name="fathi")] == ["Fathi Bashagha"]
    with pytest.raises(UsageError):
        archive.entities(label="ANIMAL")


def test_search_by_entity(archive: Archive) -> None:
    archive.add(enriched())
    assert len(archive.search("libya", person="Bashagha")) == 1
    assert archive.search("libya", person="Libya") == []  # a place is not a person
    assert len(archive.search("libya", place="libya", org="bloomberg")) == 1
    assert archive.search("libya", org="Reuters") == []


def test_readonly_archive_without_migration(tmp_path: Path) -> None:
    # An archive made before 002 is migrated on the next read-write open, not by readers.
    path = tmp_path / "old.db"
    Archive(path).close()
    conn = sqlite3.connect(path)
    # 002's objects go, and so does everything 003 built on them.
    conn.executescript("DROP TABLE quote_about; DROP TABLE quotes_fts; DROP TABLE quotes; DROP TABLE entities;"
                       "DROP TRIGGER IF EXISTS articles_ad_enrich; DELETE FROM migrations WHERE name = '002_enrich';"
                       "DROP TABLE article_days; DROP TABLE entity_stats; DROP TABLE quote_speakers;"
                       "DROP TRIGGER articles_ai_days; DROP TRIGGER articles_ad_days; DROP TRIGGER articles_au_days;"
                       "DROP TRIGGER articles_au_browse; DELETE FROM migrations WHERE name = '003_browse';"
                       # and 008 added a column to 002's quotes table
                       "DELETE FROM migrations WHERE name = '008_quote_family';")
    conn.close()
    from newsdesk.errors import ArchiveError

    with pytest.raises(ArchiveError, match="needs migration 002_enrich"):
        Archive(path, readonly=True)
    Archive(path).close()
    with Archive(path, readonly=True) as store:
        assert store.quotes() == []
