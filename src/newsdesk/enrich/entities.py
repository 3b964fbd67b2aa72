"""Entities: spaCy's PERSON/ORG/GPE/LOC mentions merged into one entity per real thing.

Within one text:

* a person's later "Bashagha", "Mr. Bashagha", "Haftar's" join the fuller name they are
  a part of ("Fathi Bashagha"), also when spaCy tagged the surname ORG/GPE or missed it;
* an organisation's acronym ("Government of National Accord (GNA)", initials that
  match) joins its long name, and bare uses of the acronym are found;
* a country's aliases ("the US", "U.S.", "America") are one country; a capital used as
  a government ("Washington warned", "Moscow's push") is a mention of its country when
  that country is named in the text, else a place of its own;
* titles and appositives give people roles, and later "the minister" joins its holder.

``EntityIndex.resolve`` (``index.py``) then maps a speaker phrase ("he", "the minister")
to an entity. Roles are read in ``roles.py``, the country table in ``places.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import ENTITY_LABELS, Entity
from .index import EntityIndex
from .places import PlaceTable, place_key, places
from .roles import Role, fits, gender_of, person_role, role_phrases, title_before
from .wordlists import Hints, hints, word_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_POSSESSIVE = ("'s", "’s", "'", "’")
# Dependency labels that make a capital the actor, owner or addressee of something —
# a government, not a location: "Washington warned", "Moscow's push", "by Beijing",
# "told Washington". Checked on the RT Libya seed ("Washington really is worried",
# "Moscow's push" -> governments; "talks in Moscow" -> the city) and PolNeAR dev.
_GOVERNMENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Acronyms are 2-8 capitals ("UN", "GNA", "NATO", "UNHCR"); longer all-caps words in
# news are shouting, not names.
_ACRONYM_MIN, _ACRONYM_MAX = 2, 8
# A line is in headline case when it has 3+ words of 4+ letters and 3/4 of them are
# capitalised ("Obama Says Trump Is Unfit" yes; a sentence naming three people no).
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_HEADLINE_MIN_WORDS = 3
_HEADLINE_SHARE = 0.75
# Quoted speech within one paragraph: curly pairs, or straight double quotes.
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|''[^'\n]*''")


@dataclass(slots=True)
class _Mention:
    i: int  # token range [i, j)
    j: int
    label: str
    kind: str = "name"  # "name" (spaCy), "scan" (found by a later pass), "role"
    group: int = -1
    org_evidence: bool = False  # "told Bloomberg": an outlet tagged as a place
    gender: str | None = None  # said by a title: "Mr. Obama", "first lady Michelle Obama"


@dataclass(slots=True)
class _Group:
    key: str
    label: str | None = None  # forced label (PERSON for people, GPE for countries)
    country: str | None = None  # canonical country name when a place in the table
    into: int = -1  # merged into this group


def find_entities(doc: Doc) -> EntityIndex:
    """The merged entities of ``doc`` (parsed by ``nlp.pipeline()``) and their index."""
    return _Builder(doc, hints(), places()).build()


class _Builder:
    """One pass over one Doc; holds the working state so each step is a small method."""

    def __init__(self, doc: Doc, h: Hints, table: PlaceTable) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token on each access: read it once
        self.h = h
        self.table = table
        self.taken = bytearray(len(doc))  # token is inside a kept mention
        self.mentions: list[_Mention] = []
        self.groups: list[_Group] = []
        self.by_key: dict[str, int] = {}
        self.roles: dict[int, Role] = {}  # person group -> role
        self.person_words: dict[int, list[str]] = {}  # person group -> fullest name words
        self.word_people: dict[str, set[int]] = {}  # name word -> person groups using it
        self.positions: dict[int, list[int]] = {}  # person group -> sorted mention tokens
        self.headline = bytearray(len(doc))  # token on a headline-case line; set by group_people

    # -- steps -------------------------------------------------------------------
    def build(self) -> EntityIndex:
        self.read_ner()
        self.group_people()
        self.group_others()
        self.merge_acronyms()
        self.merge_short_orgs()
        self.scan_surnames()
        self.find_roles()
        return self.index()

    def read_ner(self) -> None:
        """spaCy's mentions, trimmed of "the", titles and possessives; junk dropped."""
        doc, h = self.doc, self.h
        for ent in doc.ents:
            if ent.label_ not in ENTITY_LABELS or "\n" in ent.text:
                continue
            i, j = ent.start, ent.end
            while j > i and (doc[j - 1].lower_ in _POSSESSIVE or not _has_word(doc[j - 1].text)):
                j -= 1
            while i < j and (not _has_word(doc[i].text) or doc[i].lower_ == "the"):
                i += 1
            gender = None
            if ent.label_ == "PERSON":
                # "President Barack Obama" tagged whole: the title is not the name
                while j - i > 1 and _is_title_word(doc[i], h):
                    gender = gender or _gender_word(word_key(doc[i].text), h)
                    i += 1
            if i >= j:
                continue
            words = [word_key(doc[k].text) for k in range(i, j)]
            if ent.label_ != "PERSON" and _title_junk(doc, i, j, words, h):
                continue
            if len(words) == 1 and (words[0] in h.role_heads or words[0] in h.honorifics):
                continue
            if j - i == 1 and not any(ch.isupper() or ch.isdigit() for ch in doc[i].text):
                continue  # names are written capitalised: "n’t" tagged GPE is noise
            m = _Mention(i, j, ent.label_)
            if ent.label_ in ("GPE", "LOC"):
                m.org_evidence = _org_evidence(doc, i, j, h)
            self._add(m)
            if ent.label_ == "PERSON":
                m.gender = gender or _mention_gender(doc, i, j, h)

    def group_people(self) -> None:
        """A PERSON mention joins the person whose fuller name holds all its words; when
        two do ("Clinton": Bill and Hillary), the one named most recently before it."""
        people = [m for m in self.mentions if m.label == "PERSON"]
        headline = self.headline = self._headline_tokens()
        # fullest names first, so "Clinton" meets "Hillary Clinton" already grouped;
        # names in headline-case lines last, as spaCy runs them into the next capitalised
        # word there ("Obama Speech", "Injecting Clinton": PolNeAR dev headlines)
        # and, among names of one length, those a title gives a gender to first, so "Mr.
        # Obama" founds a man before a bare "Obama" can join "Michelle Obama"
        people.sort(key=lambda m: (bool(headline[m.i]), -(m.j - m.i), m.gender is None, m.i))
        for m in people:
            words = self._words(m)
            holders = set.intersection(*(self.word_people.get(w, set()) for w in words))
            if not holders and headline[m.i] and m.j - m.i >= 2:
                self._trim_to_known(m)
                words = self._words(m)
                holders = set.intersection(*(self.word_people.get(w, set()) for w in words))
            if m.gender is not None:
                # "Mr. Obama" is not "first lady Michelle Obama" (PolNeAR dev nyt 2016-09-19)
                holders = {g for g in holders if self.roles[g].gender in (None, m.gender)}
            best = self._nearest_person(m.i, holders, principal=True)
            if best is None:
                best = self._group(f"person:{m.i}", label="PERSON")
                self.person_words[best] = words
                self.roles[best] = Role()
                for w in words:
                    self.word_people.setdefault(w, set()).add(best)
            self._assign(m, best)
            if self.roles[best].gender is None:
                self.roles[best].gender = m.gender

    def _headline_tokens(self) -> bytearray:
        """1 for each token on a line written in headline case (most words capitalised)."""
        flags = bytearray(len(self.doc))
        lines = []
        pos = 0
        for line in self.text.split("\n"):
            words = [w for w in _WORDS.findall(line) if len(w) > 3]
            if len(words) >= _HEADLINE_MIN_WORDS and sum(w[0].isupper() for w in words) >= _HEADLINE_SHARE * len(words):
                lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        if not lines:
            return flags
        k = 0
        for tok in self.doc:
            while k < len(lines) and lines[k][1] <= tok.idx:
                k += 1
            if k == len(lines):
                break
            if lines[k][0] <= tok.idx:
                flags[tok.i] = 1
        return flags

    def _trim_to_known(self, m: _Mention) -> None:
        """Shrink a headline mention to its longest run of words that a known person's
        name holds ("Injecting Clinton" -> "Clinton"); unchanged when none does."""
        for size in range(m.j - m.i - 1, 0, -1):
            for i in range(m.j - size, m.i - 1, -1):  # rightmost first: names end a run
                words = [word_key(self.doc[k].text) for k in range(i, i + size)]
                if set.intersection(*(self.word_people.get(w, set()) for w in words)):
                    for k in range(m.i, m.j):
                        if not i <= k < i + size:
                            self.taken[k] = 0
                    m.i, m.j = i, i + size
                    return

    def group_others(self) -> None:
        """Places by the country table, a lone surname of a known person to that person,
        the rest by their trimmed text (case-insensitive)."""
        capitals: list[tuple[_Mention, str]] = []
        surnames = self._surnames()
        # A one-word person ("Trump" with no full name in the text) is also met by an
        # ORG- or GPE-tagged mention of that word ("the Trump administration").
        for g, words in self.person_words.items():
            if len(words) == 1 and len(words[0]) >= 2:
                surnames.setdefault(words[0], []).append(g)
        for m in self.mentions:
            if m.group >= 0:
                continue
            text = self._text(m)
            place = self.table.lookup(text)
            words = self._words(m)
            if len(words) >= 2 and words[-1] in ("'s", "’s"):
                words = words[:-1]
            whole = [g for g, pw in self.person_words.items() if pw == words] if m.label != "PERSON" else []
            if whole and not (place and m.label in ("GPE", "LOC")):
                # a known person's whole name tagged ORG ("Scooter Braun's company")
                if self.doc[m.j - 1].text in ("'s", "’s"):
                    m.j -= 1
                m.label = "PERSON"
                self._assign(m, self._nearest_person(m.i, whole, principal=True))
                continue
            if m.j - m.i == 1 and text.lower() in surnames and not (place and m.label in ("GPE", "LOC")):
                m.label = "PERSON"
                self._assign(m, self._nearest_person(m.i, surnames[text.lower()], principal=True))
                continue
            if place is not None and m.label != "PERSON":
                if place.capital:
                    capitals.append((m, place.country))
                    continue
                m.group = self._group(f"country:{place.country}", label="GPE", country=place.country)
                continue
            m.group = self._group(f"name:{place_key(text)}")
        for m, country in capitals:
            key = f"country:{country}"
            # a capital in capitals is a dateline ("WASHINGTON —"), a place
            upper = self._text(m).isupper()
            if key in self.by_key and not upper and _as_government(self.doc[m.i : m.j].root, self.h):
                m.group = self.by_key[key]
            else:
                m.group = self._group(f"name:{place_key(self._text(m))}")

    def merge_acronyms(self) -> None:
        """"Government of National Accord (GNA)" defines GNA; an acronym whose letters are
        the initials of a longer name ("LNA" for "Libyan National Army") joins it; bare
        uses of a known acronym that spaCy missed are added."""
        doc = self.doc
        long_names: dict[str, int] = {}  # initials -> group of a multi-word non-person name
        for m in self.mentions:
            g = self.groups[m.group]
            if g.label == "PERSON" or m.j - m.i < 2:
                continue
            long_names.setdefault(_initials(doc, m.i, m.j, self.h), m.group)
        aliases: dict[str, int] = {}
        for m in self.mentions:
            # "(GNA)" right after a name of 2+ words, tagged or not, is its acronym when
            # the first letters agree (checked: "Government of National Accord (GNA)")
            k = m.j
            if self.groups[m.group].label == "PERSON" or m.j - m.i < 2 or k + 2 >= len(doc):
                continue
            if doc[k].text == "(" and doc[k + 2].text == ")":
                acr = doc[k + 1].text
                if _is_acronym(acr) and acr[0] == doc[m.i].text[0].upper():
                    aliases.setdefault(acr, m.group)
        for m in self.mentions:
            if m.j - m.i == 1 and _is_acronym(self._text(m)) and self.groups[m.group].country is None:
                target = aliases.get(self._text(m), long_names.get(self._text(m)))
                if target is not None and target != m.group and self.groups[target].label != "PERSON":
                    aliases.setdefault(self._text(m), target)
                    self._merge(m.group, target)
        if not aliases:
            return
        for tok in doc:  # bare acronyms spaCy did not tag: "(LNA)", "the GNA and LNA"
            target = aliases.get(tok.text)
            if target is not None and not self.taken[tok.i]:
                m = _Mention(tok.i, tok.i + 1, "ORG", kind="scan", group=self._alive(target))
                self._add(m)

    def merge_short_orgs(self) -> None:
        """An organisation written as one word ("Hofstra" beside "Hofstra University",
        "the Post" beside "the New York Post") joins the one longer ORG name holding that
        word; when two hold it ("Post": Washington and New York) it stays apart."""
        doc, skip = self.doc, self.h.acronym_skip
        holders: dict[str, set[int]] = {}
        words_of: dict[int, set[str]] = {}
        for m in self.mentions:
            g = self._alive(m.group)
            if m.label != "ORG" or self.groups[g].label is not None:
                continue
            words = {word_key(doc[k].text) for k in range(m.i, m.j)} - skip
            words_of.setdefault(g, set()).update(words)
            if m.j - m.i >= 2:
                for w in words:
                    holders.setdefault(w, set()).add(g)
        for g, words in words_of.items():
            # one word only, and not a body of its own: "State Department" is not short
            # for "state Department of Revenue Services", nor "Senate" for "Senate Armed
            # Services Committee" (both PolNeAR dev)
            if len(words) != 1 or words & self.h.standalone_orgs:
                continue
            found = set.intersection(*(holders.get(w, set()) for w in words)) - {g}
            found = {f for f in found if len(words_of[f]) > len(words)}
            if len(found) == 1:
                self._merge(g, found.pop())

    def scan_surnames(self) -> None:
        """A known person's surname written alone where spaCy tagged nothing ("Bashagha
        claimed ..."): capitalised exactly as in the name, not part of a longer name."""
        surnames = self._surnames()
        if not surnames:
            return
        doc = self.doc
        h = self.h
        for tok in doc:
            if self.taken[tok.i] or tok.ent_type_ or tok.text.lower() not in surnames:
                continue
            low = tok.text.lower()
            if low in h.pronouns_male or low in h.pronouns_female or low in h.pronouns_other:
                continue  # "He said" after "Liu He" is a pronoun, not the surname
            if not tok.is_title:
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and nxt.is_title and not nxt.is_sent_start:
                continue  # "Clinton Foundation", "Trump Tower"
            group = self._nearest_person(tok.i, surnames[tok.text.lower()], principal=True)
            if group is not None:
                self._add(_Mention(tok.i, tok.i + 1, "PERSON", kind="scan", group=group))

    def find_roles(self) -> None:
        """Roles from titles and appositives; later definite role phrases join the person."""
        doc, h = self.doc, self.h
        for m in self.mentions:
            if m.kind == "name" and self.groups[m.group].label == "PERSON":
                person_role(doc, m.i, m.j, h, self.roles[m.group])
        if not any(r.keys for r in self.roles.values()):
            return
        defining = bytearray(len(doc))
        for role in self.roles.values():
            for a, b in role.region:
                for k in range(a, b):
                    defining[k] = 1
        for p in role_phrases(doc, h, self.taken):
            if any(defining[k] for k in range(p.start, p.end)):
                continue
            holders = [
                g for g, r in self.roles.items() if 0 <= r.defined_at < p.start and fits(p.head, p.fields, r)
            ]
            best = self._nearest_person(p.start, holders, before_only=True)
            if best is not None:
                self._add(_Mention(p.start, p.end, "PERSON", kind="role", group=best))

    def index(self) -> EntityIndex:
        doc = self.doc
        by_group: dict[int, list[_Mention]] = {}
        for m in self.mentions:
            by_group.setdefault(self._alive(m.group), []).append(m)
        order = sorted(by_group, key=lambda g: min(m.i for m in by_group[g]))
        out = EntityIndex(sent_starts=[s.start_char for s in doc.sents])
        for idx, g in enumerate(order):
            ms = sorted(by_group[g], key=lambda m: m.i)
            label = self._label(g, ms)
            name = self._name(g, ms, label)
            spans = [(doc[m.i].idx, _end(doc, m.j)) for m in ms]
            out.entities.append(Entity(name, label, spans))
            for m, (s, e) in zip(ms, spans):
                out.spans.append((s, e, idx))
                sent = out._sentence(s)
                if label in ("PERSON", "ORG"):
                    root = doc[m.i : m.j].root
                    level = 0
                    if root.dep_ in _SUBJECT_DEPS:
                        level = 2 if root.head.dep_ == "ROOT" else 1
                    (out.persons if label == "PERSON" else out.orgs).append((s, idx, sent, level))
                if m.kind != "role":
                    out.forms.setdefault(place_key(self.text[s:e]), idx)
            if label == "PERSON":
                role = self.roles.get(g)
                if role is not None:
                    out.roles[idx] = role
                for w in self.person_words.get(g, []):
                    out.names.setdefault(w, idx)
            elif self.groups[g].country is not None:
                out.forms.setdefault(place_key(name), idx)
        out.spans.sort()
        out.persons.sort()
        out.orgs.sort()
        out.quoted = _in_quotes(self.text, [p[0] for p in out.persons])
        self._learn_gender(out)
        return out

    def _learn_gender(self, out: EntityIndex) -> None:
        """A person with no gendered title takes the gender of "He ..."/"She ..." opening
        the next sentence when they were the only person, a subject, in the one before;
        unanimous cues only. Lets "she" skip a man named after a woman."""
        h = self.h
        by_sent: dict[int, set[int]] = {}
        subject: dict[int, int] = {}
        for _, idx, sent, level in out.persons:
            by_sent.setdefault(sent, set()).add(idx)
            if level:
                subject[sent] = idx
        votes: dict[int, set[str]] = {}
        for k, span in enumerate(self.doc.sents):
            if k == 0 or len(by_sent.get(k - 1, ())) != 1 or k - 1 not in subject:
                continue
            first = span[0]
            w = first.lower_
            g = "m" if w in h.pronouns_male else "f" if w in h.pronouns_female else None
            if g is None or first.dep_ not in _SUBJECT_DEPS:
                continue
            votes.setdefault(subject[k - 1], set()).add(g)
        for idx, gs in votes.items():
            role = out.roles.get(idx)
            if role is not None and role.gender is None and len(gs) == 1:
                role.gender = gs.pop()

    # -- helpers -----------------------------------------------------------------
    def _add(self, m: _Mention) -> None:
        if any(self.taken[k] for k in range(m.i, m.j)):
            return
        for k in range(m.i, m.j):
            self.taken[k] = 1
        self.mentions.append(m)
        if m.group >= 0 and self.groups[m.group].label == "PERSON":
            insort(self.positions.setdefault(m.group, []), m.i)

    def _assign(self, m: _Mention, group: int | None) -> None:
        if group is None:
            return
        m.group = group
        insort(self.positions.setdefault(group, []), m.i)

    def _group(self, key: str, *, label: str | None = None, country: str | None = None) -> int:
        g = self.by_key.get(key)
        if g is None:
            g = self.by_key[key] = len(self.groups)
            self.groups.append(_Group(key, label, country))
        return self._alive(g)

    def _alive(self, g: int) -> int:
        while self.groups[g].into >= 0:
            g = self.groups[g].into
        return g

    def _merge(self, src: int, dst: int) -> None:
        src, dst = self._alive(src), self._alive(dst)
        if src == dst:
            return
        for m in self.mentions:
            if m.group == src:
                m.group = dst
        self.groups[src].into = dst

    def _text(self, m: _Mention) -> str:
        return self.text[self.doc[m.i].idx : _end(self.doc, m.j)]

    def _words(self, m: _Mention) -> list[str]:
        # Punctuation tokens are not name words: "Jong-un" must not make "-" a word of
        # Kim Jong-un that any hyphen in a headline could be trimmed to.
        return [word_key(t.text) for t in self.doc[m.i : m.j] if any(c.isalnum() for c in t.text)]

    def _nearest_person(
        self, i: int, groups: Iterable[int], *, before_only: bool = False, principal: bool = False
    ) -> int | None:
        """Of ``groups`` (people), the one with a mention nearest before token ``i``;
        else (unless ``before_only``) the one named first after it. With ``principal``,
        the one named most often before ``i`` wins first: news gives the second person of
        a shared surname a first name ("Hillary Clinton ... daughter Chelsea Clinton's
        apartment ... Clinton's van" is Hillary; PolNeAR dev breitbart 2016-09-12)."""
        best, best_key, after, after_pos = None, (-1, -1), None, 1 << 62
        for g in groups:
            pos = self.positions.get(g)
            if not pos:
                continue
            k = bisect_left(pos, i)
            key = (k if principal else 0, pos[k - 1] if k > 0 else -1)
            if k > 0 and key > best_key:
                best, best_key = g, key
            if k < len(pos) and pos[k] < after_pos:
                after, after_pos = g, pos[k]
        return best if best is not None or before_only else after

    def _surnames(self) -> dict[str, list[int]]:
        """Lower-cased last word of each multi-word person name -> the people with it.
        One-letter words are initials, never surnames."""
        last: dict[str, list[int]] = {}
        for g, words in self.person_words.items():
            if len(words) >= 2 and len(words[-1]) >= 2:
                last.setdefault(words[-1], []).append(g)
        return last

    def _label(self, g: int, ms: list[_Mention]) -> str:
        group = self.groups[g]
        if group.label is not None:
            return group.label
        votes: dict[str, int] = {}
        for m in ms:
            label = "ORG" if m.org_evidence else m.label
            # a place name the table does not know, used as "told X": an outlet. One such
            # use outweighs any number of place tags ("told Bloomberg"; "Bloomberg" GPE).
            votes[label] = votes.get(label, 0) + (100 if m.org_evidence else 1)
        return max(votes, key=lambda k: (votes[k], -ENTITY_LABELS.index(k)))

    def _name(self, g: int, ms: list[_Mention], label: str) -> str:
        group = self.groups[g]
        if group.country is not None:
            return group.country
        names = [m for m in ms if m.kind != "role"] or ms
        if label == "PERSON":
            # the full name written most often, then the longest: spaCy sometimes takes a
            # headline word or epithet into one mention ("Crooked Hillary Clinton" once
            # beside "Hillary Clinton" 20 times; PolNeAR dev breitbart 2016-09-30)
            counts: dict[str, int] = {}
            for m in names:
                counts[self._text(m)] = counts.get(self._text(m), 0) + 1
            headline = self.headline
            # a full name from the body beats one from a headline-case line
            body = [m for m in names if not headline[m.i] and len(self._text(m).split()) >= 2]
            best = max(
                body or names,
                key=lambda m: (
                    len(self._text(m).split()) >= 2,
                    counts[self._text(m)],
                    len(self._text(m).split()),
                    -m.i,
                ),
            )
        else:  # the long form, not its acronym: most words, then longest
            best = max(names, key=lambda m: (m.j - m.i, len(self._text(m)), -m.i))
        return " ".join(self._text(best).split())


def _end(doc: Doc, j: int) -> int:
    t = doc[j - 1]
    return t.idx + len(t.text)


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _is_title_word(tok: Token, h: Hints) -> bool:
    w = word_key(tok.text)
    return w in h.honorifics or w in h.role_heads


def _gender_word(w: str, h: Hints) -> str | None:
    return "m" if w in h.male else "f" if w in h.female else None


def _in_quotes(text: str, starts: list[int]) -> set[int]:
    """Those of ``starts`` (sorted) that fall between paired quotation marks."""
    out: set[int] = set()
    if not starts:
        return out
    for m in _QUOTED.finditer(text):
        k = bisect_left(starts, m.start())
        while k < len(starts) and starts[k] < m.end():
            out.add(starts[k])
            k += 1
    return out


def _mention_gender(doc: Doc, i: int, j: int, h: Hints) -> str | None:
    """The gender a title says: "Mr. Obama", "Sen. Mrs. Smith", "the first lady,
    Michelle Obama", "Jane Doe, a spokeswoman"."""
    g = gender_of(title_before(doc, i, h)[1], h)
    if g is not None:
        return g
    root = doc[i:j].root
    if root.dep_ == "appos" and root.head.i < i:
        g = _gender_word(word_key(root.head.text), h)
    for c in root.children:
        if g is None and c.dep_ == "appos" and c.i >= j:
            g = _gender_word(word_key(c.text), h)
    return g


def _title_junk(doc: Doc, i: int, j: int, words: list[str], h: Hints) -> bool:
    """"Defense" in "Russian Defense Minister", "State" in "Secretary of State": a
    department word tagged ORG inside a person's title, not an organisation."""
    if " ".join(words) not in h.departments:
        return False
    nxt = word_key(doc[j].text) if j < len(doc) else ""
    if nxt in h.role_heads:
        return True
    if i >= 2 and doc[i - 1].lower_ in ("of", "for"):
        return word_key(doc[i - 2].text) in h.role_heads
    return False


def _org_evidence(doc: Doc, i: int, j: int, h: Hints) -> bool:
    """A place-tagged name used as a news outlet: "told Bloomberg", "according to X",
    "X wrote"; only used when the country table does not know the name."""
    if places().lookup(" ".join(doc[k].text for k in range(i, j))) is not None:
        return False
    root = doc[i:j].root
    head = root.head
    if root.dep_ in ("dobj", "dative") and head.lower_ in h.told_verbs:
        return True
    if root.dep_ in _SUBJECT_DEPS and head.lower_ in h.wrote_verbs:
        return True
    return root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def _as_government(root: Token, h: Hints) -> bool:
    """A capital acting as its government: subject ("Washington warned"), owner
    ("Moscow's push"), agent ("by Beijing"), addressee of "told"; or in a conjunction
    with one ("Moscow and Washington agreed")."""
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ in _GOVERNMENT_DEPS:
        return True
    if tok.dep_ in ("dobj", "dative") and tok.head.lower_ in h.told_verbs:
        return True
    return tok.dep_ == "pobj" and tok.head.dep_ == "agent"


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return _ACRONYM_MIN <= len(letters) <= _ACRONYM_MAX and letters.isalpha() and letters.isupper()


def _initials(doc: Doc, i: int, j: int, h: Hints) -> str:
    """"GNA" for "Government of National Accord" (of/the/and/for skipped)."""
    out = []
    for k in range(i, j):
        t = doc[k]
        if word_key(t.text) in h.acronym_skip or not t.text[:1].isalpha():
            continue
        out.append(t.text[0].upper())
    return "".join(out)


__all__ = ["EntityIndex", "find_entities"]
