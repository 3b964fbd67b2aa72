"""Date strings as pages write them → ISO 8601.

A UTC offset appears in the output only when the input gives one: "23 Feb, 2020 05:06"
becomes ``2020-02-23T05:06:00``, "2020-02-23T05:06:00+03:00" keeps its offset, and a date
with no time becomes ``2020-02-23``.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

from dateutil import parser as du_parser

# Years outside this window are parse accidents (phone numbers, ids), not publication dates.
MIN_YEAR, MAX_YEAR = 1990, 2100

_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_HAS_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_EPOCH = re.compile(r"^\s*(\d{10})(\d{3})?\s*$")


def _fmt_offset(tz: str | None) -> str:
    if not tz:
        return ""
    if tz == "Z":
        return "+00:00"
    tz = tz.replace(":", "")
    return f"{tz[:3]}:{tz[3:]}"


def parse_date(value: str | None) -> str | None:
    """Normalise one date string; None when it is not a plausible date."""
    if not value:
        return None
    value = value.strip()
    if len(value) > 80:
        return None
    m = _ISO_RE.match(value)
    if m:
        y, mo, d, hh, mm, ss, tz = m.groups()
        if not (MIN_YEAR <= int(y) <= MAX_YEAR and 1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
            return None
        if hh is None:
            return f"{y}-{mo}-{d}"
        return f"{y}-{mo}-{d}T{hh}:{mm}:{ss or '00'}{_fmt_offset(tz)}"
    m = _EPOCH.match(value)
    if m:
        dt = datetime.utcfromtimestamp(int(m.group(1)))
        return dt.strftime("%Y-%m-%dT%H:%M:%S+00:00") if MIN_YEAR <= dt.year <= MAX_YEAR else None
    if not _HAS_YEAR.search(value):
        return None  # "2 hours ago", "Monday": no absolute date to give
    try:
        with warnings.catch_warnings():
            # dateutil warns on zone names it cannot place ("EST", "IST"); the date and
            # time are still right and the offset is then simply left out.
            warnings.simplefilter("ignore")
            dt = du_parser.parse(value, fuzzy=True, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    if _HAS_TIME.search(value):
        out = dt.strftime("%Y-%m-%dT%H:%M:%S")
        if dt.utcoffset() is not None:
            off = dt.strftime("%z")
            out += f"{off[:3]}:{off[3:]}"
        return out
    return dt.strftime("%Y-%m-%d")


# A dateline with its time ("Published March 26, 2023 at 9:27 am", "23 Feb, 2020 05:06",
# "2019-11-18T22:05:36Z"), for text dumps where the dateline is all there is. Unlike
# ``find_date`` it keeps the time of day and says which words matched. English month names
# only; all-numeric "03/04/2025" is left alone as ambiguous.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:utc|gmt|[+-]\d{2}:?\d{2}))?)?"
_DATE_IN_TEXT = re.compile(
    r"(?<![\w-])(?:"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}{_TIME}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"
    r")(?![\w-])",
    re.IGNORECASE,
)


def find_dateline(text: str | None) -> tuple[str, str] | None:
    """The first date (and time) written in ``text``: (the matched words, ISO 8601); None when none parses."""
    if not text:
        return None
    for m in _DATE_IN_TEXT.finditer(text):
        iso = parse_date(m.group(0))
        if iso:
            return m.group(0), iso
    return None


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TEXT_DATE = re.compile(
    r"(?<![\w/-])(?:"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"  # December 19, 2025
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTHS},?\s+(?:19|20)\d{{2}}"  # 19 December 2025
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"  # 2025-12-19
    r")(?![\w/-])",
    re.I,
)


def find_date(text: str) -> str | None:
    """The first written-out date in a line of page text ("Published December 19, 2025 ·
    4 min read" → ``2025-12-19``); None when there is none. Only unambiguous forms are read
    (a month name or ISO order): "03/04/2025" is left alone."""
    if len(text) > 300:
        return None
    m = _TEXT_DATE.search(text)
    if not m:
        return None
    return parse_date(m.group(0).replace(" of ", " "))


# ---------------------------------------------------------------------------------------
# Every date written in a short line of page text, with its position


@dataclass(frozen=True, slots=True)
class _Hints:
    months: dict[str, int]
    updated: re.Pattern[str]
    published: re.Pattern[str]


_HINTS: _Hints | None = None


def hints() -> _Hints:
    """Month names and date labels from ``data/date-hints.json`` (read once)."""
    global _HINTS
    if _HINTS is None:
        d = json.loads((resources.files("newsdesk") / "data" / "date-hints.json").read_text(encoding="utf-8"))

        def words(key: str) -> re.Pattern[str]:
            alts = sorted(d[key], key=len, reverse=True)
            return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)", re.I)

        _HINTS = _Hints({k.casefold(): v for k, v in d["months"].items()}, words("updated_labels"), words("published_labels"))
    return _HINTS


_WORDY = r"[^\W\d_]{3,10}"
_YEAR = r"(?:19|20)\d{2}"
_ANY_DATE = re.compile(
    r"(?<!\d)(?:"
    rf"(?P<y1>{_YEAR})[-/.](?P<m1>\d{{1,2}})[-/.](?P<d1>\d{{1,2}})"  # 2025-12-19, 2025.12.19
    rf"|(?P<a2>\d{{1,2}})(?P<s2>[-/.])(?P<b2>\d{{1,2}})(?P=s2)(?P<y2>{_YEAR})"  # 19.12.2025, 12/19/2025
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th|\.)?[\s-]*(?:of\s+|de\s+)?(?P<mon3>{_WORDY})\.?,?[\s-]*(?:de\s+)?(?P<y3>{_YEAR})"
    rf"|(?<![^\W\d_])(?P<mon4>{_WORDY})\.?\s*(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y4>{_YEAR})"
    r")(?!\d)",
    re.I,
)
# Every form _ANY_DATE reads holds a 19xx/20xx year; most lines around a headline hold
# none, and one search is cheaper than the glue rewrite plus the full pattern. _GLUE only
# inserts spaces, never inside a run of digits, so a line without this has no date.
_YEARISH = re.compile(_YEAR)
# Words glued by page markup: "HealthDECEMBER 22, 2022Updated" → "Health DECEMBER 22, 2022 Updated".
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z]{3})|(?<=\d{4})(?=[A-Za-z])")


def _ymd(y: int, mo: int, d: int) -> str | None:
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")


def without_dates(text: str) -> str:
    """``text`` with every written date (the forms ``find_dates`` reads) and clock time
    blanked out."""
    if _YEARISH.search(text):
        text = _ANY_DATE.sub(" ", _GLUE.sub(" ", text))
    return _CLOCK.sub(" ", text)


def find_dates(text: str, *, month_first: bool = True) -> list[tuple[int, str, str | None]]:
    """Every date written in a line of page text: (where it starts, ``YYYY-MM-DD``, the
    other reading of an all-numeric date whose day and month could swap, else None).

    Month names in several languages ("19. Dezember 2025", "Dec. 19th 2025"), ISO order
    and day-first dotted dates ("19.12.2025") are read. A slashed "03/04/2025" is read
    month first when ``month_first`` (US usage), else day first; "19/12/2025" either way."""
    if len(text) > 300 or not _YEARISH.search(text):
        return []
    text = _GLUE.sub(" ", text)
    months = hints().months
    out = []
    for m in _ANY_DATE.finditer(text):
        g = m.groupdict()
        iso = alt = None
        if g["y1"]:
            iso = _ymd(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        elif g["y2"]:
            a, b = int(g["a2"]), int(g["b2"])
            if g["s2"] != "/" or a > 12 or (not month_first and b <= 12):
                a, b = b, a  # day first
            iso = _ymd(int(g["y2"]), a, b)
            alt = _ymd(int(g["y2"]), b, a) if a != b else None
        else:
            mon = (g["mon3"] or g["mon4"]).casefold()
            if mon in months:
                iso = _ymd(int(g["y3"] or g["y4"]), months[mon], int(g["d3"] or g["d4"]))
        if iso:
            out.append((m.start(), iso, alt))
    return out
