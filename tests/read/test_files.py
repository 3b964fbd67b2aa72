"""Finding and reading pages: which names a walk takes, and every way a read can fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk.errors import TooLarge, UnreadableInput
from newsdesk.read.files import PagePath, is_page_name, iter_pages, read_page


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("a.html", True), ("a.HTM", True), ("a.html.gz", True), ("a.txt", True), ("a.txt.gz", True),
        ("12345.gz", True), ("a.xhtml", True), (".hidden.html", False), ("a.png", False),
        ("a.tar.gz", False), ("a.json", False), ("notes", False),
    ],
)
def test_is_page_name(name: str, taken: bool) -> None:
    assert is_page_name(name) is taken


def test_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ["b.html", "a/c.txt.gz", "a/z.png", ".git/x.html", "a/.d.html", "d.html/inner.htm"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [os.path.relpath(p.path, tmp_path) for p in iter_pages([str(tmp_path)])]
    # Top-down: a folder's own files first, then its sub-folders in name order.
    assert found == ["b.html", "a/c.txt.gz", "d.html/inner.htm"]
    assert all(p.walked for p in iter_pages([str(tmp_path)]))


def test_named_paths_pass_through(tmp_path: Path) -> None:
    assert list(iter_pages(["-", str(tmp_path / "missing.html")])) == [
        PagePath("-", False),
        PagePath(str(tmp_path / "missing.html"), False),
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file"):
        read_page(str(tmp_path / "nope.html"))


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.html"
    link.symlink_to(tmp_path / "target-that-does-not-exist.html")
    with pytest.raises(UnreadableInput, match="broken symbolic link"):
        read_page(str(link), walked=True)


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    with pytest.raises(UnreadableInput):
        read_page(str(loop))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="is a directory"):
        read_page(str(tmp_path))


def test_fifo_in_a_walk_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableInput, match="not a regular file"):
        read_page(str(fifo), walked=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod 000 files; the symlink/FIFO cases cover refusal")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.html"
    path.write_text("<p>x</p>")
    path.chmod(0)
    with pytest.raises(UnreadableInput, match="permission"):
        read_page(str(path))


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(TooLarge, match="limit"):
        read_page(str(path), limit=1024)
    assert read_page(str(path), limit=4096) == b"x" * 2048
