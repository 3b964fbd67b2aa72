"""Worker processes for a run: results in input order, a dead or hung worker recovered.

``parallel_map(fn, chunks)`` runs ``fn`` over chunks of items in worker processes. Each
worker keeps a heartbeat in shared memory — which chunk and which item it is on, and by
when it must be done — so the parent knows exactly what a worker was doing when it died:

- a worker that dies (a crash in C code, the OOM killer) loses the item it was on, which is
  reported through ``lost``; every other item in flight is sent again to a new pool;
- a worker still on one item past its deadline (a hang the in-worker alarm could not
  break, e.g. inside C code) is killed by the parent, and that item is reported the same way.

With ``jobs`` 1 everything runs in this process (no heartbeat, the alarm only).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, TimeoutError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Slots of the heartbeat array per worker: pid, chunk number, item index, deadline.
_FIELDS = 4
# A batch stage (the whole chunk at once) reports this instead of an item index.
WHOLE_CHUNK = -1.0
_IDLE = -2.0
# How long past its deadline a worker may stay on an item before the parent kills it: the
# in-worker alarm fires at the deadline itself; this margin is for a hang it cannot break.
GRACE_SECONDS = 10.0
# How often the parent looks at the heartbeats while it waits.
POLL_SECONDS = 1.0
# An item sent again after its worker died, and lost again, is given up.
MAX_TRIES = 2

_beats: Any = None  # this worker's shared heartbeat array (None in the parent)
_slot = 0
_chunk = 0.0


def _init_worker(beats: Any, counter: Any) -> None:
    global _beats, _slot
    with counter.get_lock():
        _slot = counter.value
        counter.value += 1
    _beats = beats
    # The parent handles Ctrl-C for the whole run; a worker stopping on its own would
    # look like a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def beat(item: float, budget: float | None) -> None:
    """Tell the parent which item of the current chunk this worker is on (``WHOLE_CHUNK``
    for a batch) and how many seconds it may take. A no-op outside a worker."""
    if _beats is None:
        return
    base = _slot * _FIELDS
    deadline = time.time() + budget if budget else 0.0
    _beats[base : base + _FIELDS] = [float(os.getpid()), _chunk, item, deadline]


def idle() -> None:
    if _beats is not None:
        base = _slot * _FIELDS
        _beats[base + 2] = _IDLE
        _beats[base + 3] = 0.0


@dataclass(frozen=True, slots=True)
class _Job(Generic[T, R]):
    """What a worker runs: ``fn`` over one chunk, with the chunk's number in the heartbeat."""

    fn: Callable[[list[T]], list[R]]
    number: int

    def __call__(self, chunk: list[T]) -> list[R]:
        global _chunk
        _chunk = float(self.number)
        try:
            return self.fn(chunk)
        finally:
            idle()


@dataclass(slots=True)
class _Pending(Generic[T, R]):
    number: int
    items: list[T]
    tries: list[int]
    future: Future[list[R]]


class _Pool:
    def __init__(self, jobs: int) -> None:
        context = multiprocessing.get_context("forkserver")
        # forkserver, not fork: workers start from a clean interpreter and never inherit
        # the parent's open SQLite connection or threads.
        self.beats = context.Array("d", [_IDLE] * (jobs * 4 * _FIELDS), lock=False)
        counter = context.Value("i", 0)
        self.executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(self.beats, counter)
        )
        self.killed: dict[int, str] = {}  # pid → why the parent killed it
        self.procs: dict[int, Any] = {}  # every worker process seen, kept past a break

    def _seen(self) -> None:
        self.procs.update(getattr(self.executor, "_processes", None) or {})

    def heartbeats(self) -> list[tuple[int, int, float, float]]:
        b = list(self.beats)
        rows = [tuple(b[i : i + _FIELDS]) for i in range(0, len(b), _FIELDS)]
        return [(int(p), int(c), item, d) for p, c, item, d in rows if p > 0]

    def watch(self) -> None:
        """Kill any worker still on an item well past that item's deadline."""
        self._seen()
        now = time.time()
        for pid, _, item, deadline in self.heartbeats():
            if item != _IDLE and deadline and now > deadline + GRACE_SECONDS and pid not in self.killed:
                self.killed[pid] = "timeout"
                with contextlib.suppress(ProcessLookupError):  # it finished meanwhile
                    os.kill(pid, signal.SIGKILL)

    def culprits(self) -> tuple[dict[int, tuple[float, str]], set[int]]:
        """Chunk number → (item index, why) for each worker that died on its own or was
        killed here — workers the executor stopped because the pool broke are not culprits —
        and the chunks that were running at all."""
        self._seen()
        procs = self.procs
        for proc in procs.values():
            proc.join(timeout=5)
        # A worker that died on its own was killed by a signal (a crash, the OOM killer):
        # a negative exit code other than SIGTERM, which the executor sends to the others
        # when the pool breaks. Those others may also exit normally (code 255 has been seen
        # from a busy one under load), so a positive code is never a culprit.
        dead = {pid for pid, proc in procs.items() if proc.exitcode is not None and proc.exitcode < 0
                and proc.exitcode != -signal.SIGTERM}
        dead |= set(self.killed)
        out: dict[int, tuple[float, str]] = {}
        running: set[int] = set()
        for pid, chunk, item, _ in self.heartbeats():
            if item == _IDLE:
                continue
            running.add(chunk)
            if pid in dead:
                out[chunk] = (item, self.killed.get(pid, "died"))
        return out, running

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def parallel_map(
    fn: Callable[[list[T]], list[R]],
    chunks: Iterable[list[T]],
    *,
    jobs: int,
    lost: Callable[[T, str], R],
) -> Iterator[R]:
    """``fn`` over ``chunks`` in ``jobs`` worker processes, one result per item, in input
    order. An item whose worker died or hung becomes ``lost(item, why)`` (why: "died" or
    "timeout"); the run goes on in a new pool."""
    if jobs <= 1:
        for chunk in chunks:
            yield from fn(chunk)
        return
    pool = _Pool(jobs)
    window: deque[_Pending[T, R]] = deque()
    todo = iter(chunks)
    number = 0
    # After a pool broke: the chunks to send again, in input order, each with how often
    # each item was lost already — or, for an item given up, its result already decided.
    again: deque[tuple[list[T], list[int], list[R] | None]] = deque()

    def submit(items: list[T], tries: list[int], decided: list[R] | None = None) -> None:
        nonlocal number
        number += 1
        if decided is None:
            future = pool.executor.submit(_Job(fn, number), items)
            pool._seen()
        else:
            future = Future[list[R]]()
            future.set_result(decided)
        window.append(_Pending(number, items, tries, future))

    def restart(unsent: list[tuple[list[T], list[int], list[R] | None]]) -> None:
        """The pool broke: a new one, and everything in flight (then ``unsent``) queued
        again in input order, the culprits given up or split (``_recover``)."""
        nonlocal pool
        culprits, running = pool.culprits()
        pending = list(window)
        window.clear()
        pool.shutdown()
        pool = _Pool(jobs)
        again.extendleft(reversed(_recover(pending, culprits, running, lost) + unsent))

    try:
        while True:
            # A few chunks per worker in flight: workers never idle, memory stays bounded.
            while len(window) < jobs * 4:
                # Results already finished go out first: an input that arrives slowly (a
                # fetch) must not hold back the records of the chunks before it.
                while window and window[0].future.done() and window[0].future.exception() is None \
                        and not window[0].future.cancelled():
                    yield from window.popleft().future.result()
                if again:
                    entry = again.popleft()
                else:
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    entry = (nxt, [0] * len(nxt), None)
                try:
                    submit(*entry)
                except BrokenProcessPool:  # it broke before a result said so
                    restart([entry])
            if not window:
                return
            head = window[0]
            try:
                results = head.future.result(timeout=POLL_SECONDS)
            except TimeoutError:
                pool.watch()
                continue
            except BrokenProcessPool:
                restart([])
                continue
            window.popleft()
            yield from results
    finally:
        pool.shutdown()


def _recover(
    pending: list[_Pending[T, R]],
    culprits: dict[int, tuple[float, str]],
    running: set[int],
    lost: Callable[[T, str], R],
) -> list[tuple[list[T], list[int], list[R] | None]]:
    """What to do with the chunks in flight when a pool broke, in their order: the item a
    dead worker was on is given up (``lost``) once it has been lost ``MAX_TRIES`` times —
    at once when the heartbeat names it — and everything else is sent again. When a batch
    stage was running, the heartbeat cannot name the item: each is sent again on its own.
    When no dead worker can be told apart at all, every chunk that was running counts as
    one: a page that keeps killing workers is still given up, never retried for ever."""
    out: list[tuple[list[T], list[int], list[R] | None]] = []
    for p in pending:
        if p.future.done() and not p.future.cancelled() and p.future.exception() is None:
            out.append((p.items, p.tries, p.future.result()))  # finished before the break
            continue
        where = culprits.get(p.number)
        if where is None and not culprits and p.number in running:
            where = (WHOLE_CHUNK, "died")
        if where is None:
            out.append((p.items, p.tries, None))
            continue
        item, why = where
        if item >= 0:
            i = int(item)
            if i:
                out.append((p.items[:i], p.tries[:i], None))
            out.append(([p.items[i]], [MAX_TRIES], [lost(p.items[i], why)]))
            if i + 1 < len(p.items):
                out.append((p.items[i + 1 :], p.tries[i + 1 :], None))
            continue
        for x, t in zip(p.items, p.tries):
            if t + 1 >= MAX_TRIES and len(p.items) == 1:
                out.append(([x], [t + 1], [lost(x, why)]))
            else:
                out.append(([x], [t + 1], None))
    return out


__all__ = ["parallel_map", "beat", "idle", "WHOLE_CHUNK", "GRACE_SECONDS"]
