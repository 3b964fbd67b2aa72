"""Regenerate the README's CLI reference from the commands' own --help.

    python scripts/cli_reference.py          # rewrite README.md between the markers
    python scripts/cli_reference.py --check  # exit 1 if README.md is out of date (used by the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsdesk.cli.main import cli

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- CLI-REFERENCE:START -->", "<!-- CLI-REFERENCE:END -->"


def _help(cmd: click.Command, name: str, parent: click.Context | None = None) -> str:
    # A fixed width so the text does not depend on the terminal it was generated in.
    ctx = click.Context(cmd, info_name=name, parent=parent, max_content_width=100, terminal_width=100)
    return cmd.get_help(ctx)


def render() -> str:
    root_ctx = click.Context(cli, info_name="newsdesk", max_content_width=100, terminal_width=100)
    parts = ["## Command-line reference", "", "Generated from `--help` by `scripts/cli_reference.py`.", ""]
    parts += ["```text", _help(cli, "newsdesk"), "```", ""]
    assert isinstance(cli, click.Group)
    for name in cli.list_commands(root_ctx):
        cmd = cli.get_command(root_ctx, name)
        if cmd is None or cmd.hidden:
            continue
        parts += [f"### `newsdesk {name}`", "", "```text", _help(cmd, name, root_ctx), "```", ""]
    return "\n".join(parts).rstrip() + "\n"


def updated(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{render()}{END}{tail}"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md CLI reference is out of date: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
