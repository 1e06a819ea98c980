"""Hostile paths: `build -o` over what is not a regular file, the session lock through another
path to the same database, and standard output that cannot be written."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability_support import record
from tests.store_support import SMALL_BANK, run_trainer, write
from trainer.session import open_session
from trainer.store.lock import SessionOpenError

PACKAGE_NAME = "small-deck.apkg"


def _is_package(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return "collection.anki2" in archive.namelist()


def _symlink(tmp: Path) -> tuple[Path, Callable[[], bool]]:
    target = write(tmp / "real.apkg", b"old")
    link = tmp / "link.apkg"
    link.symlink_to(target.name)
    return link, lambda: link.is_symlink() and _is_package(target)


def _symlink_chain(tmp: Path) -> tuple[Path, Callable[[], bool]]:
    (tmp / "sub").mkdir()
    target = write(tmp / "sub" / "real.apkg", b"old")
    (tmp / "middle.apkg").symlink_to(target)
    link = tmp / "first.apkg"
    link.symlink_to("middle.apkg")
    return link, lambda: link.is_symlink() and _is_package(target)


def _dangling_symlink(tmp: Path) -> tuple[Path, Callable[[], bool]]:
    link = tmp / "dangling.apkg"
    link.symlink_to("not-yet.apkg")
    return link, lambda: link.is_symlink() and _is_package(tmp / "not-yet.apkg")


def _new_directory(tmp: Path) -> tuple[str, Callable[[], bool]]:
    return "new/folder/", lambda: _is_package(tmp / "new" / "folder" / PACKAGE_NAME)


def _existing_directory_with_slash(tmp: Path) -> tuple[str, Callable[[], bool]]:
    (tmp / "there").mkdir()
    return "there/", lambda: _is_package(tmp / "there" / PACKAGE_NAME)


WRITTEN = {
    "symlink": _symlink,
    "symlink chain": _symlink_chain,
    "dangling symlink": _dangling_symlink,
    "new directory/": _new_directory,
    "existing directory/": _existing_directory_with_slash,
}


@pytest.mark.parametrize("case", WRITTEN)
def test_build_output_follows_symlinks_and_slashes(case: str, tmp_path: Path) -> None:
    write(tmp_path / "cards.yaml", SMALL_BANK)
    output, holds = WRITTEN[case](tmp_path)
    result = run_trainer("build", "-o", str(output), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert holds()
    assert not list(tmp_path.rglob("*.tmp"))
    record("paths: build -o written", inputs=1)


def _fifo(tmp: Path) -> Path:
    path = tmp / "fifo.apkg"
    os.mkfifo(path)
    return path


def _device(tmp: Path) -> Path:
    """A copy of /dev/null's node (root only), or a symlink to /dev/null."""
    path = tmp / "null.apkg"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        path.symlink_to(os.devnull)
    return path


def _symlink_to_device(tmp: Path) -> Path:
    path = tmp / "devnull.apkg"
    path.symlink_to(os.devnull)
    return path


def _symlink_to_fifo(tmp: Path) -> Path:
    path = tmp / "to-fifo.apkg"
    path.symlink_to(_fifo(tmp))
    return path


def _directory(tmp: Path) -> Path:
    path = tmp / "folder.apkg"
    path.mkdir()
    (path / "keep").write_text("mine")
    return path


def _socket(tmp: Path) -> Path:
    path = tmp / "sock.apkg"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _symlink_loop(tmp: Path) -> Path:
    (tmp / "a.apkg").symlink_to("b.apkg")
    (tmp / "b.apkg").symlink_to("a.apkg")
    return tmp / "a.apkg"


REFUSED = {
    "fifo": _fifo,
    "device node": _device,
    "symlink to a device": _symlink_to_device,
    "symlink to a fifo": _symlink_to_fifo,
    "directory": _directory,
    "socket": _socket,
    "symlink loop": _symlink_loop,
}


def _state(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    return info.st_mode, info.st_ino, info.st_rdev


@pytest.mark.parametrize("case", REFUSED)
def test_build_output_refuses_what_is_not_a_regular_file(case: str, tmp_path: Path) -> None:
    write(tmp_path / "cards.yaml", SMALL_BANK)
    output = REFUSED[case](tmp_path)
    before = {path: _state(path) for path in tmp_path.iterdir()}
    result = run_trainer("build", "-o", str(output), cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith("trainer: error: cannot write ")
    assert "Traceback" not in result.stderr
    assert {path: _state(path) for path in before} == before  # nothing replaced
    assert not list(tmp_path.glob(".*.tmp"))
    record("paths: build -o refused", inputs=1)


LOCK_PATHS = {
    "symlink to the file": lambda db: _link(db.parent / "link.sqlite3", db),
    "symlinked directory": lambda db: _link(db.parent.parent / "linkdir", db.parent) / db.name,
    "dot-dot path": lambda db: db.parent / ".." / db.parent.name / db.name,
    "symlink to a symlink": lambda db: _link(
        db.parent / "second.sqlite3", _link(db.parent / "first.sqlite3", db)
    ),
}


def _link(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("case", LOCK_PATHS)
def test_the_session_lock_holds_through_another_path(case: str, tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    (tmp_path / "data").mkdir()
    db = tmp_path / "data" / "reviews.sqlite3"
    with open_session(bank, db):
        other = LOCK_PATHS[case](db)
        with pytest.raises(SessionOpenError):
            open_session(bank, other)
    with open_session(bank, LOCK_PATHS[case](db) if case == "dot-dot path" else db):
        pass  # released with the first session
    record("paths: session lock", inputs=1)


OUTPUT_COMMANDS = (("stats",), ("stats", "--json"), ("due",), ("check",), ("build",))


def _closed_pipe() -> int:
    read, written = os.pipe()
    os.close(read)
    return written


@pytest.mark.parametrize("sink", ["full disk", "closed pipe"])
def test_output_that_cannot_be_written_ends_with_one_line(sink: str, tmp_path: Path) -> None:
    if sink == "full disk" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    env = os.environ | {"TRAINER_DB": str(tmp_path / "reviews.sqlite3")}
    for command in OUTPUT_COMMANDS:
        if sink == "full disk":
            with Path("/dev/full").open("w") as target:
                result = subprocess.run(
                    [sys.executable, "-m", "trainer", *command, str(bank)],
                    stdout=target,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                    check=False,
                )
        else:
            target_fd = _closed_pipe()
            try:
                result = subprocess.run(
                    [sys.executable, "-m", "trainer", *command, str(bank)],
                    stdout=target_fd,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                    check=False,
                )
            finally:
                os.close(target_fd)
        assert result.returncode == 1, (command, result.stderr)
        assert result.stderr.count("\n") == 1, (command, result.stderr)
        assert result.stderr.startswith("trainer: error: cannot write the output"), command
    record(f"output: {sink}", inputs=len(OUTPUT_COMMANDS))
