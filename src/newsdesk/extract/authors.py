"""Author bylines → clean person names.

"By Jane Doe, Staff Writer" → ["Jane Doe"]; e-mails, "Staff", roles and relative times
("2 hours ago") are dropped. Word lists live in ``data/author-hints.json``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from .dates import find_dates, without_dates

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

    from .walk import Block


@dataclass(frozen=True, slots=True)
class _Words:
    prefix: re.Pattern[str]
    role: re.Pattern[str]
    non_names: frozenset[str]
    split: re.Pattern[str]
    byline: re.Pattern[str]
    label: re.Pattern[str]
    stops: re.Pattern[str]
    particles: frozenset[str]
    credentials: frozenset[str]
    trailing: re.Pattern[str]
    glued: re.Pattern[str]
    ui: frozenset[str]
    strong: re.Pattern[str]


_WORDS: _Words | None = None
_POST_NOMINAL = re.compile(r"^\s*[A-Z]{2,5}\s*$")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
# A URL, not a brand written as its domain ("AccountingDepartment.com" is the house byline).
# The bare ".com/.org/.net" clause was dropped: wcxb-dev authors per fold
# .856/.869/.859/.808/.874 -> +1 fold 2, no fold worse.
_URLISH = re.compile(r"https?://|www\.", re.I)
_HANDLE = re.compile(r"(?:^|\s)@\w+")
# "andrew.keaveney", "page.head.extra.author": a login or a template key, not a name.
_DOTTED = re.compile(r"^[a-z0-9_]+(?:[.][a-z0-9_]+)+$")
# Units of time count in lower case only ("3 days ago"): "Doris Day", "Great Day Team" are names.
_TIMEY = re.compile(r"\d|\b(?:(?i:ago|updated|published|posted|min read)|minutes?|hours?|days?)\b")
# A name is at most this many words; longer parts are sentences that slipped into a byline.
_MAX_WORDS = 5


def _words() -> _Words:
    global _WORDS
    if _WORDS is None:
        ref = resources.files("newsdesk") / "data" / "author-hints.json"
        d = json.loads(ref.read_text(encoding="utf-8"))
        prefixes = sorted(d["prefixes"], key=len, reverse=True)
        roles = sorted(d["roles"], key=len, reverse=True)
        _WORDS = _Words(
            prefix=re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in prefixes) + r")(?:\s+|:\s*|(?<=:))", re.I),
            role=re.compile(r"\b(?:" + "|".join(re.escape(r) for r in roles) + r")\b.*$", re.I),
            non_names=frozenset(n.casefold() for n in d["non_names"]),
            split=re.compile("|".join(re.escape(s) for s in d["separators"]), re.I),
            byline=re.compile(
                r"^\s*(?:" + "|".join(re.escape(p) for p in sorted(d["byline_prefixes"], key=len, reverse=True)) + r")(?:\s+|:\s*)", re.I
            ),
            label=re.compile(
                r"^\s*(?:(?:article|post|story)\s+)?(?:" + "|".join(re.escape(p.rstrip(":")) for p in sorted(d["byline_prefixes"], key=len, reverse=True)) + r")\s*:?\s*$", re.I
            ),
            stops=re.compile("|".join(re.escape(s) for s in d["byline_stops"]) + r"|\d", re.I),
            particles=frozenset(d["particles"]),
            credentials=frozenset(d["credentials"]),
            trailing=re.compile(
                r"(?:\s+(?:" + "|".join(re.escape(t) for t in sorted(d["trailing_junk"], key=len, reverse=True)) + r")\.?)+\s*$", re.I
            ),
            # Case-sensitive: "Jane DoeFounder" splits, "Jane McDonald" does not.
            ui=frozenset(d["ui_words"]),
            strong=re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in d["strong_byline_prefixes"]) + r")", re.I),
            glued=re.compile(r"(?<=[a-z])(?=(?:" + "|".join(re.escape(g) for g in d["glued_words"]) + r")(?![a-z]))"),
        )
    return _WORDS


_LEADING_SEPARATORS = frozenset(",;|")


def clean_authors(raw: list[str], *, limit: int = 20) -> list[str]:
    """Names from byline strings, deduplicated, in order."""
    w = _words()
    out: list[str] = []
    seen: set[str] = set()
    for value in raw:
        value = _EMAIL.sub(" ", html.unescape(value) if "&" in value else value)
        glued = w.glued.search(value)
        if glued:  # "Jane DoeHi there! I'm Jane…": an author field holding the bio's opening
            value = value[: glued.start()]
        value = w.prefix.sub("", " ".join(value.split()))
        if value[:1] in _LEADING_SEPARATORS:
            continue  # ", USA TODAY": a "{name}, {publication}" template with the name left empty
        for k, part in enumerate(w.split.split(value)):
            if k and _POST_NOMINAL.match(part):
                continue  # "Jane Doe, MS, RD, FAND": letters after the name, not a second writer
            name = _clean_part(part, w)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
                if len(out) >= limit:
                    return out
    return out


def _clean_part(part: str, w: _Words) -> str | None:
    part = w.prefix.sub("", part.strip())
    part = _HANDLE.sub(" ", part)
    if _URLISH.search(part):
        return None
    part = part.strip(" \t-–—:|,.·•()[]\"'«»‹›")
    if not part or part.casefold() in w.non_names:
        return None
    # "Jane Doe Staff Writer" / "Jane Doe, Reporter": cut the role and what follows it.
    stripped = w.role.sub("", part).strip(" -–—:|,.")
    if not stripped:
        return None
    if " " not in stripped and len(part.split()) == 2 and part.startswith(stripped) and stripped[0].isupper():
        return part  # "Resy Staff", "Acme Contributor": the house byline as written, not "Resy"
    part = w.trailing.sub("", " " + stripped).strip(" -–—:|,.")
    if not part or _DOTTED.match(part):
        return None
    if _TIMEY.search(part) or len(part.split()) > _MAX_WORDS or not any(c.isalpha() for c in part):
        return None
    if part.casefold() in w.non_names or part.casefold().rstrip(".") in w.credentials or part.casefold() in w.credentials:
        return None
    return part


# A visible byline line longer than this is a sentence, not a byline.
_MAX_BYLINE = 120


def is_byline_label(text: str) -> bool:
    """A line that is only a byline word ("Written by", "AUTHOR:"): the name is on the next line."""
    return _words().label.match(text) is not None


def byline_names(text: str, *, prefixed: bool = True) -> list[str]:
    """Person names from one visible byline line: "Posted by Jane Doe on Friday" → ["Jane Doe"].

    With ``prefixed`` the line must open with a byline word ("By", "Written by"); without it
    (text of an element marked as the author's) the line is read from its start. Only parts
    that look like names (capitalised words, name particles) are kept; the rest of the line
    after a date, a separator or a role is ignored.
    """
    w = _words()
    text = " ".join(text.split())
    if not text or len(text) > _MAX_BYLINE:
        return []
    glued = w.glued.search(text)
    if glued:
        text = text[: glued.start()]
    dated = find_dates(text)
    if dated:
        # "Dec 19, 2025 · Jane Doe": a date that opens the line is skipped, else it ends the name.
        text = _after_date(text, dated[0][0]) if not text[: dated[0][0]].strip() else text[: dated[0][0]]
    text = _GLUED_BY.sub("By ", text)
    m = w.byline.match(text)
    if m:
        text = text[m.end():]
    elif prefixed:
        return []
    stop = w.stops.search(text)
    if stop:
        text = text[: stop.start()]
    # No role cut over the whole line here: _clean_part cuts roles part by part and keeps a
    # house byline ("Podium Staff") whole; the line-wide cut lost it (wcxb-dev authors per
    # fold .856/.869/.859/.808/.874: removing the line-wide cut +2 fold 0, no fold worse).
    parts = w.split.split(text)
    if not _LIST_JOIN.search(text):
        parts = parts[:1]  # "Jane Doe, Home Security Expert": only "A, B and C" lists several
    names: list[str] = []
    for part in parts:
        name = _clean_part(part, w)
        if not name or not _looks_like_name(name, w) or (not prefixed and len(name.split()) < 2):
            break
        name = _cut_outlet(name)
        if names and " " not in name and " " in names[0]:
            break  # "By Jane Doe, Privacy and Security Expert & …": after a full name, a lone word is her beat
        names.append(name)
    return names


# "ByJane Doe": a byline whose "By" and name sit in two inline elements with no space between.
# Case-sensitive, so "Byron Doe" and "BYU" stay whole.
_GLUED_BY = re.compile(r"^By(?=[A-Z][a-z])")
def _cut_outlet(name: str) -> str:
    """"Jane Doe USA TODAY" → "Jane Doe": capitals after a name in mixed case are the outlet's
    credit run into the byline; an all-capitals name ("JANE DOE") stays as it is."""
    words = name.split()
    k = len(words)
    while k > 2 and words[k - 1].isupper() and len(words[k - 1]) > 1:
        k -= 1
    if k == len(words) or any(x.isupper() for x in words[:k]):
        return name
    return " ".join(words[:k])


_YEAR_END = re.compile(r"(?:19|20)\d{2}(?!\d)")
# What sits between a date and the name after it: separators, and a time of day.
_LEAD_JUNK = re.compile(r"^(?:[\s,·•|/–—:-]|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)+", re.I)


def _after_date(text: str, pos: int) -> str:
    """The line after the date starting at ``pos`` ("Dec 17, 2025 · Jane Doe" → "Jane Doe")."""
    y = _YEAR_END.search(text, pos)
    if y is None:
        return ""
    return _LEAD_JUNK.sub("", text[y.end():])


_LIST_JOIN = re.compile(r"\s(?:and|&)\s", re.I)


def _looks_like_name(name: str, w: _Words) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 4 or len(name) > 40 or ":" in name:  # "Credit: Jane Doe" is a label
        return False
    for word in words:
        first = next((c for c in word if c.isalpha()), "")
        if not first or (first.islower() and word not in w.particles):
            return False
    return True


# Elements whose class or id marks the author's name or the byline; their short text is read.
_BYLINE_SELECTOR = '[class*="byline"], [class*="author"], [class*="Author"], [id*="author"], [rel~="author"]'
# Only the first few such elements: deeper ones are author boxes of comments and related posts.
_MAX_BYLINE_NODES = 12


def visible_authors(tree: LexborHTMLParser, lines: list[str]) -> list[str]:
    """Names from the visible byline, when the page's structured data names none: a line
    near the headline opening with "By …", else the text of an author-marked element."""
    for line in lines:
        names = byline_names(line)
        if names:
            return names
    nodes = tree.css(_BYLINE_SELECTOR)[:_MAX_BYLINE_NODES]
    # An element marked as the name ("author-name") before its wrapper, whose text runs on
    # into the writer's job title and the date.
    named = [n for n in nodes if "name" in ((n.attributes.get("class") or "") + (n.attributes.get("id") or "")).lower()]
    for node in named + nodes:
        if node.tag in ("script", "style", "meta", "link", "body", "html"):
            continue
        # The writer's photo in the byline: its alt text is the name.
        text = (node.attributes.get("alt") or "") if node.tag == "img" else node.text(deep=True, separator=" ")
        names = byline_names(text, prefixed=False)
        if names:
            return names
    return []


# Blocks either side of the headline where a bare name line ("Jane Doe" on its own, no
# "By") is read, and how far from it the byline's date may sit. wcxb-dev articles: such
# names sit 1-3 blocks from the headline with the date in the next block or the one after.
NAME_WINDOW = 3
NAME_DATE_GAP = 2
# A bio paragraph elsewhere on the page opening with the name ("Jane Doe is a travel
# writer …") vouches for a bare name line; shorter repeats are buttons and menu items.
MIN_BIO_CHARS = 60


def bare_name_line(blocks: Sequence[Block], start: int) -> list[str]:
    """A person's name alone on a short line beside the headline block ``start``, read only
    when the page vouches for it: the byline's date within a block or two of it, or a bio
    paragraph elsewhere that opens with the name. Nearest the headline first."""
    w = _words()
    n = len(blocks)
    lower: set[str] | None = None
    order = sorted(range(max(0, start - NAME_WINDOW), min(n, start + NAME_WINDOW + 1)), key=lambda i: abs(i - start))
    for i in order:
        b = blocks[i]
        if i == start or b.tag in _NOT_NAME_TAGS or len(b.text) > 40:
            continue
        names = byline_names(b.text, prefixed=False)
        if len(names) != 1 or " ".join(names[0].split()) != b.text.strip(" .,:|·•"):
            continue
        name = names[0]
        if lower is None:
            lower = set(_LOWER_WORD.findall(" ".join(o.text for o in blocks)))
        if any(word.lower() in lower or word.lower() in w.ui for word in _NAME_WORD.findall(name)):
            continue  # "Share Article", "Press Release": words the page also writes in lower case
        dated = any(
            0 <= j < n and j != start and len(blocks[j].text) <= _MAX_BYLINE and find_dates(blocks[j].text)
            for j in range(i - NAME_DATE_GAP, i + NAME_DATE_GAP + 1)
        )
        if dated or any(
            len(o.text) >= MIN_BIO_CHARS and o.text.startswith(name) and not o.text[len(name)].isalpha()
            for o in blocks
        ):
            return names
    for i in range(start + 1, min(n, start + 1 + _STANDFIRST_BLOCKS)):
        m = _WRITES_CAPS.search(blocks[i].text)
        if m:
            return [_ALPHA_RUN.sub(lambda a: a.group().capitalize(), m.group(1))]  # "O'Riordan"
    return []


# The standfirst under the headline that ends naming its writer in capitals, as papers set
# it: "…, says JANE DOE." / "JANE DOE writes …" is not read, only the closing form. The
# standfirst is the first or second block after the headline.
_STANDFIRST_BLOCKS = 2
_ALPHA_RUN = re.compile(r"[^\W\d_]+")
_WRITES_CAPS = re.compile(r"\b(?:says|writes|reports|explains)\s+((?:[A-Z][A-Z'’-]+\s+){1,3}[A-Z][A-Z'’-]+)\s*[.!]?\s*$")
_NAME_WORD = re.compile(r"[^\W\d_]+|\d+")
_LOWER_WORD = re.compile(r"(?<![\w.@/-])[a-zà-ÿ]+(?![\w@/-])")
# Headings are section titles and site names; menus are not bylines.
_NOT_NAME_TAGS = frozenset("h1 h2 h3 h4 h5 h6 nav td th".split())


def labelled_anywhere(blocks: Sequence[Block]) -> list[str]:
    """The last resort: a "Written by Jane Doe" line anywhere on the page (an author box
    under the story), a block that is only a byline label ("By", "Author", "Written by")
    followed by a block that is only names, or a sentence saying who wrote the post."""
    w = _words()
    for i, b in enumerate(blocks):
        t = b.text
        label = len(t) <= _MAX_LABEL and w.label.match(t) is not None
        if label:
            names = _names_after_label(blocks, i + 1)
            if names:
                return names
        m = _WROTE.search(t, 0, _MAX_WROTE_AT) if t.find(" by ", 0, _MAX_WROTE_AT) >= 0 else None
        if m:
            names = byline_names("By " + t[m.end():m.end() + _MAX_BYLINE // 2])
            if names:
                return names
        if len(t) > _MAX_BYLINE:
            continue
        if len(t) <= _MAX_DATED_BYLINE and t[:3].lower() == "by " and find_dates(t):
            names = byline_names(t)
            if names:
                return names
        m = _UPDATED_BY.match(t)
        if m and find_dates(m.group(1)):
            names = byline_names(t[m.end(1):])
            if names:
                return names
        if not w.strong.match(t):
            continue
        if label and i + 1 < len(blocks):
            t = f"{t} {blocks[i + 1].text}"
        names = byline_names(t)
        if names:
            return names
    return []


# "By Jane Doe April 12, 2024" anywhere, first in page order: a byline with its date is not
# prose (the headline block found may be another story's, e.g. a "next in this guide" teaser).
# wcxb-dev: such lines run 30-60 characters; 80 leaves room for long names.
_MAX_DATED_BYLINE = 80
# "Last updated March 3, 2025 by Jane Doe.": a page footer naming who keeps the page.
_UPDATED_BY = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|posted|published|written)\s+(?:on\s+)?(.{4,40}?)(?=\s+by\s)", re.I)
# A bare byline label ("Written by:", "Author(s)") is short; longer blocks are not tried as one.
_MAX_LABEL = 24
# "This post was written by Jane Doe, …": the sentence must say so near its start (the
# "written by" ends within this many characters), not deep in a paragraph of prose.
_WROTE = re.compile(r"\b(?:was|were|is)\s+(?:written|authored|reported)\s+by\s+", re.I)
_MAX_WROTE_AT = 80
# List items after a label ("Authors" / "Jane Doe" / "Tom Baker") read as one list, up to this many.
_MAX_LISTED = 10
_SEPARATOR_WORDS = re.compile(r"[\W_]+|\band\b", re.I)


def _names_after_label(blocks: Sequence[Block], j: int) -> list[str]:
    """Names from the block(s) after a bare byline label, when those blocks hold nothing
    but names: "Author" / "Jane Doe" → ["Jane Doe"]; list items run on as one list."""
    names: list[str] = []
    first_tag = blocks[j].tag if j < len(blocks) else ""
    while j < len(blocks) and len(names) < _MAX_LISTED:
        t = blocks[j].text
        found = byline_names(t, prefixed=False) if len(t) <= _MAX_BYLINE else []
        rest = t
        for n in found:
            rest = rest.replace(n, " ", 1)
        if not found or any(not _POST_NOMINAL.match(x) for x in _SEPARATOR_WORDS.split(rest) if x):
            break  # only names, separators and post-nominal letters ("Jane Doe, MD, FACP")
        names += found
        if first_tag != "li" or blocks[j].tag != "li":
            break
        j += 1
    return names


# What a credit line may hold besides the authors' names and a date: the words around them
# ("By … | Updated 9:28 AM UTC").
_CREDIT_WORDS = frozenset(
    "by and on at updated published posted last modified written reported utc gmt am pm a m p et est edt "
    "pst pdt cst cdt bst cet cest ist".split())
_CREDIT_WORD = re.compile(r"[^\W\d_]+")


def is_credit_line(text: str, authors: Sequence[str]) -> bool:
    """Whether a line of the text is only a byline or a dateline: the article's authors
    and/or a date and time, joined by words such as "By", "Updated", "UTC"."""
    if len(text) > 200:
        return False
    rest = without_dates(text)
    for name in sorted(authors, key=len, reverse=True):
        rest = re.sub(re.escape(name), " ", rest, flags=re.I)
    if rest == text:
        return False  # neither a name nor a date: a label or a kicker, not a credit
    return all(w in _CREDIT_WORDS for w in _CREDIT_WORD.findall(rest.casefold()))
