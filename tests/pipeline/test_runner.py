"""The one runner: input order kept, and a page that hangs or kills its worker is that
page's failure while the run goes on (in worker processes, and in-process)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support import Trap, write_pages

from newsdesk.outcome import Status
from newsdesk.pipeline import Extract, Task, run
from newsdesk.pipeline.pool import GRACE_SECONDS
from newsdesk.read import scan

PAGES = 40


def pages(tmp_path: Path, bad: int = 17) -> tuple[list[str], str]:
    paths = write_pages(tmp_path / "pages", PAGES)
    # Sorted in place (item 1 of the second chunk of 16), so no stage but the trap names it last.
    target = paths[bad].with_name(f"{paths[bad].stem}-trap.html")
    paths[bad].rename(target)
    return sorted(str(p) for p in (tmp_path / "pages").iterdir()), str(target)


def outcomes(tmp_path: Path, how: str, jobs: int, limit: float = 1.0) -> tuple[list, str, list[str]]:
    inputs, trapped = pages(tmp_path)
    seen: list = []
    report = run(scan([str(tmp_path / "pages")]), task=Task((Extract(), Trap("-trap", how)), limit), jobs=jobs,
                 on_outcome=seen.append)
    assert report.read == PAGES
    return seen, trapped, inputs


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "workers"])
def test_a_page_that_hangs_is_a_timeout_failure(tmp_path: Path, jobs: int) -> None:
    start = time.monotonic()
    seen, trapped, inputs = outcomes(tmp_path, "hang", jobs)
    assert time.monotonic() - start < 60  # the hang (an hour) was cut at the limit
    assert [o.locator for o in seen] == inputs  # input order kept
    failed = [o for o in seen if o.status is Status.FAILED]
    assert len(failed) == 1, [(o.locator, o.reason) for o in failed]
    (bad,) = failed
    assert bad.locator == trapped and bad.code == "timeout"
    assert bad.reason == f"{trapped}: took longer than 1 s (the per-page time limit)"
    assert sum(o.status is Status.DONE for o in seen) == PAGES - 1


def test_a_hang_the_alarm_cannot_break_is_ended_by_the_watchdog(tmp_path: Path) -> None:
    start = time.monotonic()
    seen, trapped, inputs = outcomes(tmp_path, "hang-hard", 2)
    assert time.monotonic() - start < 1 + GRACE_SECONDS + 60
    assert [o.locator for o in seen] == inputs
    failed = [o for o in seen if o.status is Status.FAILED]
    assert len(failed) == 1, [(o.locator, o.reason) for o in failed]
    (bad,) = failed
    assert bad.locator == trapped and bad.code == "timeout"
    assert "worker stopped" in (bad.reason or "")
    # Every other page, including those in flight on the killed worker, was done again.
    assert sum(o.status is Status.DONE for o in seen) == PAGES - 1


def test_a_page_that_kills_its_worker_is_named_and_the_rest_done(tmp_path: Path) -> None:
    seen, trapped, inputs = outcomes(tmp_path, "crash", 2)
    assert [o.locator for o in seen] == inputs
    failed = [o for o in seen if o.status is Status.FAILED]
    assert len(failed) == 1, [(o.locator, o.reason) for o in failed]
    (bad,) = failed
    assert bad.locator == trapped and bad.code == "internal"
    assert bad.reason == f"{trapped}: worker process died while processing it"
    assert sum(o.status is Status.DONE for o in seen) == PAGES - 1
