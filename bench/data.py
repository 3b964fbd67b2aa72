"""Loading the shared benchmark data; says clearly when it is missing."""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(os.environ.get("NEWSDESK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
BENCH = SHARED / "bench"
ZYTE = BENCH / "zyte"
WCXB = BENCH / "wcxb-dev"
TEXTDUMPS = BENCH / "textdumps" / "dev.jsonl.gz"
POLNEAR = BENCH / "polnear"


def require(path: Path) -> Path:
    if not path.exists():
        sys.exit(f"bench: {path} is missing (set NEWSDESK_SHARED to the folder holding bench/)")
    return path


@dataclass
class Page:
    id: str
    url: str | None
    html: str  # decoded; the speed runs time extraction from memory
    raw: bytes
    truth: str


def zyte_pages() -> list[Page]:
    root = require(ZYTE)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for pid in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes())
        pages.append(Page(pid, truth[pid].get("url"), raw.decode("utf-8", "replace"), raw, truth[pid].get("articleBody") or ""))
    return pages


READABILITY = BENCH / "readability"


def readability_pages() -> list[Page]:
    """Mozilla Readability's test pages: the source page, and Readability.js's own output as
    the truth (its text: not human truth, but a second opinion that finds lost articles)."""
    from selectolax.lexbor import LexborHTMLParser

    root = require(READABILITY)
    pages = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        src, expected = folder / "source.html.gz", folder / "expected.html.gz"
        if not src.exists() or not expected.exists():
            continue
        raw = gzip.decompress(src.read_bytes())
        tree = LexborHTMLParser(gzip.decompress(expected.read_bytes()).decode("utf-8", "replace"))
        truth = tree.body.text(separator=" ") if tree.body is not None else ""
        pages.append(Page(folder.name, None, raw.decode("utf-8", "replace"), raw, " ".join(truth.split())))
    return pages


@dataclass
class Dump:
    id: str
    part: str  # "zyte" or "wcxb"
    style: str
    url: str | None
    dump: str
    title: str | None
    text: str


def text_dumps() -> list[Dump]:
    path = require(TEXTDUMPS)
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            part = "zyte" if r["id"].startswith("zyte") else "wcxb"
            out.append(Dump(r["id"], part, r["style"], r.get("url"), r["dump"], r.get("title"), r["text"]))
    return out


@dataclass
class WcxbPage:
    id: str
    url: str | None
    page_type: str  # article, listing, forum, product, collection, documentation, service
    html: str
    title: str | None
    authors: str | None  # as the annotators wrote it: "A, B and C", credentials included
    published: str | None  # YYYY-MM-DD
    main_content: str
    with_snippets: list[str]
    without_snippets: list[str]


def wcxb_pages(select: Callable[[str, str], bool] | None = None) -> list[WcxbPage]:
    """Every WCXB-dev page, or those for which ``select(id, page_type)`` is true (the others
    are not decompressed: the quality gate reads a subset)."""
    import ast

    root = require(WCXB)
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    pages = []
    for fid in sorted(meta):
        if select is not None and not select(fid, meta[fid]["page_type"]):
            continue
        gt_path = root / "ground-truth" / f"{fid}.json"
        html_path = root / "html" / f"{fid}.html.gz"
        if not gt_path.exists() or not html_path.exists():
            continue
        rec = json.loads(gt_path.read_text(encoding="utf-8"))
        gt = rec.get("ground_truth") or {}
        if isinstance(gt, str):
            gt = ast.literal_eval(gt)

        def listed(v: object) -> list[str]:
            if isinstance(v, str):
                v = ast.literal_eval(v) if v.startswith("[") else [v]
            return [s for s in (v or []) if isinstance(s, str) and s.strip()]  # type: ignore[union-attr,attr-defined]

        raw = gzip.decompress(html_path.read_bytes())
        pages.append(
            WcxbPage(
                fid, rec.get("url"), meta[fid]["page_type"], raw.decode("utf-8", "replace"),
                gt.get("title"), gt.get("author"), gt.get("publish_date"), gt.get("main_content") or "",
                listed(gt.get("with")), listed(gt.get("without")),
            )
        )
    return pages
