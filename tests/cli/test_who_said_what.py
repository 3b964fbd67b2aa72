"""Who said what through the real CLI: entities and quotes in extract output, in the
archive, and behind quotes / entities / enrich / search --person/--org/--place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from support import run_cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "rt-libya-2020-02-23.txt"


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_record() -> dict:
    result = run_cli("extract", SEED, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    (record,) = jsonl(result.stdout)
    return record


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled samples ingested with enrichment (the README's main command does this)."""
    folder = tmp_path_factory.mktemp("enriched")
    result = run_cli("ingest", SAMPLES, "--jobs", "2", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "newsdesk.db"


def test_seed_entities(seed_record: dict, validate) -> None:
    validate(seed_record)
    assert seed_record["enriched"] is True
    names = {e["name"] for e in seed_record["entities"]}
    for expected in (
        "Fathi Bashagha", "Khalifa Haftar", "Sergey Shoigu", "Mark Esper", "Muammar Gaddafi",
        "Pentagon", "NATO", "Bloomberg", "Libya", "Tripoli", "Russia",
    ):
        assert expected in names, (expected, sorted(names))
    text = seed_record["text"]
    by_name = {e["name"]: e for e in seed_record["entities"]}
    # Every mention is an offset into text, and "Bashagha" alone is a mention of the full name.
    for ent in seed_record["entities"]:
        for start, end in ent["mentions"]:
            assert 0 <= start < end <= len(text)
    forms = {text[s:e] for s, e in by_name["Fathi Bashagha"]["mentions"]}
    assert {"Fathi Bashagha", "Bashagha"} <= forms
    # The GNA and the LNA: the full name and the acronym are one entity each.
    gna = [e for e in seed_record["entities"] if "GNA" in {text[s:t] for s, t in e["mentions"]}]
    assert len(gna) == 1 and "Government of National Accord" in {text[s:t] for s, t in gna[0]["mentions"]}
    lna = [e for e in seed_record["entities"] if "LNA" in {text[s:t] for s, t in e["mentions"]}]
    assert len(lna) == 1 and "Libyan National Army" in lna[0]["name"]
    # A headline-only entity is kept with its offsets into the title.
    (pentagon,) = [e for e in seed_record["entities"] if e["name"] == "Pentagon"]
    s, e = pentagon["title_mentions"][0]
    assert seed_record["title"][s:e] == "Pentagon"


def test_seed_quotes_of_bashagha(seed_record: dict) -> None:
    text = seed_record["text"]
    quotes = [q for q in seed_record["quotes"] if q["speaker"] == "Fathi Bashagha"]
    for q in seed_record["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
    said = {q["kind"]: q["text"] for q in quotes}
    assert len(quotes) >= 4, seed_record["quotes"]
    blocks = [q["text"] for q in quotes if q["kind"] == "block"]
    assert any(b.startswith("If the US asks for a base") for b in blocks)
    assert any(b.startswith("The redeployment is not clear to us") for b in blocks)
    assert "have a big strategy" in said.get("partial", "")
    assert any(q["kind"] == "indirect" and "would be happy to help" in q["text"] for q in quotes)


def test_extract_no_enrich(run) -> None:
    result = run("extract", "--no-enrich", SEED)
    (record,) = jsonl(result.stdout)
    assert record["enriched"] is False and record["entities"] == [] and record["quotes"] == []


def test_quotes_command(archive: Path) -> None:
    folder = archive.parent
    result = run_cli("quotes", "--speaker", "bashagha", "--format", "jsonl", cwd=folder)
    assert result.returncode == 0, result.stderr
    hits = jsonl(result.stdout)
    assert len(hits) >= 4 and {h["speaker"] for h in hits} == {"Fathi Bashagha"}
    assert {h["site"] for h in hits} == {"rt.com"}
    # Table output names speaker and kind; the filters narrow.
    table = run_cli("quotes", "--speaker", "Fathi Bashagha", "--kind", "block", cwd=folder).stdout
    assert "Fathi Bashagha [block]" in table
    assert run_cli("quotes", "--speaker", "bashagha", "--site", "bbc.com", "--format", "jsonl", cwd=folder).stdout == ""
    assert run_cli("quotes", "--speaker", "bashagha", "--until", "2019-12-31", "--format", "jsonl", cwd=folder).stdout == ""
    about = jsonl(run_cli("quotes", "--about", "Libya", "--format", "jsonl", cwd=folder).stdout)
    assert about and all("Libya" in h["text"] for h in about)
    words = jsonl(run_cli("quotes", "strategy", "--format", "jsonl", cwd=folder).stdout)
    assert any("big strategy" in h["text"] for h in words)
    bad = run_cli("quotes", "AND OR", cwd=folder)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_entities_command(archive: Path) -> None:
    folder = archive.parent
    people = jsonl(run_cli("entities", "--label", "PERSON", "--top", "100", "--format", "jsonl", cwd=folder).stdout)
    assert {p["label"] for p in people} == {"PERSON"}
    names = {p["name"] for p in people}
    assert {"Fathi Bashagha", "Khalifa Haftar"} <= names
    top = jsonl(run_cli("entities", "--top", "3", "--format", "jsonl", cwd=folder).stdout)
    assert len(top) == 3 and top[0]["articles"] >= top[-1]["articles"]
    places = jsonl(run_cli("entities", "--label", "gpe", "--format", "jsonl", cwd=folder).stdout)
    assert places and {p["label"] for p in places} == {"GPE"}


def test_search_by_entity(archive: Path) -> None:
    folder = archive.parent
    hits = jsonl(run_cli("search", "Libya", "--person", "Haftar", "--format", "jsonl", cwd=folder).stdout)
    assert [h["site"] for h in hits] == ["rt.com"]
    assert run_cli("search", "Libya", "--person", "Nobody Atall", "--format", "jsonl", cwd=folder).stdout == ""
    assert jsonl(run_cli("search", "Libya", "--org", "national accord", "--format", "jsonl", cwd=folder).stdout)
    assert jsonl(run_cli("search", "Libya", "--place", "Tripoli", "--format", "jsonl", cwd=folder).stdout)
    # A place is not a person.
    assert run_cli("search", "Libya", "--person", "Tripoli", "--format", "jsonl", cwd=folder).stdout == ""


def test_no_enrich_then_enrich(tmp_path: Path) -> None:
    first = run_cli("ingest", SAMPLES, "--no-enrich", "--jobs", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert run_cli("quotes", "--format", "jsonl", cwd=tmp_path).stdout == ""
    enriched = run_cli("enrich", "--jobs", "2", cwd=tmp_path)
    assert enriched.returncode == 0, enriched.stderr
    assert "articles 11, enriched 11, failed 0" in enriched.stderr  # every sample page with text is stored
    again = run_cli("enrich", cwd=tmp_path)
    assert "articles 0, enriched 0" in again.stderr
    conn = sqlite3.connect(tmp_path / "newsdesk.db")
    counts = conn.execute("SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM entities)").fetchone()
    assert counts[0] > 0 and counts[1] > 0
    redo = run_cli("enrich", "--redo", "--jobs", "1", cwd=tmp_path)
    assert "enriched 11" in redo.stderr
    # Recomputing replaces rows; nothing is doubled, and the quote index stays consistent.
    assert conn.execute("SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM entities)").fetchone() == counts
    conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('integrity-check')")
    hits = jsonl(run_cli("quotes", "--speaker", "bashagha", "--format", "jsonl", cwd=tmp_path).stdout)
    assert len(hits) >= 4


def test_enrich_missing_archive(tmp_path: Path) -> None:
    result = run_cli("enrich", "--db", "nope.db", cwd=tmp_path)
    assert result.returncode == 1 and "nope.db: no such archive" in result.stderr


def test_export_carries_entities_and_quotes(archive: Path, validate) -> None:
    folder = archive.parent
    result = run_cli("export", "--person", "Bashagha", "--format", "jsonl", "-o", "out.jsonl", cwd=folder)
    assert result.returncode == 0, result.stderr
    records = jsonl((folder / "out.jsonl").read_text())
    assert len(records) == 1
    validate(records[0])
    assert records[0]["quotes"] and records[0]["entities"]


def test_each_quote_kind_on_bundled_articles(archive: Path) -> None:
    """The ten Zyte sample pages and the seed dump, as ingested by the README's command."""
    folder = archive.parent

    def quotes(kind: str) -> list[tuple[str | None, str]]:
        out = run_cli("quotes", "--kind", kind, "-n", "1000", "--format", "jsonl", cwd=folder)
        assert out.returncode == 0, out.stderr
        return [(q["speaker"], q["text"]) for q in jsonl(out.stdout)]

    def said(pairs: list[tuple[str | None, str]], speaker: str, words: str) -> bool:
        return any(who == speaker and words in text for who, text in pairs)

    direct = quotes("direct")
    assert said(direct, "Taylor Swift", "I just want to be able to perform my own music")  # bbc.com
    assert said(direct, "Zabihullah Mujahid", "their helicopter was shot down")  # aljazeera.com
    partial = quotes("partial")
    assert said(partial, "Zippy Duvall", "near-unprecedented economic uncertainty and hardship")  # nytimes.com
    assert said(partial, "Mark Milley", "for several more years")  # aljazeera.com
    indirect = quotes("indirect")
    assert said(indirect, "United Nations", "More than 2,500 Afghan civilians have been killed")
    assert said(indirect, "Fathi Bashagha", "Libya would be happy to help")
    block = quotes("block")
    assert said(block, "Fathi Bashagha", "If the US asks for a base")


def test_speech_by_default_stance_with_all(archive: Path) -> None:
    """A noun-phrase object ("stressing the need to …", "confirming the commitment to …") is
    no speech: `quotes` leaves it out, `--all` and `--stance` show it with its family."""
    folder = archive.parent

    def texts(*args: str) -> dict[str, str]:
        out = run_cli("quotes", "--speaker", "Shoigu", "-n", "1000", "--format", "jsonl", *args, cwd=folder)
        assert out.returncode == 0, out.stderr
        return {q["text"]: q["family"] for q in jsonl(out.stdout)}

    need = "the need to fulfill the decisions made at the Berlin conference"
    assert need not in texts()
    assert all(f == "speech" for f in texts().values())
    assert texts("--all")[need] == "stance"
    assert texts("--stance")[need] == "stance"
    assert set(texts("--stance").values()) == {"stance"}
    both = run_cli("quotes", "--all", "--stance", cwd=folder)
    assert both.returncode == 2 and "exclude each other" in both.stderr


def test_merged_entity_mentions_on_bundled_articles(archive: Path) -> None:
    folder = archive.parent

    def forms(article_title_word: str, name: str) -> set[str]:
        hits = jsonl(run_cli("search", f"title:{article_title_word}", "--format", "jsonl", cwd=folder).stdout)
        assert len(hits) == 1, hits
        record = json.loads(run_cli("show", hits[0]["id"], cwd=folder).stdout)
        (entity,) = [e for e in record["entities"] if e["name"] == name]
        return {record["text"][s:e] for s, e in entity["mentions"]}

    assert {"Taylor Swift", "Swift"} <= forms("AMAs", "Taylor Swift")
    assert {"Scooter Braun", "Braun"} <= forms("AMAs", "Scooter Braun")
    # "Washington invaded the country": the capital acting as the government is the US.
    assert {"US", "Washington"} <= forms("helicopter", "United States")
    assert {"UN", "United Nations"} <= forms("helicopter", "United Nations")
    assert {"Zabihullah Mujahid", "Mujahid"} <= forms("helicopter", "Zabihullah Mujahid")
    # Role phrases join the person; "He" opening a sentence is a pronoun, not Liu He.
    assert {"Trump", "the president"} <= forms("Guessing", "Trump")
    assert forms("Guessing", "Liu He") == {"Liu He"}
