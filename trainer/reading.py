"""Reading a file the user names without hanging or running out of memory.

A FIFO is refused, not waited on (it is opened non-blocking and never read); a device such
as /dev/zero, a directory or a socket is refused, not read to the end; a regular file is read
only up to a cap, so a file that grows while it is read cannot exhaust memory either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BANK_BYTES = 256 * 1024 * 1024
"""The largest card bank read: above the soak test's largest bank file (200 MB)."""


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class NotRegularFile(OSError):
    """`path` is a FIFO, a device, a directory or a socket."""


class TooLarge(OSError):
    """`path` holds more than the cap."""


def read_regular(path: Path, limit: int) -> tuple[os.stat_result, bytes]:
    """The status and bytes of the regular file at `path` (symlinks followed). Raises
    NotRegularFile, TooLarge, or the OSError of opening or reading it."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(f"{path} is {file_kind(status.st_mode)}")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{path} is larger than {limit // (1024 * 1024)} MB")
    return status, data
