"""A large synthetic archive for the web latency bench, built once and cached.

    python -m bench.gen_archive [--articles 100000] [--db bench/out/web-100k.db]

Articles are prebuilt ``Article`` records (no extraction, no spaCy) stored through
``Archive.add_many``, so the tables, indexes and FTS rows are exactly what ``newsdesk
ingest`` writes. What makes them realistic enough for latency:

- ~400-word texts in paragraphs, words drawn Zipf-wise from the English of the bundled
  ``samples/`` (frequency order) followed by a long tail of made-up words, so a common
  word ("said") matches most articles and the tail words only a few dozen;
- 50 sites (Zipf: a few big ones), publication times spread over three years;
- 5–30 entities per article from a pool of 20,000 names (8,000 people, 5,000
  organisations, 4,000 GPE, 3,000 LOC), each label's pool drawn Zipf-wise so a handful of
  names are in thousands of articles and most in a few; every mention is a real
  ``[start, end)`` span of the name in the text;
- 0–8 quotes per article (direct, partial, indirect), each said by one of the article's
  people (``speaker_entity``, ``speaker_span`` set), about half naming another entity.

Everything is drawn from a seeded ``random.Random``: the same arguments give the same
archive. The file is written under a temporary name and renamed when complete, so a
killed run never leaves a half-built archive at the cached path. Beside it,
``<db>.json`` records what it was built from (article count, seed, a hash of the schema
migrations); an archive built for other settings or an older schema is rebuilt.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsdesk import Archive, extract
from newsdesk.archive.db import migrations
from newsdesk.model import Article, Entity, Quote, Source, count_words, text_id

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "bench" / "out" / "web-100k.db"
SEED = 20261126

SITES = 50
TAIL_WORDS = 40_000  # made-up words after the real vocabulary: the rare end of the pool
POOLS = {"PERSON": 8_000, "ORG": 5_000, "GPE": 4_000, "LOC": 3_000}
# Share of an article's entities per label (news text: people most, then orgs and places).
LABEL_SHARE = {"PERSON": 0.40, "ORG": 0.25, "GPE": 0.25, "LOC": 0.10}
START = datetime(2023, 1, 1, tzinfo=timezone.utc)
SPAN_DAYS = 3 * 365
KINDS = ("direct", "direct", "direct", "partial", "indirect")

_SYLLABLES = (
    "ka ri mo ta le na so vi da ne ro ma li sa ko be ha ju el an or in ul ar ev ost ber gan mir "
    "tel dor vak shi zen lo pa qu fa wen hu xi yor ga pe ti nu"
).split()
_ORG_KINDS = ("Ministry of", "Bank of", "Council of", "Institute for", "Party of", "Union of", "Agency for")
_ORG_SUFFIX = ("Group", "Holdings", "Corporation", "Foundation", "Alliance", "Partners", "Media", "Energy")
_PLACE_SUFFIX = ("", "", "", " City", "ia", "stan", "land", " Province")
_LOC_KIND = ("River", "Mountains", "Valley", "Sea", "Desert", "Lake", "Plateau", "Bay")
_TLDS = (".com", ".com", ".com", ".co.uk", ".org", ".net", ".news")


def vocabulary(rng: random.Random) -> list[str]:
    """Real words of the bundled samples, most frequent first, then made-up tail words."""
    counts: dict[str, int] = {}
    for path in sorted((ROOT / "samples").iterdir()):
        if not path.name.endswith((".html.gz", ".txt")):
            continue
        for word in re.findall(r"[A-Za-z]{2,}|\ba\b", extract(path.read_bytes()).text):
            word = word.lower()
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))
    seen = set(words)
    target = len(words) + TAIL_WORDS
    while len(words) < target:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def _word(rng: random.Random, lo: int = 2, hi: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(lo, hi))).capitalize()


def name_pools(rng: random.Random) -> dict[str, list[str]]:
    """Unique names per label, in popularity order (index 0 is the most named)."""
    makers = {
        "PERSON": lambda: f"{_word(rng, 2, 2)} {_word(rng, 2, 3)}",
        "ORG": lambda: (
            f"{rng.choice(_ORG_KINDS)} {_word(rng)}" if rng.random() < 0.5 else f"{_word(rng)} {rng.choice(_ORG_SUFFIX)}"
        ),
        "GPE": lambda: _word(rng) + rng.choice(_PLACE_SUFFIX),
        "LOC": lambda: f"{_word(rng)} {rng.choice(_LOC_KIND)}",
    }
    pools: dict[str, list[str]] = {}
    taken: set[str] = set()
    for label, size in POOLS.items():
        names: list[str] = []
        while len(names) < size:
            name = makers[label]()
            if name.casefold() not in taken:
                taken.add(name.casefold())
                names.append(name)
        pools[label] = names
    return pools


def zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


class Generator:
    """Deterministic synthetic articles; ``articles(n)`` yields them in order."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng)
        self.words_cum = zipf_cum(len(self.words), 1.1)
        self.pools = name_pools(self.rng)
        self.pools_cum = {label: zipf_cum(len(names), 0.9) for label, names in self.pools.items()}
        self.sites = [f"{_word(self.rng, 2, 3).lower()}{self.rng.choice(('news', 'times', 'post', 'daily', ''))}"
                      f"{self.rng.choice(_TLDS)}" for _ in range(SITES)]
        self.sites_cum = zipf_cum(SITES, 0.8)
        self.authors = [f"{_word(self.rng, 2, 2)} {_word(self.rng, 2, 3)}" for _ in range(2_000)]

    def _words(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.words_cum, k=k)

    def _entities(self) -> list[tuple[str, str]]:
        rng = self.rng
        n = rng.randint(5, 30)
        labels = rng.choices(list(LABEL_SHARE), weights=list(LABEL_SHARE.values()), k=n)
        if "PERSON" not in labels:
            labels[0] = "PERSON"
        chosen: dict[str, tuple[str, str]] = {}
        for label in labels:
            name = rng.choices(self.pools[label], cum_weights=self.pools_cum[label], k=1)[0]
            chosen.setdefault(name.casefold(), (name, label))
        return list(chosen.values())

    def _tokens(self, k: int, names: list[int]) -> list[str | int]:
        """``k`` words with the entity indexes ``names`` put in at random places."""
        tokens: list[str | int] = list(self._words(k))
        for i in names:
            tokens.insert(self.rng.randint(0, len(tokens)), i)
        return tokens

    def article(self, n: int) -> Article:
        rng = self.rng
        ents = self._entities()
        people = [i for i, (_, label) in enumerate(ents) if label == "PERSON"]
        n_sentences = rng.randint(24, 36)  # ~13 words each: ~400 words with names and quotes
        # Each entity is mentioned 1-4 times, in random sentences.
        at: dict[int, list[int]] = {}
        for i in range(len(ents)):
            for _ in range(1 + min(3, int(rng.expovariate(1.2)))):
                at.setdefault(rng.randrange(n_sentences), []).append(i)
        quote_at = {rng.randrange(n_sentences) for _ in range(rng.randint(0, 8))}

        pieces: list[str] = []
        pos = 0
        mentions: list[list[tuple[int, int]]] = [[] for _ in ents]
        quotes: list[Quote] = []

        def put(s: str) -> tuple[int, int]:
            nonlocal pos
            pieces.append(s)
            pos += len(s)
            return (pos - len(s), pos)

        def name(i: int) -> tuple[int, int]:
            span = put(ents[i][0])
            mentions[i].append(span)
            return span

        def run(tokens: list[str | int], *, capital: bool = False) -> None:
            for j, tok in enumerate(tokens):
                if j:
                    put(" ")
                if isinstance(tok, int):
                    name(tok)
                else:
                    put(tok.capitalize() if capital and j == 0 else tok)

        for s in range(n_sentences):
            if s:
                put("\n\n" if s % 4 == 0 else " ")
            names = list(at.get(s, []))
            if s in quote_at and people:
                speaker = rng.choice(people)
                names = [i for i in names if i != speaker]
                about, rest = names[:1], names[1:]  # about half the quotes name someone
                inside = self._tokens(rng.randint(6, 14), about)
                kind = rng.choice(KINDS)
                if kind == "direct":
                    q0 = put("“")[0]
                    run(inside, capital=True)
                    q1 = put(",”")[1]
                    put(" said ")
                    sp = name(speaker)
                    put(".")
                    cue = "said"
                else:
                    sp = name(speaker)
                    cue = "said" if kind == "partial" else rng.choice(("said", "told reporters", "warned"))
                    put(f" {cue} the plan was " if kind == "partial" else f" {cue} that ")
                    q0 = pos
                    if kind == "partial":
                        put("“")
                    run(inside)
                    if kind == "partial":
                        put("”")
                    q1 = pos
                    put(".")
                quotes.append(Quote(text="", start=q0, end=q1, kind=kind, cue=cue,
                                    speaker=ents[speaker][0], speaker_entity=speaker, speaker_span=sp))
                if not rest:
                    continue
                put(" ")
                names = rest
            run(self._tokens(rng.randint(8, 18), names), capital=True)
            put(".")
        text = "".join(pieces)
        for q in quotes:
            q.text = text[q.start : q.end]

        lead = ents[0][0]
        title_words = " ".join(self._words(rng.randint(5, 9))).capitalize()
        title = f"{lead} {title_words.lower()}"
        entities = [
            Entity(name, label, sorted(mentions[i]), [(0, len(lead))] if i == 0 else [])
            for i, (name, label) in enumerate(ents)
        ]
        day = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        site = rng.choices(self.sites, cum_weights=self.sites_cum, k=1)[0]
        slug = "-".join(title.lower().split()[:6])
        url = f"https://www.{site}/{day:%Y/%m/%d}/{slug}-{n}"
        return Article(
            id=text_id(text),
            text=text,
            url=url,
            canonical_url=url,
            site=site,
            site_name=site.split(".")[0].capitalize(),
            title=title,
            description=text[: text.find(".") + 1][:200],
            authors=rng.sample(self.authors, rng.randint(0, 2)),
            published=day.isoformat(timespec="seconds"),
            language="en",
            tags=[],
            page_type="article",
            word_count=count_words(text),
            source=Source(path=None, format="html"),
            entities=entities,
            quotes=quotes,
            enriched=True,
        )

    def articles(self, count: int) -> Iterator[Article]:
        for n in range(count):
            yield self.article(n)


def build_key(count: int) -> dict[str, object]:
    """What a cached archive must have been built from to be reused."""
    schema = hashlib.sha256("\n".join(f"{name}\n{sql}" for name, sql in migrations()).encode()).hexdigest()[:16]
    return {"articles": count, "seed": SEED, "schema": schema}


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def build(path: Path, count: int, *, batch_size: int = 2_000, quiet: bool = False) -> Path:
    """Write ``count`` synthetic articles to ``path`` unless it already holds them."""
    key = build_key(count)
    if path.exists():
        try:
            if json.loads(_sidecar(path).read_text(encoding="utf-8")) == key:
                return path
        except (OSError, ValueError):
            pass
        if not quiet:
            print(f"gen_archive: {path} was built for other settings or schema; rebuilding", file=sys.stderr)
        for extra in ("", "-wal", "-shm"):
            Path(str(path) + extra).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    for extra in ("", "-wal", "-shm"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
    gen = Generator()
    started = time.perf_counter()
    with Archive(tmp) as archive:
        # A throwaway file being built once: a crash means starting over, so no fsyncs.
        archive.conn.execute("PRAGMA synchronous = OFF")
        archive.conn.execute("PRAGMA cache_size = -262144")
        done = 0
        while done < count:
            step = min(batch_size * 5, count - done)
            archive.add_many((gen.article(n) for n in range(done, done + step)), batch_size=batch_size)
            done += step
            if not quiet:
                rate = done / (time.perf_counter() - started)
                print(f"\rgen_archive: {done:,}/{count:,} articles ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    if not quiet:
        print(file=sys.stderr)
    tmp.rename(path)
    _sidecar(path).write_text(json.dumps(key) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    build(args.db, args.articles)
    print(f"{args.db}: {args.articles:,} articles ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
