"""Atomic file replacement: a failed or interrupted write leaves the previous file untouched."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from trainer.errors import TrainerError
from trainer.reading import file_kind

TEMPORARY_SUFFIX = ".tmp"


def _mode_for(path: Path) -> int:
    """Permissions for the file that replaces `path`: those it has (a private 0600 bank stays
    private), else a new file's (0o666 minus the umask), as `open` would give."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_directory(directory: Path, *, create: bool) -> None:
    """Make sure `directory` exists (creating it if `create`), or raise a clear TrainerError."""
    if create:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TrainerError(
                f"cannot create directory {directory}: {error.strerror or error}"
            ) from None
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise TrainerError(f"output directory {directory} {what}")


def regular_target(path: Path) -> Path:
    """The file a write to `path` should replace: a symlink's final target, never the link.

    Replacing a symlink would leave its target stale; replacing a FIFO, a device node or a
    directory would destroy something that is not ours. A missing file is fine.
    """
    try:
        target = path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
        raise TrainerError(f"cannot write {path}: {error}") from None
    try:  # `path`, not `target`: /dev/stdout resolves to names like /proc/1/fd/pipe:[2]
        mode = path.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as error:
        raise TrainerError(f"cannot write {path}: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise TrainerError(
            f"cannot write {path}: it is a directory (end the path with / to write inside it)"
        )
    if not stat.S_ISREG(mode):
        raise TrainerError(f"cannot write {path}: it is {file_kind(mode)}, not a regular file")
    return target


def temporary_prefix(path: Path) -> str:
    """Scratch files and directories for writing `path` are `.NAME.<random>.tmp` beside it."""
    return f".{path.name}."


def remove_leftovers(path: Path) -> None:
    """Delete the scratch files a killed write of `path` left beside it (our pattern only).

    Two builds of one package at the same moment are not supported: the later one's cleanup
    can make the earlier one fail with a clear error, but never leave a half-written file.
    """
    pattern = glob.escape(temporary_prefix(path)) + "*" + TEMPORARY_SUFFIX
    for leftover in path.parent.glob(pattern):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def replace_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write a temporary file next to `path` with `write`, then rename it over `path`
    (over a symlink's target; anything but a regular file is refused: `regular_target`)."""
    path = regular_target(path)
    try:
        remove_leftovers(path)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, renamed or removed)
            dir=path.parent, prefix=temporary_prefix(path), suffix=TEMPORARY_SUFFIX, delete=False
        )
    except OSError as error:
        raise TrainerError(f"cannot write {path}: {error.strerror or error}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(_mode_for(path))
        temporary.replace(path)
    except OSError as error:
        raise TrainerError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
