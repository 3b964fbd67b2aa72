"""Fixtures: a runner for the real CLI in a temporary folder, and the record schema validator."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

import jsonschema
import pytest

import newsdesk
from support import run_cli


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def _run(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=tmp_path, stdin=stdin)

    return _run


@pytest.fixture(scope="session")
def validate() -> Callable[[dict], None]:
    schema = newsdesk.json_schema()
    validator = jsonschema.Draft202012Validator(schema)

    def _validate(record: dict) -> None:
        validator.validate(record)

    return _validate


# -- the two stores ------------------------------------------------------------------------
# Store, web and CLI tests that take `db_target` run once on SQLite and once on a throwaway
# PostgreSQL server (tests/pgserver.py). Without the server binaries they skip with one
# line naming them; under CI=true that is a failure instead.


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    import os

    import pgserver

    why = pgserver.missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: the PostgreSQL tests need {why}, which is not installed")
        pytest.skip(f"PostgreSQL tests need {why}")
    server = pgserver.Server().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """An archive location that does not exist yet: a SQLite file, or a new PostgreSQL database."""
    return store_target(request, tmp_path / "news.db")


def store_target(request: pytest.FixtureRequest, sqlite_path: Path) -> Path | str:
    """For a fixture parametrised over ``STORES``: ``sqlite_path``, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_path
    return str(request.getfixturevalue("pg_server").database())


STORES = ["sqlite", "postgres"]
