"""The PostgreSQL store beside SQLite: every command on a URL, `copy` both ways and resumed,
concurrent writers, concurrent first opens, and the SQL translation (the store suites in
test_store, test_people, test_links, test_stories and tests/web run on both stores)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import SRC, article_html, cli_env, fts_consistent, run_cli

from newsdesk import Archive
from newsdesk.archive import postgres
from newsdesk.archive.copy import copy_archive
from newsdesk.errors import ArchiveError

SAMPLES = SRC.parent / "samples"
# Read commands whose JSON Lines must be the same on both stores, given the same input.
SAME = (("stats",), ("entities", "--top", "50"), ("quotes", "--all"), ("duplicates",), ("stories",),
        ("export", "--format", "jsonl", "-o", "-"))


@pytest.fixture(scope="module")
def pg(pg_server: Any) -> Any:
    return pg_server


def pg_url_of(url: str, name: str) -> str:
    """Another database on the same server (created by its first read-write open)."""
    return url.rsplit("/", 1)[0] + "/" + name + url.rsplit("/t_", 1)[1]


def jsonl(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    out = run_cli(*args, cwd=cwd) if env is None else _run_env(args, cwd, env)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def _run_env(args: tuple[str | Path, ...], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsdesk", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**cli_env(), **env}, timeout=300)


@pytest.fixture(scope="module")
def stores(pg: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """The bundled samples ingested into SQLite and, through NEWSDESK_DB, into PostgreSQL."""
    cwd = tmp_path_factory.mktemp("stores")
    lite = cwd / "samples.db"
    url = pg.database()
    assert run_cli("ingest", SAMPLES, "--db", lite, "-q", cwd=cwd).returncode == 0
    out = _run_env(("ingest", SAMPLES, "-q"), cwd, {"NEWSDESK_DB": url})
    assert out.returncode == 0, out.stderr
    return lite, url, cwd


def test_every_read_command_answers_the_same_on_both_stores(stores: tuple[Path, str, Path]) -> None:
    lite, url, cwd = stores
    for command in SAME:
        fmt = () if "export" in command else ("--format", "jsonl")
        assert jsonl(*command, *fmt, "--db", lite, cwd=cwd) == jsonl(*command, *fmt, "--db", url, cwd=cwd), command
    # Search ranks by each store's own scorer: the same articles match, each with its snippet.
    a = jsonl("search", "Libya OR election", "--format", "jsonl", "--db", lite, cwd=cwd)
    b = jsonl("search", "Libya or election", "--format", "jsonl", "--db", url, cwd=cwd)
    assert a and {h["id"] for h in a} == {h["id"] for h in b}
    assert all("[" in h["snippet"] for h in b)
    first = b[0]["id"]
    shown = run_cli("show", first, "--db", url, cwd=cwd)
    assert shown.returncode == 0 and first in shown.stdout
    story = jsonl("stories", "--format", "jsonl", "--db", url, cwd=cwd)[0]["id"]
    timeline = run_cli("story", str(story), "--db", url, cwd=cwd)
    assert timeline.returncode == 0 and "articles" in timeline.stdout
    # Records out as Parquet from one store and imported into the other: the same records.
    folder = cwd / "parquet"
    folder.mkdir(exist_ok=True)
    assert run_cli("export", "--format", "parquet", "-o", folder / "part-0.parquet", "--db", lite, cwd=cwd).returncode == 0
    imported = pg_url_of(url, "imported")
    out = run_cli("import", folder, "--db", imported, cwd=cwd)
    assert out.returncode == 0, out.stderr
    export = ("export", "--format", "jsonl", "-o", "-")
    assert jsonl(*export, "--db", imported, cwd=cwd) == jsonl(*export, "--db", lite, cwd=cwd)
    # A password in the URL is never printed.
    secret = url.replace("newsdesk@", "newsdesk:hunter2@").replace("/t_", "/missing_")
    missing = run_cli("stats", "--db", secret, cwd=cwd)
    assert missing.returncode == 1 and "hunter2" not in missing.stderr and "cannot open archive" in missing.stderr


def test_copy_both_ways_keeps_everything(stores: tuple[Path, str, Path], pg: Any) -> None:
    lite, url, cwd = stores
    there = pg.database()
    out = run_cli("copy", lite, there, cwd=cwd)
    assert out.returncode == 0 and "copied 11 articles" in out.stderr, out.stderr
    back = cwd / "back.db"
    assert run_cli("copy", there, back, "-q", cwd=cwd).returncode == 0
    for command in SAME:
        fmt = () if "export" in command else ("--format", "jsonl")
        want = jsonl(*command, *fmt, "--db", lite, cwd=cwd)
        assert jsonl(*command, *fmt, "--db", there, cwd=cwd) == want, command
        assert jsonl(*command, *fmt, "--db", back, cwd=cwd) == want, command
    # The copy searches as its store does, and takes new articles after the copied ones.
    assert jsonl("search", "election", "--format", "jsonl", "--db", there, cwd=cwd)
    with Archive(there) as archive:
        before = archive.count()
        pages = cwd / "new"
        pages.mkdir()
        (pages / "n.html").write_text(article_html(77, canonical="https://new.example/n", site="new.example"))
    assert run_cli("ingest", pages, "--db", there, "--no-enrich", "-q", cwd=cwd).returncode == 0
    with Archive(there) as archive:
        assert archive.count() == before + 1


def test_a_stopped_copy_resumes_without_doubling(stores: tuple[Path, str, Path], pg: Any) -> None:
    lite, _, cwd = stores
    target = pg.database()

    class Stop(Exception):
        pass

    def stop_after_first(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        copy_archive(lite, target, batch_size=4, progress=stop_after_first)
    with Archive(target, readonly=True) as archive:
        assert archive.count() == 4  # the first batch committed, nothing after it
    result = copy_archive(lite, target, batch_size=4)
    assert result.resumed_after == 4 and result.articles == 7
    assert jsonl("export", "--format", "jsonl", "-o", "-", "--db", target, cwd=cwd) == jsonl(
        "export", "--format", "jsonl", "-o", "-", "--db", lite, cwd=cwd)
    # Into an archive holding other articles: refused, nothing written.
    other = cwd / "other.db"
    pages = cwd / "other"
    pages.mkdir()
    (pages / "o.html").write_text(article_html(5, canonical="https://other.example/o", site="other.example"))
    assert run_cli("ingest", pages, "--db", other, "--no-enrich", "-q", cwd=cwd).returncode == 0
    refused = run_cli("copy", lite, other, cwd=cwd)
    assert refused.returncode == 1 and "another archive" in refused.stderr
    with Archive(other, readonly=True) as archive:
        assert archive.count() == 1


def test_concurrent_writers_never_duplicate(pg: Any, tmp_path: Path) -> None:
    # Four ingests at once into one database, each of 12 pages overlapping its neighbour's
    # by half: every page stored once, no process failing, every record whole.
    url = pg.database()
    Archive(url).close()
    folders = []
    for k in range(4):
        folder = tmp_path / f"w{k}"
        folder.mkdir()
        for n in range(k * 6, k * 6 + 12):
            (folder / f"p{n}.html").write_text(article_html(n, canonical=f"https://site{n % 3}.example/p{n}",
                                                             site=f"site{n % 3}.example", title=f"Page {n} tram"))
        folders.append(folder)
    procs = [subprocess.Popen([sys.executable, "-m", "newsdesk", "ingest", str(f), "--db", url, "--no-enrich",
                               "--jobs", "1", "--batch-size", "3", "-q"], cwd=tmp_path, env=cli_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in folders]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    with Archive(url, readonly=True) as archive:
        assert archive.count() == 30
        conn = archive.conn
        assert conn.execute("SELECT count(*) - count(DISTINCT id) FROM articles").fetchone()[0] == 0
        assert conn.execute("SELECT sum(n) FROM article_days").fetchone()[0] == 30
        assert len(archive.search("tram", limit=100)) == 30
        assert {a.stages.get("link") for a in archive.iter_articles()} == {1}


def test_first_opens_at_the_same_moment_migrate_once(pg: Any, tmp_path: Path) -> None:
    url = pg.database()
    script = "import sys; from newsdesk import Archive; Archive(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", script, url], env=cli_env(), stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with Archive(url, readonly=True) as archive:
        names = [r[0] for r in archive.conn.execute("SELECT name FROM migrations")]
    assert names == [name for name, _ in postgres.migrations()]


def test_readonly_opens_say_what_is_wrong(pg: Any) -> None:
    import psycopg

    url = pg.database()
    with pytest.raises(ArchiveError, match="not a newsdesk archive"):
        Archive(url, readonly=True)
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
    with pytest.raises(ArchiveError, match="cannot open archive"):
        Archive(url.rsplit("/", 1)[0] + "/nope", readonly=True)  # a reader never creates a database


def test_translate_rewrites_spelling_only() -> None:
    t = postgres.translate
    assert t("SELECT a FROM t WHERE b = ? AND c LIKE '%?%'") == "SELECT a FROM t WHERE b = %s AND c LIKE '%%?%%'"
    assert t("INSERT OR IGNORE INTO t (a) VALUES (?)") == "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"
    assert t("SELECT x FROM t WHERE +t.site = ? AND n + 1 > 2 ORDER BY p DESC, q") == (
        "SELECT x FROM t WHERE t.site = %s AND n + 1 > 2 ORDER BY p DESC NULLS LAST, q")
    assert t("SELECT 1 WHERE a IN ()") == "SELECT 1 WHERE a IN (NULL)"


def test_search_stems_each_article_in_its_own_language(pg: Any) -> None:
    from newsdesk.model import Article, text_id

    def article(text: str, language: str, url: str) -> Article:
        return Article(id=text_id(text), text=text, language=language, canonical_url=url, title=None)

    with Archive(pg.database()) as archive:
        archive.add_many([
            article("Die Regierungen der Länder beraten über den Haushalt.", "de", "https://de.example/a"),
            article("The ministers were running late for the budget vote.", "en", "https://en.example/a"),
            article("Ministrene løp for sent til avstemningen.", "xx", "https://xx.example/a"),
        ])
        found = {q: {h.url for h in archive.search(q)} for q in ("Regierung", "runs", "minister", "avstemningen", "-budget vote")}
    assert found["Regierung"] == {"https://de.example/a"}  # German stemming: Regierungen → regier
    assert found["runs"] == found["minister"] == {"https://en.example/a"}  # English: running, ministers
    assert found["avstemningen"] == {"https://xx.example/a"}  # no configuration for the language: words as written
    assert found["-budget vote"] == set()  # websearch syntax: a word to leave out


def test_an_archive_from_before_the_search_table_moves_its_index(pg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.model import Article, text_id

    def article(text: str, published: str, url: str) -> Article:
        return Article(id=text_id(text), text=text, language="en", canonical_url=url, title=None, published=published)

    url = pg.database()
    shipped = postgres.migrations()
    # The schema as the first release made it, with today's story tables (the code that
    # writes the articles below is today's).
    monkeypatch.setattr(postgres, "migrations", lambda: [m for m in shipped if m[0] != "002_search_table"])
    with Archive(url) as archive:
        archive.add_many([article("The budget vote was delayed again.", "2024-03-01", "https://a.example/1"),
                          article("Ministers met about the harbour.", "2024-03-02", "https://a.example/2")])
    monkeypatch.setattr(postgres, "migrations", lambda: shipped)
    with Archive(url) as archive:  # the first read-write open migrates
        assert [h.url for h in archive.search("budget")] == ["https://a.example/1"]
        # A new publication date moves the article's day in the index; a new text, its words.
        archive.add(article("The budget vote was delayed again.", "2024-04-05", "https://a.example/1"))
        assert archive.add(article("Ministers met about the harbour and the ferry.", "2024-03-02",
                                   "https://a.example/2")) == "updated"
        assert [h.url for h in archive.search("ferry")] == ["https://a.example/2"]
        days = dict(archive.conn.execute("SELECT a.id, s.day FROM article_search AS s JOIN articles AS a USING (seq)"))
    assert sorted(days.values()) == ["2024-03-02", "2024-04-05"]
    fts_consistent(url)
