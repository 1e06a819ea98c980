"""Atomic file replacement: a failed or interrupted write leaves the previous file untouched."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from trainer.errors import TrainerError


def _default_mode() -> int:
    """Permissions of a newly created file (0o666 minus the umask), as `open` would give."""
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


def replace_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a temporary file next to `path` with `write`, then rename it over `path`."""
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, renamed or removed)
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as error:
        raise TrainerError(f"cannot write {path}: {error.strerror or error}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(_default_mode())
        temporary.replace(path)
    except OSError as error:
        raise TrainerError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
