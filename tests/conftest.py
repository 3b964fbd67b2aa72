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
