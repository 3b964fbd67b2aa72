"""The one loop every job runs: inputs in chunks through worker processes, each outcome
through one writer (when there is one), counted once.

``ingest``, ``extract``, ``enrich``, ``reprocess`` (and, through the same writer,
``Archive.add_many``) are this loop with different inputs and stages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..errors import UsageError
from ..outcome import Outcome, Report
from ..read.raw import Idle
from .pool import parallel_map
from .stages import Item, Task, lost

# Pages per task sent to a worker: enough to amortise the round trip (a small page
# extracts in ~1 ms) and to batch spaCy's nlp.pipe, few enough that a worker dying
# loses little. Decided outcomes (skipped crawl records) ride along without counting.
CHUNK = 16

Sink = Callable[[Outcome], Outcome]


def chunks(items: Iterable[Item | Idle], size: int = CHUNK) -> Iterator[list[Item]]:
    """Items in chunks of ``size`` to process (decided outcomes ride along uncounted). A
    reader's ``IDLE`` (it is about to wait on the network) sends a partial chunk on."""
    chunk: list[Item] = []
    work = 0
    for item in items:
        if isinstance(item, Idle):
            if chunk:
                yield chunk
                chunk, work = [], 0
            continue
        chunk.append(item)
        if not isinstance(item, Outcome):
            work += 1
        if work >= size or len(chunk) >= size * 64:
            yield chunk
            chunk, work = [], 0
    if chunk:
        yield chunk


def outcomes(items: Iterable[Item | Idle], *, task: Task, jobs: int) -> Iterator[Outcome]:
    """One outcome per item, in input order, computed in ``jobs`` worker processes."""
    if jobs < 1:
        raise UsageError("jobs must be at least 1")
    yield from parallel_map(task, chunks(items), jobs=jobs, lost=lost)


def run(
    items: Iterable[Item | Idle],
    *,
    task: Task,
    jobs: int,
    sink: Sink | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Report:
    """Process every item; ``sink`` (a writer) turns each finished outcome into its final
    one (stored, updated, …); ``on_outcome`` sees each final outcome, in input order."""
    report = Report()
    for outcome in outcomes(items, task=task, jobs=jobs):
        if sink is not None:
            outcome = sink(outcome)
        report.count(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return report


__all__ = ["run", "outcomes", "chunks", "CHUNK", "Sink"]
