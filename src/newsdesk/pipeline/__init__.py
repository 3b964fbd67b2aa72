"""The pipeline: readers' inputs through per-article stages into the archive.

    read (newsdesk.read)  →  stages (extract, select, enrich, …)  →  one writer (archive)

``stages`` defines the stages and the task a worker runs; ``pool`` the worker processes
(input order kept, a dead or hung worker recovered); ``runner`` the one loop over them;
``jobs`` the jobs users run (ingest, extract, reprocess, enrich).
"""

from __future__ import annotations

from .jobs import default_jobs, enrich_archive, extract_pages, ingest, pipeline, reprocess
from .runner import CHUNK, run
from .stages import DEFAULT_TIME_LIMIT, Enrich, Extract, Select, Stage, Task

__all__ = [
    "ingest", "extract_pages", "reprocess", "enrich_archive", "pipeline", "run", "default_jobs",
    "Stage", "Task", "Extract", "Select", "Enrich", "CHUNK", "DEFAULT_TIME_LIMIT",
]
