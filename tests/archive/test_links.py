"""The duplicate stage in the archive: copies and reused passages found as articles arrive,
linked from the later to the earlier whatever the arrival order, each page its own record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import prose, run_cli

from newsdesk import Archive
from newsdesk.errors import UsageError
from newsdesk.model import Article


def page(text: str, name: str, published: str, site: str = "example.com") -> Article:
    return Article(id="", text=text, url=f"https://{site}/{name}", site=site, published=published, title=name)


SOURCE = prose(1)
OTHER = prose(2)


@pytest.fixture
def archive(db_target: Path | str) -> Archive:
    return Archive(db_target)


def test_copies_at_other_urls_are_records_of_their_own_linked_to_the_earliest(archive: Archive) -> None:
    paragraphs = SOURCE.split("\n\n")
    edited = "\n\n".join(["Reporting by a wire service.", *paragraphs[:-1]])  # credit line added, last paragraph cut
    # The newest arrives first, the origin last: direction comes from the dates.
    archive.add(page(edited, "edited", "2024-03-03", site="b.net"))
    archive.add(page(SOURCE, "copy", "2024-03-02", site="c.org"))
    archive.add(page(SOURCE, "origin", "2024-03-01"))
    archive.add(page(OTHER, "unrelated", "2024-03-02"))
    assert archive.count() == 4
    ids = {a.title: a.id for a in archive.iter_articles()}
    links = {(x.article, x.source) for x in archive.duplicates()}
    # One copy group: each link points to an earlier member (a new copy is confirmed on
    # one member of the group it matches), and the group's origin is the earliest.
    assert (ids["copy"], ids["origin"]) in links
    assert (ids["edited"], ids["origin"]) in links or (ids["edited"], ids["copy"]) in links
    assert all(ids["unrelated"] not in pair for pair in links)
    assert all(x.kind == "copy" and x.similarity > 0.5 for x in archive.duplicates())
    origins = dict(archive.conn.execute("SELECT a.title, o.id FROM articles a JOIN articles o ON o.seq = a.origin"))
    assert origins == {"origin": ids["origin"], "copy": ids["origin"], "edited": ids["origin"]}


def test_reused_passages_are_linked_with_their_offsets_in_both_texts(archive: Archive) -> None:
    reused = SOURCE.split("\n\n")[1:3]
    own = OTHER.split("\n\n")
    host = "\n\n".join([own[0], *reused, *own[1:4]])
    archive.add(page(SOURCE, "source", "2024-01-01"))
    archive.add(page(host, "reuser", "2024-01-05", site="other.net"))
    (link,) = archive.duplicates()
    ids = {a.title: a for a in archive.iter_articles()}
    assert (link.article, link.source, link.kind) == (ids["reuser"].id, ids["source"].id, "partial")
    assert 0.2 < link.shared < 0.5
    ((a0, a1, s0, s1),) = link.passages
    assert host[a0:a1] == SOURCE[s0:s1]
    assert host[a0:a1].startswith(reused[0][:30]) and SOURCE[s0:s1].endswith(reused[1][-30:].rstrip("."))


def test_a_changed_text_loses_its_old_links_and_an_unchanged_one_keeps_them(archive: Archive) -> None:
    archive.add(page(SOURCE, "origin", "2024-03-01"))
    archive.add(page(SOURCE, "copy", "2024-03-02"))
    assert len(archive.duplicates()) == 1
    archive.add(page(SOURCE, "copy", "2024-03-02"))  # the same record again: unchanged
    assert len(archive.duplicates()) == 1
    archive.add(page(OTHER, "copy", "2024-03-02"))  # the page now says something else
    assert archive.duplicates() == []
    assert archive.conn.execute("SELECT count(*) FROM articles WHERE origin IS NOT NULL").fetchone()[0] == 0


def test_duplicates_filters_and_rejects_an_unknown_kind(archive: Archive) -> None:
    archive.add(page(SOURCE, "origin", "2024-03-01"))
    archive.add(page(SOURCE, "copy", "2024-03-05", site="b.net"))
    assert len(archive.duplicates(site="b.net")) == 1
    assert archive.duplicates(site="example.com") == []
    assert archive.duplicates(until="2024-03-04") == []
    assert len(archive.duplicates(kind="copy")) == 1 and archive.duplicates(kind="partial") == []
    with pytest.raises(UsageError, match="unknown link kind"):
        archive.duplicates(kind="near")


def test_cli_duplicates_prints_the_fields_scripts_read(db_target: Path | str, tmp_path: Path) -> None:
    db = db_target
    with Archive(db) as archive:
        archive.add(page(SOURCE, "origin", "2024-03-01"))
        archive.add(page(SOURCE, "copy", "2024-03-05", site="b.net"))
        ids = {a.title: a.id for a in archive.iter_articles()}
    out = run_cli("duplicates", "--db", db, "--format", "jsonl", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (line,) = [json.loads(x) for x in out.stdout.splitlines()]
    assert set(line) == {"article", "source", "kind", "similarity", "shared"}
    assert (line["article"], line["source"], line["kind"]) == (ids["copy"], ids["origin"], "copy")
    assert line["similarity"] == line["shared"] == 1.0
    table = run_cli("duplicates", "--db", db, cwd=tmp_path)
    assert f"{ids['copy']} <- {ids['origin']}" in table.stdout and "b.net" in table.stdout


def test_ingest_links_copies_with_signatures_from_the_workers(db_target: Path | str, tmp_path: Path) -> None:
    from support import article_html

    pages = tmp_path / "pages"
    pages.mkdir()
    # The same story at three outlets, the origin's file last in name order.
    for name, site, day in (("a", "wire.example", "2024-05-03"), ("b", "paper.example", "2024-05-02"),
                            ("c", "agency.example", "2024-05-01")):
        (pages / f"{name}.html").write_text(article_html(1, site=site, published=f"{day}T08:00:00+00:00"))
    db = db_target
    out = run_cli("ingest", pages, "--db", db, "--jobs", "2", "--no-enrich", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    with Archive(db) as archive:
        by_site = {a.site: a for a in archive.iter_articles()}
        assert len(by_site) == 3
        origin = by_site["agency.example"].id
        assert {a.origin for a in by_site.values()} == {origin}
        assert len({a.story for a in by_site.values()}) == 1
        assert all(x.kind == "copy" for x in archive.duplicates())
        assert all(a.stages.get("link") == 1 for a in by_site.values())


def test_rebuild_recomputes_links_groups_and_stories_as_the_incremental_path_built_them(
        db_target: Path | str, tmp_path: Path) -> None:
    reused = SOURCE.split("\n\n")[1:3]
    own = OTHER.split("\n\n")
    with Archive(db_target) as archive:
        archive.add(page(SOURCE, "origin", "2024-03-01"))
        archive.add(page(SOURCE, "copy", "2024-03-02", site="b.net"))
        archive.add(page("\n\n".join([own[0], *reused, *own[1:4]]), "reuser", "2024-03-05", site="c.org"))
        archive.add(page(prose(3), "unrelated", "2024-03-02"))
        seqs = dict(archive.conn.execute("SELECT title, seq FROM articles"))
        before = sorted((x.article, x.source, x.kind, x.similarity, x.shared) for x in archive.duplicates())
        groups = dict(archive.conn.execute("SELECT seq, origin FROM articles"))
        stories = dict(archive.conn.execute("SELECT seq, story FROM articles"))
        # What rules of an earlier version may have left: a link the current rules do not
        # make, and a group that no longer holds.
        with archive.transaction():
            archive.conn.execute("INSERT INTO links (article, source, kind, similarity, shared, passages) "
                                 "VALUES (?, ?, 'copy', 0.6, 0.9, '[]')", (seqs["unrelated"], seqs["origin"]))
            archive.conn.execute("UPDATE articles SET origin = ? WHERE seq = ?", (seqs["origin"], seqs["unrelated"]))
    out = run_cli("duplicates", "--db", db_target, "--rebuild", "--format", "jsonl", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "rebuilt 2 links and" in out.stderr
    with Archive(db_target, readonly=True) as archive:
        assert sorted((x.article, x.source, x.kind, x.similarity, x.shared) for x in archive.duplicates()) == before
        assert dict(archive.conn.execute("SELECT seq, origin FROM articles")) == groups
        after = dict(archive.conn.execute("SELECT seq, story FROM articles"))
    # The same partition into stories (ids start again from a rebuild), the copy with its origin.
    assert sorted(sorted(s for s, v in after.items() if v == k) for k in set(after.values())) == \
        sorted(sorted(s for s, v in stories.items() if v == k) for k in set(stories.values()))
    assert after[seqs["copy"]] == after[seqs["origin"]]
    assert {x["kind"] for x in map(json.loads, out.stdout.splitlines())} == {"copy", "partial"}
