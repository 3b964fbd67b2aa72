"""Main text of an HTML page: block scoring, the best container, its paragraphs.

``walk`` (in walk.py) turns the body into a flat list of text *blocks*, remembering for every
block-level element the range of blocks it holds. Each block gets a weight — positive for prose, negative for
link lists, boilerplate and class-hinted widgets — and the container is the element whose
blocks sum highest (a maximum-weight subtree: prefix sums make each element O(1)). Its
blocks are then emitted, minus the in-body widgets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .boilerplate import hints
from .walk import HEADING_TAGS, JUNK_TAGS, Block, Link, Walk, walk

__all__ = ["Block", "Body", "HEADING_TAGS", "Link", "Walk", "choose", "emit", "find_anchors", "walk", "weigh"]

_SENT_END = (".", "!", "?", "\u201d", '"', "\u3002", ":", ")")


# ---------------------------------------------------------------------------------------
# Scoring and choosing the container


def _raw_weight(b: Block, lines: object) -> float:
    text = b.text
    n = len(text)
    k = b.link_chars
    if b.tag in HEADING_TAGS:
        # A linked heading is a teaser title; a plain one is neutral.
        return -float(n) if k * 2 > n else 0.0
    if k * 2 > n:
        # Link lists and teasers: mostly-linked text is navigation, not article.
        return -float(n)
    if n < 40 and (not text.endswith(_SENT_END) or lines.match(text)) and _width(text) < 40:  # type: ignore[attr-defined]
        # Short unpunctuated lines: labels, buttons, datelines. Mildly against a container.
        return -0.3 * n
    return n - LINK_FACTOR * k


# Chinese and Japanese characters (written without spaces) carry about half a word to a word
# each, where a Latin-script word takes five or six characters: a line of 20 of them is a
# sentence, not a label. (Korean is written with spaces, its syllables weigh like letters.)
# readability/ and Zyte: 2, 3 and 4 all turn a lost Chinese blog post (F1 0 -> 0.88) into
# its text; 4 costs a Chinese news page 0.02, 3 costs it 0.008; Zyte unchanged at all three.
CJK_WIDTH = 3
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _width(text: str) -> int:
    """The line's length in Latin-script characters' worth of text."""
    if text.isascii():
        return len(text)
    return len(text) + (CJK_WIDTH - 1) * len(_CJK.findall(text))


# A junk-hinted element is still read as text when it holds at least this share of the page's
# prose (and at least JUNK_FREE_MIN characters) *and* wraps the story's own markers (an
# <article>, an article-body class, the headline or the description's paragraph): wrappers
# named "paywall", "page-row" or "has-ads" around the whole story. 0.5 chosen on Zyte: pages
# whose story sat inside such a wrapper went from F1 0 to normal; cookie dialogs and footers
# that outweigh a short story stay junk because they hold no story marker.
JUNK_FREE_SHARE = 0.5
JUNK_FREE_MIN = 500
# Past this share of the visible prose no story marker is needed ("sidebar-container" around
# a story whose headline sits above it). wcxb-dev: 0.75 frees 1 story, 0.55-0.65 frees 2 with
# no page worse (Zyte unchanged), 0.5 empties a page whose newsletter box outweighs its story.
JUNK_FREE_ALONE = 0.6
# Inside an <article>, <main> or article-body element, a class-hinted wrapper (not a semantic
# junk tag, not hidden, not comments) is read when it holds this share of the visible prose
# and this many characters: page-builder blocks ("so-panel widget widget_text") and sections
# named like navigation ("content-nav-section") that hold the story's parts. wcxb-dev word
# F1 0.939 -> 0.945 and snippet F1 0.950 -> 0.954 at 0.1-0.2 (0.15 chosen, the middle), Zyte
# 0.967 -> 0.969; minimum 200 and 300 tie. Comments are excluded (the "talk" hints): without
# that a page's comment thread under #content was chosen (Zyte F1 0.945 -> 0).
IN_STORY_SHARE = 0.15
IN_STORY_MIN = 300.0
# A junk-hinted <p> inside the story is read from this many prose characters on: paragraph
# classes that merely contain a junk word ("contextmenu"); captions and credits are shorter
# or sit in <figcaption>. wcxb-dev: 150 frees one story (0.07 -> 0.92) with two pages 0.01-0.03
# worse (word F1 0.945 -> 0.946); 80 frees more of it but hurts a third page.
IN_STORY_P_MIN = 150.0
# Extra weight for the headline block and the paragraph the meta description quotes, so a
# short story is not outweighed by a long footer or cookie notice. Zyte: 250 fixed short
# stories (3-4 paragraphs) without moving long ones.
ANCHOR_BONUS = 250.0


# A block opening with a link of at least LEAD_MIN characters and LEAD_SHARE of its text is a
# teaser (linked title + summary) when it sits above the headline. Zyte: a news ticker above
# the story went 0.553 -> 1.0 (20/0.25 and 30/0.3 the same there); below the headline such
# blocks are story too (numbered link-led lists), so the rule stops at the headline.
LEAD_MIN = 20
LEAD_SHARE = 0.25


def find_anchors(w: Walk, title: str | None, description: str | None) -> list[int]:
    """Indices of the headline block and of the block the description starts (or quotes)."""
    out: list[int] = []
    tkey = _key(title) if title else None
    dkey = _key(description)[:60] if description and len(description) >= 40 else None
    found_t = found_d = False
    for i, b in enumerate(w.blocks):
        if not found_t and tkey and b.tag in HEADING_TAGS and _key(b.text) == tkey:
            out.append(i)
            found_t = True
        elif not found_d and dkey and len(b.text) >= 40 and b.tag not in HEADING_TAGS:
            bk = _key(b.text)
            if bk.startswith(dkey) or (len(bk) >= 60 and dkey.startswith(bk[:60])):
                out.append(i)
                found_d = True
        if (found_t or not tkey) and (found_d or not dkey):
            break
    return out


def weigh(w: Walk, anchors: list[int] | None = None) -> None:
    """Give every block a weight: prose positive, link lists and widgets negative."""
    lines = hints().lines
    blocks = w.blocks
    raw = [_raw_weight(b, lines) for b in blocks]
    anchors = anchors or []
    heads = [i for i in anchors if blocks[i].tag in HEADING_TAGS]
    for i in range(heads[0] if heads else 0):
        b = blocks[i]
        if b.lead >= LEAD_MIN and b.lead >= LEAD_SHARE * len(b.text):
            # Above the headline, a linked title followed by its summary is a teaser (tickers,
            # "latest" rails), never the story's first paragraph.
            raw[i] = -float(len(b.text))
    for i in anchors:
        raw[i] += ANCHOR_BONUS
    prefix = [0.0]
    acc = 0.0
    for r in raw:
        if r > 0:
            acc += r
        prefix.append(acc)
    # The share is of the prose a reader can see: hidden overlays (modals, "display:none"
    # templates) hold whole other articles on some pages.
    visible = acc - _hidden_prose(w, prefix)
    freed: dict[int, int] = {}  # junk candidate → nearest confirmed junk ancestor-or-self (or -1)
    fb, eb, jparent = w.first_block, w.end_block, w.jparent
    # A wrapper hidden by attribute is weighed against all prose, hidden included: some pages
    # hide the story until scripts run, others keep "display:none" copies of it (freeing those
    # against the visible prose read the story twice on Zyte pages with two hidden copies).
    hidden = set(w.hidden)

    def confirmed(j: int) -> int:
        chain = []
        while j >= 0 and j not in freed:
            chain.append(j)
            prose = prefix[eb[j]] - prefix[fb[j]]
            share = prose / ((acc if j in hidden else visible) or 1.0)
            if (prose >= JUNK_FREE_MIN and (
                share >= JUNK_FREE_ALONE
                or (share >= JUNK_FREE_SHARE
                and (j in w.holds_story or j in w.in_story or any(fb[j] <= a < eb[j] for a in anchors)))
            )) or (
                j in w.in_story and j not in hidden and w.tags[j] not in JUNK_TAGS
                and ((share >= IN_STORY_SHARE and prose >= IN_STORY_MIN) or (w.tags[j] == "p" and prose >= IN_STORY_P_MIN))
            ):
                j = jparent[j]
            else:
                break
        res = freed.get(j, j) if j >= 0 else -1
        for c in chain:
            freed[c] = res
        return res

    for b, r in zip(blocks, raw):
        if b.junk >= 0:
            b.junk = freed[b.junk] if b.junk in freed else confirmed(b.junk)
        b.weight = -float(len(b.text)) if b.junk >= 0 else r
    for i in anchors:
        blocks[i].weight = raw[i]  # the headline counts even inside a junk-looking header


def _hidden_prose(w: Walk, prefix: list[float]) -> float:
    fb, eb = w.first_block, w.end_block
    out = 0.0
    end = -1
    for j in w.hidden:  # preorder: an element inside the last counted one starts before its end
        if fb[j] >= end:
            out += prefix[eb[j]] - prefix[fb[j]]
            end = eb[j]
    return out


def choose(w: Walk) -> int:
    """Index of the element whose blocks weigh most; -1 when there is none."""
    prefix = [0.0]
    acc = 0.0
    for b in w.blocks:
        acc += b.weight
        prefix.append(acc)
    pos = [0.0]
    chars = [0]
    linked = [0]
    acc = 0.0
    nc = nl = 0
    for b in w.blocks:
        if b.weight > 0:
            acc += b.weight
        pos.append(acc)
        nc += len(b.text)
        nl += b.link_chars
        chars.append(nc)
        linked.append(nl)
    best, best_score = -1, 0.0
    fb, eb, bonus = w.first_block, w.end_block, w.bonus
    for i in range(len(fb)):
        s = prefix[eb[i]] - prefix[fb[i]]
        if s <= 0:
            continue
        if _opens_related(w, i):
            continue
        # Readability's damping: a container full of links (teaser lists, menus) is worth less
        # than its prose alone says.
        c = chars[eb[i]] - chars[fb[i]]
        s *= (1.0 + bonus[i]) * (1.0 - LINK_DAMPING * (linked[eb[i]] - linked[fb[i]]) / c)
        # ">=" keeps the later (deeper) element on ties: a child holding all of its
        # parent's weight is the tighter container.
        if s >= best_score:
            best, best_score = i, s
    if best < 0:
        return best
    # Teasers with summaries below a story can outweigh the markup between them and pull the
    # choice up to <body>. When an <article>, <main> or article-body element inside the choice
    # holds most of its prose, that element is the story. 0.7 chosen on Zyte (pages with
    # "more stories" summaries under the article).
    total = pos[eb[best]] - pos[fb[best]]
    inner, inner_score = best, -1.0
    for i in range(best + 1, w.last_desc[best] + 1):
        if (
            bonus[i] >= SEMANTIC_BONUS
            and pos[eb[i]] - pos[fb[i]] >= DESCEND_SHARE * total
            and not _opens_related(w, i)
        ):
            s = prefix[eb[i]] - prefix[fb[i]]
            if s >= inner_score:
                inner, inner_score = i, s
    return inner


DESCEND_SHARE = 0.7

# A story cut in parts by boxes between them ("story-body story-body-1", a "related
# coverage" aside, "story-body story-body-2", each part perhaps in a wrapper of its own
# with its aside): the elements of the chosen one's tag and class (digits aside) near it
# that weigh at least SIBLING_SHARE of it are read with it, in page order. The later of two
# parts, and what lies between them, hold no headline (<h1>): a part under a headline of its
# own is the next article of an endless-scroll page, which repeats the story's markup. Measured by bench.extract (site-grouped
# folds): ten pages change, nine better (a readability/ page 0.885 -> 0.992, four wcxb-dev
# pages from under 0.62 to 0.32-1.0), one 0.019 worse; wcxb-dev 0.948 -> 0.950, Zyte
# unchanged. Scope 1, 2, 3 and 4 levels find 2, 6, 7 and 8 of those pages (6 and the whole
# page: the same as 4); a share of 0.02 adds a second worse page, 0.3 drops three gains.
SIBLING_SHARE = 0.05
PARTS_SCOPE = 4  # levels up from the chosen element
_DIGITS = re.compile(r"\d+")


def parts(w: Walk, container: int) -> list[int]:
    """The elements whose blocks are the story: ``container`` and its other parts."""
    if container < 0:
        return []
    key = _DIGITS.sub("", w.classes[container]).split()
    scope = container
    for _ in range(PARTS_SCOPE):
        if w.parent[scope] >= 0:
            scope = w.parent[scope]
    if scope == container or not key:
        return [container]
    blocks = w.blocks
    weight, heads = [0.0], [0]  # prefix sums of block weights and of <h1> blocks
    for b in blocks:
        weight.append(weight[-1] + b.weight)
        heads.append(heads[-1] + (b.tag == "h1"))
    fb, eb, tag = w.first_block, w.end_block, w.tags[container]
    least = max(SIBLING_SHARE * (weight[eb[container]] - weight[fb[container]]), 1.0)
    out = []
    i = scope + 1
    while i <= w.last_desc[scope]:
        if i < container <= w.last_desc[i]:
            i += 1  # an ancestor of the chosen element: its parts are inside
        elif i == container or (
            w.tags[i] == tag and _DIGITS.sub("", w.classes[i]).split() == key
            and weight[eb[i]] - weight[fb[i]] >= least
            and heads[max(eb[i], eb[container])] == heads[min(eb[i], eb[container])]
        ):
            out.append(i)
            i = w.last_desc[i] + 1  # not inside a part
        else:
            i += 1
    return out


def _opens_related(w: Walk, el: int) -> bool:
    # An element whose first block is a "Related posts" title (a related-hinted heading) is
    # the list of other stories under that title, even when each of them is an <article>.
    fb = w.first_block[el]
    if fb >= w.end_block[el]:
        return False
    first = w.blocks[fb]
    return first.junk in w.related and first.tag in HEADING_TAGS


# Inside the chosen container a block is dropped as a link line only past this linked share
# (tweets, source lists and "Group A" link lists in a story stay). Zyte: 0.5 → 0.962,
# 0.8 → 0.964; wcxb-dev sample 0.778 → 0.779.
EMIT_MAX_LINK_SHARE = 0.8
# Container score × (1 - LINK_DAMPING × link share). Zyte shingle F1: 0 → 0.954, 1.0 → 0.962,
# 1.5 → 0.959, 2.0 → 0.957; wcxb-dev word F1 (300-page sample) 0.780 / 0.778 / - / 0.772.
LINK_DAMPING = 1.0
# Linked characters count this many times against a paragraph's weight. Zyte: 2 and 3 tie
# (0.962); 2 keeps prose with many inline links.
LINK_FACTOR = 2.0
SEMANTIC_BONUS = 0.2


def is_inside(w: Walk, el: int, container: int) -> bool:
    """True when element ``el`` is ``container`` or one of its descendants."""
    return container <= el <= w.last_desc[container]


# ---------------------------------------------------------------------------------------
# Emitting the container's text


@dataclass(slots=True)
class Body:
    paragraphs: list[str]
    related_links: list[Link]
    prose_chars: int  # characters of kept text
    link_blocks: int  # mostly-linked blocks on the whole page (teasers, menus)


def emit(w: Walk, container: int, *, title: str | None = None) -> Body:
    """The blocks of the container and its sibling parts (``parts``) as paragraphs, without
    in-body widgets and boilerplate lines.

    With no container (no block on the page reads as prose), the whole body's non-junk text
    is given, so a page of short lines still yields them.
    """
    lines = hints().lines
    blocks = w.blocks
    link_blocks = sum(1 for b in blocks if b.link_chars * 2 > len(b.text))
    relaxed = container < 0
    if relaxed:
        if not w.tags:
            return Body([], [], 0, link_blocks)
        container = 0
    title_key = _key(title) if title else None
    out: list[str] = []
    dropped: set[int] = set()
    seen_prose = False
    elements = [container] if relaxed else parts(w, container)
    start = w.first_block[elements[0]]
    if not relaxed:
        # A standfirst sitting just above the container, in a wrapper of its own: paragraphs
        # of prose right before the first block belong to the story.
        lo = max(0, start - LEAD_IN_MAX)
        while start > lo and blocks[start - 1].tag == "p" and blocks[start - 1].weight > 0 and blocks[start - 1].junk < 0:
            start -= 1
    spans = [(e, start if k == 0 else w.first_block[e]) for k, e in enumerate(elements)]
    for el, i in ((e, i) for e, lo in spans for i in range(lo, w.end_block[e])):
        b = blocks[i]
        text = b.text
        n = len(text)
        j = b.junk
        if el < j <= w.last_desc[el]:
            dropped.add(i)  # an in-body widget: share bar, related box, caption
            continue
        heading = b.tag in HEADING_TAGS
        if not heading and b.link_chars > EMIT_MAX_LINK_SHARE * n:
            dropped.add(i)  # a link line inside the story: "Read more: ...", a list of links
            continue
        if (
            (n < 120 and lines.match(text))
            or (text[0] == "<" and text[-1] == ">")
            or (text[0] == "[" and text[-1] == "]" and "[/" in text)
        ):
            # Boilerplate lines, and markup shown as text (noscript fallbacks, unexpanded
            # "[button ...]...[/button]" shortcodes).
            dropped.add(i)
            continue
        if heading and title_key and _key(text) == title_key:
            continue
        if relaxed:
            if j >= 0:
                continue
        elif not seen_prose:
            # Above the first paragraph: bylines, datelines, kickers. Keep headings only when
            # prose follows (checked at the end), drop short unpunctuated labels.
            if b.weight <= 0 and not heading:
                continue
            if b.weight > 0:
                seen_prose = True
        out.append(text)
    # Trailing headings with nothing under them ("Related", "Comments") are widget titles.
    while not relaxed and out and blocks_heading(out[-1], w, container):
        out.pop()
    related = [
        ln for ln in w.links
        if (ln.junk in w.related) or ((ln.block in dropped or ln.block - 1 in dropped) and len(ln.text.split()) >= 4)
    ]
    return Body(out, related, sum(len(p) for p in out), link_blocks)


# At most this many prose paragraphs just above the container are taken with it (a standfirst
# or intro in a wrapper of its own). wcxb-dev word F1 0.946 -> 0.947 and snippet F1 0.957 ->
# 0.958 at 1, 3 and 6 (6: two more pages better, none worse than 3); Zyte 0.973 at all three.
LEAD_IN_MAX = 6


def blocks_heading(text: str, w: Walk, container: int) -> bool:
    # A short last paragraph with no sentence end: "Related Stories", "More from ...".
    return len(text) < 60 and not text.endswith(_SENT_END)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())

