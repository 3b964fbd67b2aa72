"""The publication date of an HTML page: structured data, the visible byline, the URL.

Three kinds of evidence are gathered and one rule decides between them (``choose``):

* structured dates — JSON-LD ``datePublished``, ``article:published_time`` and kin, itemprops;
* dates written near the headline, each labelled by the words before it ("Published",
  "Updated …") — what a reader of the page sees as the story's date;
* a date in the URL (``/2020/02/23/``).

Days are compared as the page writes them: "2025-12-18T21:46:00-05:00" is the 18th, never
converted to UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .boilerplate import inside_marked
from .dates import find_dates, hints, parse_date
from .metadata import MODIFIED_KEYS, PUBLISHED_KEYS, Meta, url_date

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

    from .walk import Walk


@dataclass(frozen=True, slots=True)
class Seen:
    """A date written on the page: its day, its label ("p" published, "u" updated, "" none)
    and how many blocks it sits from the headline."""

    day: str
    label: str
    distance: int
    alt: str | None = None  # the other reading of "09.10.2024"


# ---------------------------------------------------------------------------------------
# Structured data


def structured(m: Meta) -> tuple[str | None, str | None]:
    """(published, modified) from JSON-LD, <meta> and itemprops, as the page writes them."""
    art = m.ld_article
    cands: list[Any] = []
    if art is not None:
        cands += [art.get("datePublished"), art.get("dateCreated")]
    cands += [v for k in PUBLISHED_KEYS for v in m.meta.get(k, ())]
    cands += m.itemprops.get("datepublished", []) + m.itemprops.get("datecreated", [])
    cands += [v for k in _extra_keys(m, "published_meta", PUBLISHED_KEYS) for v in m.meta.get(k, ())]
    if art is None:
        cands += [obj.get("datePublished") for obj in m.ld if "datePublished" in obj]
    mods: list[Any] = [art.get("dateModified")] if art is not None else []
    mods += [v for k in MODIFIED_KEYS for v in m.meta.get(k, ())]
    mods += m.itemprops.get("datemodified", [])
    mods += [v for k in _extra_keys(m, "modified_meta", MODIFIED_KEYS) for v in m.meta.get(k, ())]
    return _first_date(cands), _first_date(mods)


def _first_date(values: list[Any]) -> str | None:
    for v in values:
        if isinstance(v, list) and v:
            v = v[0]
        if isinstance(v, str):
            d = parse_date(v)
            if d:
                return d
    return None


def _extra_keys(m: Meta, kind: str, known: tuple[str, ...]) -> list[str]:
    """<meta> keys beyond the well-known ones that name a publication (or revision) date:
    "w-published-date", "published"."""
    return [k for k in m.meta if k not in known and _extra_kind(k) == kind]


@lru_cache(maxsize=8192)
def _extra_kind(key: str) -> str | None:
    # The same few hundred meta keys ("og:title", "viewport") recur on page after page, and
    # testing each against every hint fragment was most of ``structured``'s time: answer
    # once per key. "published_meta" / "modified_meta" when the key holds fragments of
    # that kind and none of the other; else None.
    if key.startswith(("og:image", "twitter:")):
        return None
    lists = _hint_lists()
    pub = any(f in key for f in lists["published_meta"])
    mod = any(f in key for f in lists["modified_meta"])
    if pub and not mod:
        return "published_meta"
    if mod and not pub:
        return "modified_meta"
    return None


_LISTS: dict[str, list[str]] | None = None


def _hint_lists() -> dict[str, list[str]]:
    global _LISTS
    if _LISTS is None:
        d = json.loads((resources.files("newsdesk") / "data" / "date-hints.json").read_text(encoding="utf-8"))
        _LISTS = {k: v for k, v in d.items() if isinstance(v, list)}
    return _LISTS


# ---------------------------------------------------------------------------------------
# Dates written on the page

# Blocks either side of the headline searched for the byline's date. wcxb-dev articles
# (588 dated): see the commit that set it; bylines sit within a few blocks of the headline.
NEAR_WINDOW = 12
# A block longer than this is prose; a date inside it is something the story talks about.
MAX_DATE_LINE = 200
# A block longer than this holds a bare (unlabelled) date only as part of a sentence.
MAX_BARE_LINE = 100
# A block this short right before a date is read as its label ("Published" / "Feb 2, 2023").
MAX_LABEL = 30


def label_of(prefix: str) -> str:
    """"p", "u" or "" for the words written before a date ("Last updated:", "Posted on")."""
    h = hints()
    u = list(h.updated.finditer(prefix))
    p = list(h.published.finditer(prefix))
    if not u and not p:
        return ""
    # The label nearest the date wins: "Published May 1 · Updated June 2" labels each date.
    last_u = u[-1].end() if u else -1
    last_p = p[-1].end() if p else -1
    return "u" if last_u > last_p else "p"


def _read_line(text: str, distance: int, month_first: bool, before: str = "") -> list[Seen]:
    out = []
    prev = 0
    for pos, day, alt in find_dates(text, month_first=month_first):
        prefix = text[prev:pos]
        lab = label_of(prefix)
        if not lab and prev == 0 and not prefix.strip() and before:
            lab = label_of(before)
        # An unlabelled date inside a sentence is something the story talks about.
        if lab or len(text) <= MAX_BARE_LINE:
            out.append(Seen(day, lab, distance, alt))
        prev = pos + 1
    return out


def near_headline(w: Walk, start: int, *, month_first: bool) -> list[Seen]:
    """Dates in the short blocks around the headline block ``start``, nearest first (a date
    just below the headline before one just above it)."""
    blocks = w.blocks
    lo, hi = max(0, start - NEAR_WINDOW), min(len(blocks), start + NEAR_WINDOW + 1)
    out: list[Seen] = []
    for i in sorted(range(lo, hi), key=lambda i: (abs(i - start), i < start)):
        text = blocks[i].text
        if len(text) > MAX_DATE_LINE or blocks[i].tag in ("td", "th"):  # table cells: data
            continue
        before = blocks[i - 1].text if i > 0 and len(blocks[i - 1].text) <= MAX_LABEL else ""
        out += _read_line(text, abs(i - start), month_first, before)
    return out


# Only this many date-marked elements are read: later ones belong to comments and teasers.
MAX_HINTED = 40
# Ancestors looked at for a comment / related-stories marker.
SKIP_DEPTH = 8


def hinted(tree: LexborHTMLParser, *, month_first: bool) -> list[Seen]:
    """Dates in elements whose class or id marks a date ("post-date", "dateline"), anywhere on
    the page but outside comments, related stories and footers; in document order."""
    lists = _hint_lists()
    sel = ", ".join(f'[class*="{c}"], [id*="{c}"]' for c in lists["date_classes"])
    skip = lists["skip_classes"]
    out: list[Seen] = []
    for i, node in enumerate(tree.css(sel)):
        if i >= MAX_HINTED or node.tag in ("html", "body", "script", "style", "meta", "link"):
            if i >= MAX_HINTED:
                break
            continue
        text = " ".join(node.text(deep=True, separator=" ").split())
        if not text or len(text) > MAX_DATE_LINE or _in_skipped(node, skip):
            continue
        parent = node.parent
        before = ""
        if parent is not None:
            ptext = " ".join(parent.text(deep=True, separator=" ").split())
            if len(ptext) <= MAX_DATE_LINE and text in ptext:
                before = ptext[: ptext.index(text)][-MAX_LABEL:]
        found = _read_line(text, -1, month_first, before)
        if found:
            out += found
    return out


def labelled_anywhere(w: Walk, *, month_first: bool) -> list[Seen]:
    """Dates labelled "Published …"/"Last updated …" in any short block, in document order:
    the last resort for pages that put the date under the story."""
    out: list[Seen] = []
    for b in w.blocks:
        if len(b.text) <= MAX_DATE_LINE and b.tag not in ("td", "th"):
            out += [s for s in _read_line(b.text, -1, month_first) if s.label]
    return out


_SKIPPED_TAGS = frozenset(("footer", "aside", "nav"))


def _in_skipped(node: LexborNode, skip: list[str]) -> bool:
    return inside_marked(node, skip, _SKIPPED_TAGS, depth=SKIP_DEPTH)


# ---------------------------------------------------------------------------------------
# The decision


def _days_apart(a: str, b: str) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def choose(pub: str | None, mod: str | None, url_day: str | None, near: list[Seen],
           times: list[str], far: list[Seen]) -> str | None:
    """The publication date from the evidence, most telling first:

    1. a date near the headline labelled "Published"/"Posted";
    2. an unlabelled date near the headline, even when structured data calls it the revision
       date (wcxb-dev: such pages are annotated with the visible date 9 times, the structured
       publication date 7 times);
    3. the structured publication date (the URL's day when the two are one day apart: a
       UTC timestamp of a story filed late in the evening);
    4. a near date labelled "Updated" (all the page says);
    5. a <time datetime> in the story, a date-marked element elsewhere, the revision date,
       the URL's date.
    """
    first = _story_date(pub, url_day, near)
    if first is not None:
        return first
    if pub:
        if url_day and _days_apart(url_day, pub) == 1:
            return url_day
        return pub
    for s in near:
        if s.label == "u":
            return s.day
    for t in times:
        d = parse_date(t)
        if d:
            return d
    for s in far:
        if s.label != "u":
            return s.day
    if far:
        return far[0].day
    return url_day or mod


# An "Updated" date and the publication date of one byline sit this many blocks apart at most.
BYLINE_SPAN = 2


def _story_date(pub: str | None, url_day: str | None, near: list[Seen]) -> str | None:
    """The byline's publication date among the dates near the headline (nearest first)."""
    if not near:
        return None
    first = near[0]
    pick: Seen | None = first
    if first.label == "u":
        pick = next((s for s in near[1:] if s.label != "u" and s.distance <= first.distance + BYLINE_SPAN), None)
    if pick is None:
        return None
    if pick.alt and pick.alt in (pub and pub[:10], url_day):
        return pick.alt
    return pick.day


def month_first(m: Meta) -> bool:
    """US pages write 03/04/2025 for March 4th; the rest of the world for April 3rd."""
    lang = (m.html_lang or "").lower().replace("_", "-")
    return lang in ("", "en", "en-us")


def published_date(m: Meta, tree: LexborHTMLParser, w: Walk, start: int, url: str | None,
                   times: list[str]) -> tuple[str | None, str | None]:
    """(published, modified) of the page; ``start`` is the headline's block."""
    pub, mod = structured(m)
    mf = month_first(m)
    near = near_headline(w, start, month_first=mf) if w.blocks else []
    url_day = url_date(url) if url else None
    far: list[Seen] = []
    if not pub and not near and not times:
        far = hinted(tree, month_first=mf) or labelled_anywhere(w, month_first=mf)
    return choose(pub, mod, url_day, near, times, far), mod
