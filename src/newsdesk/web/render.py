"""Page content to safe HTML: highlighted article text, search snippets, reused passages,
chart and story-strip geometry, links.

Everything here builds markup by escaping each piece of page content (markupsafe) and
joining it with tags written in this module; nothing from a page is ever passed through
as HTML.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape

from ..archive.browse import MARK_CLOSE, MARK_OPEN, Histogram
from ..model import Entity, Quote

LABEL_NAMES = {"PERSON": "person", "ORG": "organisation", "GPE": "place (country, city, state)", "LOC": "place"}
LABEL_HEADINGS = {"PERSON": "People", "ORG": "Organisations", "GPE": "Places", "LOC": "Other places"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def entity_url(label: str, name: str) -> str:
    return f"/entity/{quote(label, safe='')}/{quote(name, safe='')}"


def page_url(path: str, params: dict[str, object], **changes: object) -> str:
    """``path`` with ``params`` (and ``changes``) as a query string; empty values left out."""
    merged = {**params, **changes}
    query = urlencode([(k, str(v)) for k, v in merged.items() if v not in (None, "")])
    return f"{path}?{query}" if query else path


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None: a scraped ``javascript:`` or
    ``data:`` link must never become a clickable href."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def snippet_html(snippet: str) -> Markup:
    """A search snippet with its matched words in ``<mark>``, everything else escaped."""
    out = []
    for i, piece in enumerate(re.split(f"[{MARK_OPEN}{MARK_CLOSE}]", snippet)):
        # Markers alternate open/close, so odd pieces are the matches.
        out.append(Markup("<mark>{}</mark>").format(piece) if i % 2 else escape(piece))
    return Markup("").join(out)


def snippet_text(snippet: str, markers: tuple[str, str] = ("[", "]")) -> str:
    """The snippet for JSON: matched words between ``markers``, as ``newsdesk search`` prints them."""
    return snippet.replace(MARK_OPEN, markers[0]).replace(MARK_CLOSE, markers[1])


def quote_title(q: Quote) -> str:
    who = q.speaker or "unknown speaker"
    cue = f" ({q.cue})" if q.cue else ""
    family = "" if q.family == "speech" else ", stance"
    return f"{q.kind} quote{family} — {who}{cue}"


def entity_title(e: Entity) -> str:
    return f"{e.name} — {LABEL_NAMES.get(e.label, e.label)}"


def article_html(text: str, entities: Sequence[Entity], quotes: Sequence[Quote]) -> Markup:
    """The article text as ``<p>`` paragraphs, quotes as ``<q class="quote">`` (reported
    speech as ``<span class="quote">``) with entity mentions as ``<mark class="entity">``
    inside them.

    Offsets are ``[start, end)`` into ``text``; spans out of range are ignored. Where spans
    cross (a mention running out of a quote, a quote running over a paragraph break) the
    elements are closed and reopened at the boundary, so the markup always nests.
    """
    n = len(text)
    marks = [(s, e, i) for i, ent in enumerate(entities) for s, e in ent.mentions if 0 <= s < e <= n]
    spans = [(q.start, q.end, i) for i, q in enumerate(quotes) if 0 <= q.start < q.end <= n]
    paragraphs = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        paragraphs.append((pos, m.start()))
        pos = m.end()
    paragraphs.append((pos, n))

    cuts = sorted({0, n, *(p for s, e, _ in marks + spans for p in (s, e)), *(p for para in paragraphs for p in para)})
    out: list[str] = []
    for p_start, p_end in paragraphs:
        if p_start >= p_end:
            continue
        out.append("<p>")
        open_q: int | None = None
        open_e: int | None = None
        points = cuts[bisect_left(cuts, p_start) : bisect_right(cuts, p_end)]
        # Only this paragraph's spans are candidates: keeps a long article linear-ish.
        p_spans = [t for t in spans if t[0] < p_end and t[1] > p_start]
        p_marks = [t for t in marks if t[0] < p_end and t[1] > p_start]
        for a, b in itertools.pairwise(points):
            q = _covering(p_spans, a, b)
            e = _covering(p_marks, a, b)
            if q != open_q:
                if open_e is not None:
                    out.append("</mark>")
                    open_e = None
                if open_q is not None:
                    out.append(_quote_close(quotes[open_q]))
                if q is not None:
                    out.append(_quote_open(quotes[q], q))
                open_q = q
            if e != open_e:
                if open_e is not None:
                    out.append("</mark>")
                if e is not None:
                    out.append(_mark_open(entities[e], e))
                open_e = e
            out.append(str(escape(text[a:b])).replace("\n", "<br>\n"))
        if open_e is not None:
            out.append("</mark>")
        if open_q is not None:
            out.append(_quote_close(quotes[open_q]))
        out.append("</p>\n")
    return Markup("".join(out))


def _covering(spans: list[tuple[int, int, int]], a: int, b: int) -> int | None:
    """The index of the span covering ``[a, b)`` that starts first (longest on a tie)."""
    best: tuple[int, int, int] | None = None
    for s, e, i in spans:
        if s <= a and b <= e and (best is None or (s, -e) < (best[0], -best[1])):
            best = (s, e, i)
    return None if best is None else best[2]


def _quote_open(q: Quote, index: int) -> str:
    tag = "span" if q.kind == "indirect" else "q"
    return str(
        Markup('<{} class="quote" data-kind="{}" data-family="{}" data-speaker="{}" data-quote="{}" title="{}" '
               'tabindex="0">').format(Markup(tag), q.kind, q.family, q.speaker or "", index, quote_title(q))
    )


def _quote_close(q: Quote) -> str:
    return "</span>" if q.kind == "indirect" else "</q>"


def _mark_open(e: Entity, index: int) -> str:
    return str(
        Markup('<mark class="entity" data-label="{}" data-entity="{}" data-href="{}" title="{}" tabindex="0">').format(
            e.label, e.name, entity_url(e.label, e.name), entity_title(e)
        )
    )


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    start: str
    count: int
    tip: str


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG bar chart laid out on the server: one bar per bucket, in viewBox units."""

    bucket: str
    bars: list[Bar]
    width: int
    height: int
    top: int  # the largest count, labelled on the axis
    first: str
    last: str

    @property
    def empty(self) -> bool:
        return not self.bars


CHART_WIDTH, CHART_HEIGHT = 800, 140
MIN_SLOTS = 24


def chart(hist: Histogram, *, what: str = "articles") -> Chart:
    counts = hist.counts
    top = max((n for _, n in counts), default=0)
    # At least MIN_SLOTS slots, so one or two bars stay bars, centred, not a solid block.
    step = CHART_WIDTH / max(len(counts), MIN_SLOTS)
    left = (CHART_WIDTH - step * len(counts)) / 2
    # A gap between bars only when they are wide enough to show it.
    gap = min(2.0, step * 0.15) if step > 4 else 0.0
    bars = []
    for i, (start, n) in enumerate(counts):
        h = 0.0 if top == 0 else max(1.0 if n else 0.0, (CHART_HEIGHT - 4) * n / top)
        tip = f"{_bucket_label(start, hist.bucket)}: {n:,} {what}"
        bars.append(Bar(round(left + i * step, 2), round(CHART_HEIGHT - h, 2), round(max(step - gap, 0.5), 2), round(h, 2), start, n, tip))
    first = _bucket_label(counts[0][0], hist.bucket) if counts else ""
    last = _bucket_label(counts[-1][0], hist.bucket) if counts else ""
    return Chart(hist.bucket, bars, CHART_WIDTH, CHART_HEIGHT, top, first, last)


def _bucket_label(start: str, bucket: str) -> str:
    if bucket == "month":
        return start[:7]
    if bucket == "week":
        return f"week of {start}"
    return start


# -- stories -------------------------------------------------------------------------------

# Characters of the surrounding text shown on each side of a reused passage: a sentence or
# two, enough to see where the passage sits without repeating the whole article.
PASSAGE_CONTEXT = 160


def passage_html(text: str, start: int, end: int, *, context: int = PASSAGE_CONTEXT) -> Markup:
    """``text[start:end]`` in ``<mark class="reused">`` with up to ``context`` characters of
    the text around it (cut at a space, "…" where cut), everything escaped; line breaks kept.
    A span outside the text gives an empty excerpt."""
    if not 0 <= start < end <= len(text):
        return Markup("")
    before_at = max(0, start - context)
    if before_at > 0:
        space = text.find(" ", before_at, start)
        before_at = space + 1 if space >= 0 else before_at
    after_to = min(len(text), end + context)
    if after_to < len(text):
        space = text.rfind(" ", end, after_to)
        after_to = space if space >= 0 else after_to

    def lines(s: str) -> str:
        return str(escape(s)).replace("\n", "<br>\n")

    return Markup("{}{}<mark class=\"reused\">{}</mark>{}{}").format(
        "…" if before_at > 0 else "",
        Markup(lines(text[before_at:start])),
        Markup(lines(text[start:end])),
        Markup(lines(text[end:after_to])),
        "…" if after_to < len(text) else "",
    )


@dataclass(frozen=True, slots=True)
class Dot:
    cx: float
    r: float
    day: str
    count: int
    tip: str


@dataclass(frozen=True, slots=True)
class Strip:
    """A story's days as a row of dots laid out on the server (SVG, viewBox units): one dot
    per day with articles, placed by its date between the first and last day, sized by count."""

    dots: list[Dot]
    width: int
    height: int
    first: str
    last: str

    @property
    def empty(self) -> bool:
        return not self.dots


STRIP_WIDTH, STRIP_HEIGHT = 200, 16
DOT_MIN, DOT_MAX = 2.5, 7.0


def strip(days: Sequence[tuple[str, int]]) -> Strip:
    """``days``: ``(YYYY-MM-DD, articles)``; days that are not dates are left out."""
    known: list[tuple[date, int]] = []
    for day, n in days:
        try:
            known.append((date.fromisoformat(day), n))
        except ValueError:
            continue
    if not known:
        return Strip([], STRIP_WIDTH, STRIP_HEIGHT, "", "")
    known.sort()
    first, last = known[0][0], known[-1][0]
    span = (last - first).days
    top = max(n for _, n in known)
    inner = STRIP_WIDTH - 2 * DOT_MAX
    dots = []
    for d, n in known:
        # A one-day story is one dot in the middle; otherwise the first and last day at the ends.
        x = STRIP_WIDTH / 2 if span == 0 else DOT_MAX + inner * (d - first).days / span
        # The radius grows with the square root of the count (the area, roughly, with the
        # count): a day of 9 articles reads as bigger, not as a blot over its neighbours.
        r = DOT_MIN + (DOT_MAX - DOT_MIN) * (n / top) ** 0.5 if top > 1 else DOT_MIN
        tip = f"{d.isoformat()}: {n:,} article{'s' if n != 1 else ''}"
        dots.append(Dot(round(x, 2), round(r, 2), d.isoformat(), n, tip))
    return Strip(dots, STRIP_WIDTH, STRIP_HEIGHT, first.isoformat(), last.isoformat())
