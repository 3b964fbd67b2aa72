"""The story stage in the archive: articles of one event in one story, copies in their
origin's story, the same stories from a rebuild, and stories as readers ask for them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support import run_cli

from newsdesk import Archive
from newsdesk.errors import ArchiveError, UsageError
from newsdesk.model import Article, Entity
from newsdesk.web import create_app

COMMON = "the a of in on and to for with by said was were has had after before at from".split()


def report(event: str, n: int, day: str, site: str) -> Article:
    """The n-th report of an event: its own words (a made-up vocabulary per event) in a
    different mix each time, a headline from them, one named place."""
    vocab_rng = random.Random(event)
    vocab = ["".join(vocab_rng.choice("bdfgklmnprstvz") + vocab_rng.choice("aeiou") for _ in range(3)) for _ in range(30)]
    rng = random.Random(f"{event}-{n}")
    words = [rng.choice(vocab) if rng.random() < 0.6 else rng.choice(COMMON) for _ in range(160)]
    text = " ".join(words).capitalize() + "."
    place = vocab[0].capitalize()
    return Article(id="", text=f"{place} {text}", url=f"https://{site}/{event}-{n}", site=site, published=day,
                   title=" ".join(rng.sample(vocab[:10], 5)).capitalize(),
                   entities=[Entity(place, "GPE", [(0, len(place))])], enriched=True)


@pytest.fixture
def archive(db_target: Path | str) -> Archive:
    archive = Archive(db_target)
    for n in range(3):
        archive.add(report("quake", n, f"2024-05-0{n + 1}", site=f"site{n}.com"))
        archive.add(report("strike", n, f"2024-05-0{n + 1}", site=f"site{n}.com"))
    return archive


def stories_of(archive: Archive) -> dict[str, int]:
    return {a.url or "": a.story or 0 for a in archive.iter_articles()}


def test_reports_of_one_event_share_a_story_and_other_events_do_not(archive: Archive) -> None:
    by_url = stories_of(archive)
    quake = {s for u, s in by_url.items() if "quake" in u}
    strike = {s for u, s in by_url.items() if "strike" in u}
    assert len(quake) == 1 and len(strike) == 1 and quake != strike
    rows = archive.stories()
    assert [len(r.articles) for r in rows] == [3, 3]
    assert {tuple(r.sites) for r in rows} == {("site0.com", "site1.com", "site2.com")}
    assert all(r.first == "2024-05-01" and r.last == "2024-05-03" for r in rows)
    assert all(r.label for r in rows)


def test_a_copy_is_in_its_origins_story_and_a_rebuild_gives_the_same_stories(archive: Archive) -> None:
    original = report("quake", 0, "2024-05-01", site="site0.com")
    copy = Article(id="", text=original.text, url="https://wire.example/copy", site="wire.example",
                   published="2024-05-02", title="A different headline altogether")
    archive.add(copy)
    by_url = stories_of(archive)
    assert by_url["https://wire.example/copy"] == by_url["https://site0.com/quake-0"]
    (entry,) = [e for e in archive.story(by_url["https://wire.example/copy"])[1] if e.site == "wire.example"]
    assert entry.copy_of == archive.get("https://site0.com/quake-0").id  # type: ignore[union-attr]
    before = stories_of(archive)
    assert archive.rebuild_stories() == 2
    assert stories_of(archive) == before


def test_stories_filter_and_the_story_filter_of_search(archive: Archive) -> None:
    quake_story = stories_of(archive)["https://site0.com/quake-0"]
    assert len(archive.stories(site="site1.com")) == 2
    assert archive.stories(since="2024-06-01") == []
    hits = archive.search("the", story=quake_story, limit=50)
    assert len(hits) == 3 and all("quake" in (h.url or "") for h in hits)
    exported = [a.story for a in archive.iter_articles(story=quake_story)]
    assert exported == [quake_story] * 3
    with pytest.raises(UsageError, match="story id"):
        archive.search("the", story="three")
    with pytest.raises(ArchiveError, match="no story 999"):
        archive.story(999)


def test_cli_stories_and_story_print_what_scripts_read(archive: Archive, tmp_path: Path) -> None:
    db = archive.path
    archive.close()
    out = run_cli("stories", "--db", db, "--format", "jsonl", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [set(x) for x in lines] == [{"id", "label", "first", "last", "articles", "sites"}] * 2
    rebuilt = run_cli("stories", "--db", db, "--rebuild", "--format", "jsonl", cwd=tmp_path)
    assert [json.loads(x) for x in rebuilt.stdout.splitlines()] == lines
    assert "rebuilt 2 stories" in rebuilt.stderr
    timeline = run_cli("story", str(lines[0]["id"]), "--db", db, cwd=tmp_path)
    assert timeline.returncode == 0 and "3 articles, 3 outlets" in timeline.stdout
    missing = run_cli("story", "999", "--db", db, cwd=tmp_path)
    assert missing.returncode == 1 and "no story 999" in missing.stderr
    export = tmp_path / "out.jsonl"
    run_cli("export", "--db", db, "--format", "jsonl", "-o", export, cwd=tmp_path)
    rows = [json.loads(x) for x in export.read_text().splitlines()]
    assert all(isinstance(r["story"], int) and "origin" in r for r in rows)


def test_stories_from_before_member_vectors_are_cleared_and_a_rebuild_recomputes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.archive import db as archive_db
    from newsdesk.archive.stories import Storyteller

    db = tmp_path / "news.db"
    shipped = archive_db.migrations()
    # An archive of the releases before migration 009 (its articles stored without today's
    # story stage, which needs 009's tables).
    monkeypatch.setattr(archive_db, "migrations", lambda: [m for m in shipped if m[0] < "009"])
    monkeypatch.setattr(Storyteller, "assign", lambda self, seq, article, feats=None: None)
    with Archive(db) as archive:
        for n in range(3):
            archive.add(report("quake", n, f"2024-05-0{n + 1}", site=f"site{n}.com"))
            archive.add(report("strike", n, f"2024-05-0{n + 1}", site=f"site{n}.com"))
    monkeypatch.undo()
    with Archive(db) as archive:  # the first read-write open migrates
        assert archive.stories_stale() and archive.stories() == []
    with TestClient(create_app(db)) as client:
        assert client.get("/api/stories").json()["stale"] is True
        assert 'id="stories-stale"' in client.get("/stories").text
    out = run_cli("stories", "--db", db, cwd=tmp_path)
    assert out.returncode == 0 and "run `newsdesk stories --rebuild`" in out.stderr
    rebuilt = run_cli("stories", "--db", db, "--rebuild", "--format", "jsonl", cwd=tmp_path)
    assert rebuilt.returncode == 0 and "rebuilt 2 stories" in rebuilt.stderr and "--rebuild`" not in rebuilt.stderr
    assert sorted(len(json.loads(x)["articles"]) for x in rebuilt.stdout.splitlines()) == [3, 3]
    with Archive(db, readonly=True) as archive:
        assert not archive.stories_stale()
    with TestClient(create_app(db)) as client:
        assert client.get("/api/stories").json()["stale"] is False
        assert 'id="stories-stale"' not in client.get("/stories").text


def test_the_archive_makes_the_stories_the_in_memory_clusterer_makes(db_target: Path | str) -> None:
    from newsdesk.links.stories import Clusterer, MemoryStore, article_features

    # Three events over overlapping days, their reports interleaved: the SQL store must
    # answer as the in-memory one does, to the same story ids.
    articles = [report(event, n, f"2024-05-0{1 + (n + k) % 4}", site=f"site{n}.com")
                for n in range(4) for k, event in enumerate(["quake", "strike", "flood"])]
    memory = MemoryStore()
    clusterer = Clusterer(memory)
    for i, a in enumerate(articles):
        clusterer.add(i, article_features(a))
    with Archive(db_target) as archive:
        for a in articles:
            archive.add(a)
        stored = {a.url: a.story for a in archive.iter_articles()}

    def partition(where: dict[int, int]) -> set[frozenset[int]]:
        by: dict[int, set[int]] = {}
        for key, sid in where.items():
            by.setdefault(sid, set()).add(key)
        return {frozenset(v) for v in by.values()}

    in_memory = memory.clusters()
    assert {i: stored[a.url] for i, a in enumerate(articles)} == in_memory  # the same ids too
    assert len(partition(in_memory)) == 3
