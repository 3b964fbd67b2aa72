"""Stories: online clustering of articles into events (local complete-link re-clustering),
over the StoryStore seam."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np
import pytest

from newsdesk.links import stories as st
from newsdesk.links.stories import DEFAULT, Clusterer, Features, Member, MemoryStore, Part, StoryDoc, features

QUAKE = [
    ("Earthquake of magnitude 5.6 shakes Qeshm island",
     "A strong earthquake of magnitude 5.6 shook Qeshm island in the Gulf on Sunday, damaging houses in three "
     "villages and injuring five people, Iranian state media said. Rescue teams from Hormozgan province reached "
     "the villages by road."),
    ("Qeshm quake injures five, damages villages",
     "Five people were injured when a magnitude 5.6 earthquake struck Qeshm island off southern Iran. Houses in "
     "several villages were damaged and rescue teams from Hormozgan province were sent to the island."),
    ("Rescue teams reach quake-hit villages on Qeshm",
     "Rescue teams from Hormozgan province reached the villages on Qeshm island damaged by Sunday's magnitude 5.6 "
     "earthquake. Five injured villagers were taken to hospital, state media reported."),
]
TRADE = [
    ("Lakers trade guard Jordan Clarkson to Cavaliers",
     "The Los Angeles Lakers traded guard Jordan Clarkson and forward Larry Nance to the Cleveland Cavaliers for "
     "Isaiah Thomas and a first-round draft pick, the teams announced before the deadline."),
    ("Cavaliers land Clarkson and Nance from Lakers",
     "Cleveland acquired Jordan Clarkson and Larry Nance from the Lakers in exchange for Isaiah Thomas and a "
     "first-round pick, reshaping the Cavaliers roster at the trade deadline."),
    ("Lakers deal Clarkson, Nance to Cleveland for Thomas",
     "The Lakers sent Jordan Clarkson and Larry Nance to Cleveland. Isaiah Thomas and a first-round draft pick go "
     "to Los Angeles in the deadline trade with the Cavaliers."),
]
QUAKE_ENTITIES = [("GPE", "Qeshm"), ("GPE", "Iran"), ("GPE", "Hormozgan")]
TRADE_ENTITIES = [("ORG", "Lakers"), ("ORG", "Cavaliers"), ("PERSON", "Jordan Clarkson"), ("PERSON", "Larry Nance"),
                  ("PERSON", "Isaiah Thomas"), ("GPE", "Cleveland")]


def doc(key: str, title: str, text: str, published: str | None = "2024-05-05T10:00:00",
        entities: list[tuple[str, str]] | None = None) -> StoryDoc:
    return StoryDoc(key, title, text, published, entities or [])


def two_events() -> list[StoryDoc]:
    """Quake and trade articles, interleaved in time."""
    out = []
    for i, ((qt, qx), (tt, tx)) in enumerate(zip(QUAKE, TRADE)):
        out.append(doc(f"q{i}", qt, qx, f"2024-05-0{5 + i}T08:00:00", QUAKE_ENTITIES))
        out.append(doc(f"t{i}", tt, tx, f"2024-05-0{5 + i}T09:00:00", TRADE_ENTITIES))
    return out


def cluster(docs: Iterable[StoryDoc], params: st.Params = DEFAULT, store: st.StoryStore | None = None
            ) -> tuple[dict[str, int], list[st.Assignment]]:
    """Each doc's story after the last one is placed (stories move when re-clustered)."""
    docs = list(docs)
    memory = MemoryStore()
    clusterer = Clusterer(store or memory, params)
    assignments = [clusterer.add(i, features(d, params)) for i, d in enumerate(docs)]
    inner = memory if store is None else store._inner  # type: ignore[attr-defined]
    where = inner.clusters()
    return {d.key: where[i] for i, d in enumerate(docs)}, assignments


def groups(where: dict[str, int]) -> set[frozenset[str]]:
    by: dict[int, set[str]] = {}
    for key, sid in where.items():
        by.setdefault(sid, set()).add(key)
    return {frozenset(v) for v in by.values()}


def made_up(terms: range, day: float = 100.0) -> Features:
    """An article of the given word terms (ids), naming nobody."""
    return Features(dict.fromkeys(terms, 1.0), {}, day)


def test_two_different_events_become_two_stories_and_same_event_articles_join() -> None:
    where, assignments = cluster(two_events())
    assert groups(where) == {frozenset({"q0", "q1", "q2"}), frozenset({"t0", "t1", "t2"})}
    assert [a.score > 0 for a in assignments] == [False, False, True, True, True, True]


def test_the_label_is_the_medoid_of_the_story() -> None:
    store = MemoryStore()
    clusterer = Clusterer(store)
    docs = two_events()
    for i, d in enumerate(docs):
        clusterer.add(i, features(d))
    assert len(store.stories) == 2
    for sid, keys in store.stories.items():
        # The member with the highest mean score against the other members names the story.
        assert store.labels[sid] == max(keys, key=lambda k: (store.centrality[k], -k))
        assert all(store.centrality[k] > 0 for k in keys)


def test_an_article_that_shows_two_members_apart_splits_their_story() -> None:
    # a and b share half their words: one story. c shares three quarters of b's words and a
    # quarter of a's: complete-link groups b with c first, and a cannot join them.
    params = replace(DEFAULT, time_penalty=0.0, threshold=0.35)
    store = MemoryStore()
    clusterer = Clusterer(store, params)
    first = clusterer.add(1, made_up(range(1, 9)))
    assert clusterer.add(2, made_up(range(5, 13))).story == first.story
    split = clusterer.add(3, made_up(range(7, 15)))
    where = store.clusters()
    assert where[1] == first.story  # the earlier part keeps the id (one member each)
    assert where[2] == where[3] == split.story != first.story and split.merged == []
    assert split.score > 0.35


def test_a_copy_group_is_never_split() -> None:
    params = replace(DEFAULT, time_penalty=0.0, threshold=0.35)
    store = MemoryStore()
    clusterer = Clusterer(store, params)
    clusterer.add(1, made_up(range(1, 9)), group=1)
    clusterer.add(2, made_up(range(5, 13)), group=1)  # the archive says 2 is in 1's copy group
    clusterer.add(3, made_up(range(7, 15)))
    assert len(set(store.clusters().values())) == 1


def test_a_bridging_article_merges_two_stories_and_the_larger_keeps_its_id() -> None:
    # An event reported over 12 days: the reports of days 0, 1 and 12 are more than the window
    # apart, so the last starts a story of its own, until one of day 6 neighbours both.
    params = replace(DEFAULT, time_penalty=0.0, threshold=0.2)
    store = MemoryStore()
    clusterer = Clusterer(store, params)
    early = clusterer.add(1, made_up(range(1, 11), 100.0)).story
    clusterer.add(2, made_up(range(2, 12), 101.0))
    late = clusterer.add(3, made_up(range(3, 13), 112.0)).story
    assert early != late
    bridge = clusterer.add(4, made_up(range(2, 13), 106.0))
    assert bridge.story == early and bridge.merged == [late]
    assert set(store.stories) == {early} and set(store.clusters().values()) == {early}


def test_far_apart_dates_keep_the_same_words_apart() -> None:
    (t0, x0), (t1, x1), _ = QUAKE
    a = doc("a", t0, x0, "2024-05-05T08:00:00", QUAKE_ENTITIES)
    b = doc("b", t1, x1, "2024-06-20T08:00:00", QUAKE_ENTITIES)  # 46 days later: outside the window
    assert len(groups(cluster([a, b])[0])) == 2
    # Undated, the same two articles join; within the window too.
    assert len(groups(cluster([replace(a, published=None), replace(b, published=None)])[0])) == 1
    assert len(groups(cluster([a, replace(b, published="2024-05-06T08:00:00")])[0])) == 1


def test_time_penalty_lowers_the_score_with_distance() -> None:
    (t0, x0), (t1, x1), _ = QUAKE
    a = doc("a", t0, x0, "2024-05-05T00:00:00", QUAKE_ENTITIES)
    near = cluster([a, doc("b", t1, x1, "2024-05-05T12:00:00", QUAKE_ENTITIES)])[1][1].score
    far = cluster([a, doc("b", t1, x1, "2024-05-07T12:00:00", QUAKE_ENTITIES)])[1][1].score
    assert far == pytest.approx(near - DEFAULT.time_penalty * 2)


def test_replaying_the_same_order_rebuilds_the_same_stories() -> None:
    docs = [*two_events(), doc("q9", QUAKE[2][0], QUAKE[0][1], "2024-05-07T12:00:00", QUAKE_ENTITIES)]
    first, a1 = cluster(docs)
    again, a2 = cluster(docs)
    assert first == again and a1 == a2


class ShuffledStore:
    """A store in the shape SQL gives back: members as fresh copies, in reversed order.
    Exposes the Protocol's methods and nothing else."""

    __slots__ = ("_inner", "calls")

    def __init__(self) -> None:
        self._inner = MemoryStore()
        self.calls: list[str] = []

    def documents(self) -> int:
        self.calls.append("documents")
        return self._inner.documents()

    def document_frequency(self, terms: Iterable[int]) -> dict[int, int]:
        self.calls.append("document_frequency")
        return dict(reversed(self._inner.document_frequency(list(terms)).items()))

    def add_document_terms(self, terms: Iterable[int]) -> None:
        self.calls.append("add_document_terms")
        self._inner.add_document_terms(terms)

    @staticmethod
    def _fresh(found: list[Member]) -> list[Member]:
        return [Member(m.key, m.story, m.group, m.day, m.terms.copy(), m.weights.copy()) for m in reversed(found)]

    def neighbours(self, terms: Sequence[int], day: float | None, window: float, limit: int) -> list[Member]:
        self.calls.append("neighbours")
        return self._fresh(self._inner.neighbours(terms, day, window, limit))

    def pool(self, stories: Sequence[int], limit: int) -> list[Member]:
        self.calls.append("pool")
        return self._fresh(self._inner.pool(stories, limit))

    def add_member(self, member: Member, terms: Sequence[int]) -> None:
        self.calls.append("add_member")
        self._inner.add_member(member, terms)

    def regroup(self, parts: Sequence[Part], heirs: Mapping[int, int]) -> None:
        self.calls.append("regroup")
        self._inner.regroup(parts, heirs)

    def new_id(self) -> int:
        self.calls.append("new_id")
        return self._inner.new_id()


def test_the_clusterer_uses_the_store_only_through_the_protocol_and_any_order_gives_the_same_result() -> None:
    docs = [*two_events(), doc("q9", QUAKE[2][0], QUAKE[0][1], "2024-05-07T12:00:00", QUAKE_ENTITIES)]
    store = ShuffledStore()
    shuffled = cluster(docs, DEFAULT, store)
    plain = cluster(docs)
    assert shuffled == plain  # same stories, same ids, same scores to the last bit
    assert set(store.calls) == {"documents", "document_frequency", "add_document_terms", "neighbours", "pool",
                                "add_member", "regroup", "new_id"}
    assert store.calls.count("add_member") == len(docs)


def test_features_are_pure_and_picklable() -> None:
    d = doc("q0", *QUAKE[0], entities=[*QUAKE_ENTITIES, ("ORG", "qeshm")])
    f = features(d)
    assert f == features(d) and pickle.loads(pickle.dumps(f)) == f
    assert isinstance(f, Features) and f.day == pytest.approx(19848 + 10 / 24)
    # Headline words weigh title_weight more; an entity's name counts once, whatever its label or case.
    assert f.terms[st.term_id("qeshm")] == 1 + DEFAULT.title_weight
    assert len(f.entities) == 3 and set(f.entities.values()) == {1.0}
    assert all(-(1 << 63) <= t < 1 << 63 for t in [*f.terms, *f.entities])
    assert not set(f.terms) & set(f.entities)


def test_tokens_drop_stopwords_fold_plurals_and_keep_numbers() -> None:
    assert st.tokens("The floods of 2024 said injuries: 5.6 and 160,000 houses in a village's streets") == [
        "flood", "2024", "injury", "5.6", "160,000", "house", "village", "street"]


@pytest.mark.parametrize(("published", "day"), [
    ("2024-05-05", 19848.0),
    ("2024-05-05T18:00:00", 19848.75),
    ("2024-05-05T18:00:00Z", 19848.75),
    ("2024-05-05T18:00:00+02:00", 19848.75),
    ("2024-05-05 garbage", 19848.0),
    ("yesterday", None),
    (None, None),
], ids=["date", "time", "utc", "offset", "date-prefix", "unreadable", "none"])
def test_day_number(published: str | None, day: float | None) -> None:
    assert st.day_number(published) == day


def test_memory_store_neighbours_rank_by_shared_terms_and_respect_the_window() -> None:
    store = MemoryStore()

    def member(key: int, terms: list[int], day: float | None) -> None:
        store.add_member(Member(key, -1, key, day, np.array(terms, dtype=np.int64), np.ones(len(terms))), terms)

    for key, terms, day in [(1, [1, 2], 100.0), (2, [1, 2, 3], 100.0), (3, [1], 100.0), (4, [1, 2, 3], 130.0),
                            (5, [2, 3], None), (6, [9], 100.0)]:
        member(key, terms, day)
    ranked = store.neighbours([1, 2, 3], 101.0, 7.0, limit=3)
    assert [m.key for m in ranked] == [2, 1, 5]  # 3 shared, then 2 (ties to the lower key); 4 is 29 days away
    assert {m.key for m in store.neighbours([1, 2, 3], None, 7.0, limit=10)} == {1, 2, 3, 4, 5}
    store.regroup([Part(10, [1, 2], 2, [0.5, 0.5]), Part(11, [3], 3, [0.0])], {})
    assert [m.key for m in store.pool([10], limit=1)] == [2]  # the latest member
    store.regroup([Part(10, [1], 1, [0.0])], {10: 10, 11: 10})  # 2 follows its story's heir; 11 is gone
    assert store.clusters()[2] == 10 and 11 not in store.stories and store.clusters()[3] == 10
