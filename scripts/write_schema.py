"""Regenerate ``src/newsdesk/data/article.schema.json`` from the record's dataclasses.

    python scripts/write_schema.py          # rewrite the shipped schema
    python scripts/write_schema.py --check  # exit 1 if it is out of date (the tests run this check)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsdesk.schema import record_json_schema

TARGET = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "data" / "article.schema.json"


def render() -> str:
    return json.dumps(record_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run python scripts/write_schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
