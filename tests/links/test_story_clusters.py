"""Stories: online clustering of articles into events, over the StoryStore seam."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import replace

import pytest

from newsdesk.links import stories as st
from newsdesk.links.stories import DEFAULT, Clusterer, Features, MemoryStore, Story, StoryDoc, features

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
    memory = MemoryStore()
    clusterer = Clusterer(store or memory, params)
    assignments = [clusterer.add(d.key, features(d, params)) for d in docs]
    where: dict[str, int] = {}
    for d, a in zip(docs, assignments):
        where[d.key] = a.story
        for gone in a.merged:  # follow merges: members of a merged story are in the kept one
            where = {k: a.story if s == gone else s for k, s in where.items()}
    return where, assignments


def groups(where: dict[str, int]) -> set[frozenset[str]]:
    by: dict[int, set[str]] = {}
    for key, sid in where.items():
        by.setdefault(sid, set()).add(key)
    return {frozenset(v) for v in by.values()}


def test_two_different_events_become_two_stories_and_same_event_articles_join() -> None:
    where, assignments = cluster(two_events())
    assert groups(where) == {frozenset({"q0", "q1", "q2"}), frozenset({"t0", "t1", "t2"})}
    assert [a.score > 0 for a in assignments] == [False, False, True, True, True, True]


def test_memory_store_tracks_members_and_label_is_the_most_central_member() -> None:
    store = MemoryStore()
    clusterer = Clusterer(store)
    scores = {d.key: clusterer.add(d.key, features(d)).score for d in two_events()}
    assert groups(store.clusters()) == {frozenset({"q0", "q1", "q2"}), frozenset({"t0", "t1", "t2"})}
    for sid, members in store.members.items():
        story = store.stories[sid]
        # The founder counts 0; the label is the member that scored highest when it joined.
        assert story.label == max(members, key=lambda k: (members[k], k)) and story.label != min(members)
        assert story.label_score == max(scores[k] for k in members) == members[story.label] > 0
        assert story.size == 3 and story.first_day is not None and story.last_day == story.first_day + 2


def test_a_bridging_article_merges_two_stories() -> None:
    quake = [doc(f"q{i}", t, x, entities=QUAKE_ENTITIES) for i, (t, x) in enumerate(QUAKE)]
    trade = [doc(f"t{i}", t, x, entities=TRADE_ENTITIES) for i, (t, x) in enumerate(TRADE)]
    # One article made of both stories: it scores about the same against each.
    bridge = doc("both", QUAKE[0][0] + " " + TRADE[0][0], QUAKE[1][1] + " " + TRADE[1][1],
                 entities=QUAKE_ENTITIES + TRADE_ENTITIES)
    params = replace(DEFAULT, join=0.2, merge=0.25, time_penalty=0.0)
    where, assignments = cluster([*quake, *trade, bridge], params)
    last = assignments[-1]
    assert len(last.merged) == 1 and last.score >= params.merge
    assert groups(where) == {frozenset({"q0", "q1", "q2", "t0", "t1", "t2", "both"})}
    # Without merging, the same article only joins the better of the two.
    where, assignments = cluster([*quake, *trade, bridge], replace(params, merge=None))
    assert assignments[-1].merged == [] and len(groups(where)) == 2


def test_the_larger_story_keeps_its_id_when_two_merge() -> None:
    quake = [doc(f"q{i}", t, x, entities=QUAKE_ENTITIES) for i, (t, x) in enumerate(QUAKE)]
    trade = [doc(f"t{i}", t, x, entities=TRADE_ENTITIES) for i, (t, x) in enumerate(TRADE[:2])]
    bridge = doc("both", QUAKE[0][0] + " " + TRADE[0][0], QUAKE[1][1] + " " + TRADE[1][1],
                 entities=QUAKE_ENTITIES + TRADE_ENTITIES)
    store = MemoryStore()
    clusterer = Clusterer(store, replace(DEFAULT, join=0.2, merge=0.25, time_penalty=0.0))
    ids = {d.key: clusterer.add(d.key, features(d)).story for d in [*trade, *quake]}
    last = clusterer.add("both", features(bridge))
    assert last.story == ids["q0"] and last.merged == [ids["t0"]]  # 3 quake articles against 2
    assert set(store.stories) == {ids["q0"]} and store.stories[ids["q0"]].size == 6


def test_far_apart_dates_keep_the_same_words_apart() -> None:
    (t0, x0), (t1, x1), _ = QUAKE
    a = doc("a", t0, x0, "2024-05-05T08:00:00", QUAKE_ENTITIES)
    b = doc("b", t1, x1, "2024-06-20T08:00:00", QUAKE_ENTITIES)  # 46 days later: outside the window
    assert len(groups(cluster([a, b])[0])) == 2
    # Undated, the same two articles join; within the window too.
    assert len(groups(cluster([replace(a, published=None), replace(b, published=None)])[0])) == 1
    assert len(groups(cluster([a, replace(b, published="2024-05-06T08:00:00")])[0])) == 1


def test_time_penalty_lowers_the_score_with_distance_from_the_story() -> None:
    (t0, x0), (t1, x1), _ = QUAKE
    a = doc("a", t0, x0, "2024-05-05T00:00:00", QUAKE_ENTITIES)
    near = cluster([a, doc("b", t1, x1, "2024-05-05T12:00:00", QUAKE_ENTITIES)])[1][1].score
    far = cluster([a, doc("b", t1, x1, "2024-05-09T12:00:00", QUAKE_ENTITIES)])[1][1].score
    assert far == pytest.approx(near - DEFAULT.time_penalty * 4)


def test_replaying_the_same_order_rebuilds_the_same_stories() -> None:
    docs = [*two_events(), doc("q9", QUAKE[2][0], QUAKE[0][1], "2024-05-07T12:00:00", QUAKE_ENTITIES)]
    first, a1 = cluster(docs)
    again, a2 = cluster(docs)
    assert first == again and a1 == a2


class ShuffledStore:
    """A store in the shape SQL gives back: every Story a fresh copy, its term dicts in
    reversed order. Exposes the Protocol's methods and nothing else."""

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

    def candidates(self, terms: Iterable[int], day: float | None, window: float, limit: int) -> list[Story]:
        self.calls.append("candidates")
        found = self._inner.candidates(terms, day, window, limit)
        return [replace(s, centroid=dict(reversed(s.centroid.items())), entities=dict(reversed(s.entities.items())))
                for s in reversed(found)]

    def save(self, story: Story, member: str, centrality: float) -> None:
        self.calls.append("save")
        self._inner.save(replace(story, centroid=dict(story.centroid), entities=dict(story.entities)), member, centrality)

    def merge(self, keep: int, gone: int) -> None:
        self.calls.append("merge")
        self._inner.merge(keep, gone)

    def new_id(self) -> int:
        self.calls.append("new_id")
        return self._inner.new_id()


def test_the_clusterer_uses_the_store_only_through_the_protocol_and_any_term_order_gives_the_same_result() -> None:
    docs = two_events()
    bridge = doc("both", QUAKE[0][0] + " " + TRADE[0][0], QUAKE[1][1] + " " + TRADE[1][1], "2024-05-06T10:00:00",
                 QUAKE_ENTITIES + TRADE_ENTITIES)
    params = replace(DEFAULT, join=0.2, merge=0.25)
    store = ShuffledStore()
    shuffled = cluster([*docs, bridge], params, store)
    plain = cluster([*docs, bridge], params)
    assert shuffled == plain  # same stories, same ids, same scores to the last bit
    assert set(store.calls) == {"documents", "document_frequency", "add_document_terms", "candidates", "save",
                                "merge", "new_id"}
    assert store.calls.count("add_document_terms") == len(docs) + 1


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


def test_memory_store_candidates_rank_by_shared_terms_and_respect_the_window() -> None:
    store = MemoryStore()

    def story(sid: int, terms: list[int], day: float | None) -> Story:
        return Story(sid, dict.fromkeys(terms, 1.0), 1.0, {}, 0.0, 1, day, day, day, int(day is not None), "k", 0.0)

    for s in [story(1, [1, 2], 100.0), story(2, [1, 2, 3], 100.0), story(3, [1], 100.0), story(4, [1, 2, 3], 130.0),
              story(5, [2, 3], None), story(6, [9], 100.0)]:
        store.save(s, f"m{s.id}", 0.0)
    ranked = store.candidates([1, 2, 3], 101.0, 7.0, limit=3)
    assert [s.id for s in ranked] == [2, 1, 5]  # 3 shared, then 2 (ties to the lower id); 4 is 29 days away
    assert {s.id for s in store.candidates([1, 2, 3], None, 7.0, limit=10)} == {1, 2, 3, 4, 5}
    store.merge(2, 1)
    assert 1 not in store.stories and store.members[2] == {"m2": 0.0, "m1": 0.0}
    assert [s.id for s in store.candidates([1], 101.0, 7.0, limit=10)] == [2, 3]
    store.save(story(2, [3], 100.0), "m7", 0.5)  # terms 1 and 2 leave the index of story 2
    assert [s.id for s in store.candidates([1, 2], 101.0, 7.0, limit=10)] == [3, 5]
