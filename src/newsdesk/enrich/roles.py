"""Roles: the titles and appositives that tie a role phrase to a named person.

"Russian Defense Minister Sergey Shoigu", "US Secretary of Defense Mark Esper",
"Fathi Bashagha, the interior minister for ...", "the commander of the LNA, Khalifa
Haftar" each give the person role keys: the head word ("minister") and the head with
each field word before it ("defense minister", "interior minister"). A later definite
phrase ("the minister", "the defense secretary") whose keys fit refers to that person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .wordlists import Hints, word_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A title written before a name is at most this many tokens ("Deputy Prime Minister of
# Foreign Affairs" is 6); longer capitalised runs are headlines or lists of names.
_MAX_TITLE = 7
_LINKS = ("of", "for")
_ARTICLES = ("a", "an", "the")


@dataclass(slots=True)
class Role:
    """What the text says a person is: role keys, gender cue, where it was said."""

    keys: set[str] = field(default_factory=set)
    ranks: set[str] = field(default_factory=set)  # "vice", "deputy": a phrase must say them too
    gender: str | None = None  # "m", "f" or None
    defined_at: int = -1  # token index of the first defining phrase
    region: list[tuple[int, int]] = field(default_factory=list)  # defining token ranges


def role_keys(words: Iterable[str], h: Hints) -> set[str]:
    """``{"minister", "russian minister", "defense minister"}`` for the words of
    "Russian Defense Minister": the head, and the head with each other word."""
    words = list(words)
    heads = [w for w in words if w in h.role_heads]
    if not heads:
        return set()
    head = heads[-1]
    keys = {head}
    for w in words:
        if w != head and w not in _LINKS and w not in _ARTICLES and w not in h.honorifics:
            keys.add(f"{w} {head}")
    return keys


def phrase_fields(words: Iterable[str], head: str, h: Hints) -> list[str]:
    """The words of a role phrase that pick out whose role it is: "the Democratic
    nominee" is not "Republican presidential nominee Donald Trump"."""
    return [
        w
        for w in words
        if w != head and w not in _LINKS and w not in h.generic_modifiers and w not in h.honorifics and w.isalpha()
    ]


def gender_of(words: Iterable[str], h: Hints) -> str | None:
    for w in words:
        if w in h.male:
            return "m"
        if w in h.female:
            return "f"
    return None


def title_before(doc: Doc, i: int, h: Hints) -> tuple[int, list[str]]:
    """The title written just before token ``i``: (its first token, its words)."""
    k = i - 1
    lo = max(doc[i].sent.start, i - _MAX_TITLE)
    while k >= lo:
        t = doc[k]
        w = word_key(t.text)
        if t.ent_type_ == "PERSON" or not (t.is_alpha or w in h.honorifics or "-" in w):
            break
        if w in h.role_heads or w in h.departments or w in h.role_modifiers or w in h.honorifics or w in _LINKS or t.is_title or t.is_upper or (t.dep_ in ("amod", "compound", "nmod") and k < t.head.i <= i):
            k -= 1
        else:
            break
    k += 1
    while k < i and word_key(doc[k].text) in _LINKS:
        k += 1
    return k, [word_key(doc[m].text) for m in range(k, i)]


def _phrase_words(tok: Token, h: Hints) -> list[str]:
    """The words of a role noun: its modifiers, itself, and an "of <department>"
    ("the secretary of state"; not "of the LNA", which the title may have spelt out)."""
    words = [word_key(c.text) for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod")]
    words.append(word_key(tok.text))
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in _LINKS:
            words.extend(w for g in c.children if g.dep_ == "pobj" and (w := word_key(g.text)) in h.departments)
    return words


def person_role(doc: Doc, i: int, j: int, h: Hints, role: Role) -> None:
    """Add to ``role`` what the text around the name ``doc[i:j]`` says the person is."""
    start, words = title_before(doc, i, h)
    keys = role_keys(words, h)
    found = False
    if keys:
        role.keys |= keys
        role.ranks.update(w for w in words if w in h.rank_modifiers)
        role.region.append((start, i))
        found = True
    g = gender_of(words, h)
    root = doc[i:j].root
    for c in root.children:  # "Fathi Bashagha, the interior minister for ..."
        if c.dep_ == "appos" and word_key(c.text) in h.role_heads and c.i >= j:
            words = _phrase_words(c, h)
            role.keys |= role_keys(words, h)
            role.ranks.update(w for w in words if w in h.rank_modifiers)
            role.region.append((c.left_edge.i, c.right_edge.i + 1))
            g = g or gender_of(words, h)
            found = True
    head = root.head
    if root.dep_ == "appos" and head.i < i and word_key(head.text) in h.role_heads:
        # "the commander of the Libyan National Army (LNA), Khalifa Haftar"
        words = _phrase_words(head, h)
        role.keys |= role_keys(words, h)
        role.ranks.update(w for w in words if w in h.rank_modifiers)
        role.region.append((head.left_edge.i, i))
        g = g or gender_of(words, h)
        found = True
    if g and role.gender is None:
        role.gender = g
    if found and role.defined_at < 0:
        role.defined_at = i


@dataclass(slots=True)
class RolePhrase:
    start: int  # token range of "the interior minister"
    end: int
    head: str  # "minister"
    fields: list[str]  # the words that say which role: "interior" ("the interior minister")


def role_phrases(doc: Doc, h: Hints, taken: bytearray) -> list[RolePhrase]:
    """Definite role phrases ("the minister", "the defense secretary") not inside a
    mention (``taken`` marks token indices already in one)."""
    out: list[RolePhrase] = []
    for tok in doc:
        w = word_key(tok.text)
        if w not in h.role_heads or taken[tok.i] or tok.ent_type_:
            continue
        if tok.dep_ in ("compound", "amod", "nmod"):  # a title: "the minister Fathi ..."
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.ent_type_ == "PERSON":
            continue
        if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children):
            continue  # it names its holder itself
        det = next((c for c in tok.lefts if c.dep_ == "det"), None)
        if det is None or det.lower_ != "the":
            continue
        if any(taken[k] for k in range(det.i, tok.i)):
            continue
        out.append(RolePhrase(det.i, tok.i + 1, w, phrase_fields(_phrase_words(tok, h), w, h)))
    return out


def fits(phrase_head: str, fields: list[str], role: Role) -> bool:
    """A role phrase fits a person when the head matches and every word that picks
    the role out does ("the defense secretary" fits "Secretary of Defense Mark Esper")."""
    if phrase_head not in role.keys or not role.ranks.issubset(fields):
        return False
    return all(f"{f} {phrase_head}" in role.keys for f in fields)
