"""Work split over the machine's cores by `os.fork`, for a long computation over data already
in memory (`trainer check`'s quality rules on a large bank).

A forked child starts with the parent's memory as it is, so nothing is sent to it: only its
result comes back, pickled through a pipe. Where a child cannot be made, fails or is killed, its
share is done in this process instead: the results are the same, only slower.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def forked_map(work: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """`[work(item) for item in items]`: each item but the last in a child process forked from
    this one, the last here meanwhile. `work` must not write files or the terminal: a child's
    only effect is its result."""
    if len(items) < 2 or not can_fork():
        return [work(item) for item in items]
    children = [Forked(work, item) for item in items[:-1]]
    try:
        last = work(items[-1])
        return [*(child.result() for child in children), last]
    finally:  # where this raised (a bug, Ctrl-C), no child is left working for nobody
        for child in children:
            child.cancel()


MEMINFO = Path("/proc/meminfo")
"""proc(5): the memory the Linux kernel has, and what it can give."""


def free_memory() -> int | None:
    """Bytes of memory that new work can have now, where the system says: on Linux what it
    calls available (free memory and the caches it can drop), elsewhere free memory alone."""
    try:
        with MEMINFO.open("rb") as meminfo:
            for line in meminfo:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024  # in kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None


def can_fork() -> bool:
    """Whether work may be handed to forked children here."""
    return hasattr(os, "fork") and not _threaded()


class Forked(Generic[Item, Result]):
    """`work(item)`, started in a child process forked from this one (where one can be made)
    and left to run while this process goes on; `result()` waits for it. `work` must not write
    files or the terminal: a child's only effect is its result."""

    def __init__(
        self,
        work: Callable[[Item], Result],
        item: Item,
        otherwise: Callable[[Item], Result] | None = None,
    ) -> None:
        self.item = item
        self.otherwise = otherwise or work
        self.child = _start(work, item) if can_fork() else None

    def result(self) -> Result:
        """The child's result; where no child was made, or it failed or was killed before
        sending it whole, `otherwise(item)` worked out here (by default `work(item)`)."""
        if self.child is None:
            return self.otherwise(self.item)
        pid, readable = self.child
        try:
            with os.fdopen(readable, "rb", closefd=False) as pipe:
                sent = pipe.read()  # read before waiting: the child waits for its result to be read
        except BaseException:  # Ctrl-C meanwhile: the child stopped and reaped, not left behind
            self.cancel()
            raise
        self.child = None
        os.close(readable)
        try:
            result: Result = pickle.loads(sent)
        except Exception:  # no whole result from the child: reaped before its share is redone
            os.waitpid(pid, 0)
            return self.otherwise(self.item)
        # reaped once its result is in: the kernel takes a while to tear down a large child
        os.waitpid(pid, 0)
        return result

    def cancel(self) -> None:
        """Stop the child, its result no longer wanted."""
        child, self.child = self.child, None
        if child is not None:
            pid, readable = child
            os.close(readable)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _threaded() -> bool:
    """Whether this process runs other Python threads: a child forked from it would hold a
    copy of any lock one of them held (in logging, in an I/O buffer) with nobody to release
    it, and could hang on it."""
    threading = sys.modules.get("threading")  # not imported: no other Python thread
    return threading is not None and threading.active_count() > 1


_Child = tuple[int, int] | None
"""A child's process id and the pipe its result comes through; None where none could be made."""


def _start(work: Callable[[Item], Result], item: Item) -> _Child:
    parent = os.getpid()
    try:
        readable, writable = os.pipe()
    except OSError:
        return None
    # Ctrl-C held back over the fork: a child ends on it only inside its own `try` below,
    # never unwinding the parent's code (its handlers, its clean-up) as a second parent
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:  # no memory or too many processes: the parent does it
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(readable)
        os.close(writable)
        return None
    if pid == 0:  # the child: its result down the pipe, then gone without running any clean-up
        status = 1
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            _end_with(parent)
            os.close(readable)
            # pickled whole before it is sent: pickling into the pipe would go at the pace the
            # parent reads it, the parent waiting on the pickling (0.3 s for 70,000 notes' findings)
            sent = pickle.dumps(work(item), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(sent)
            status = 0
        finally:
            os._exit(status)  # also on Ctrl-C: the parent's buffers and exit handlers are its own
    os.close(writable)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pid, readable


def _end_with(parent: int) -> None:
    """Have this child ended when its parent is (on Linux), rather than work on for nobody
    after the user stopped the command."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _ended_first()
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _ended_first() -> None:
    """Have the kernel end this child before its parent where memory runs out (Linux picks the
    largest process, and the parent is the larger): the parent redoes a lost child's share, so
    a command short of memory is slower, not killed."""
    with contextlib.suppress(OSError):  # no /proc: the kernel's own choice stands
        Path("/proc/self/oom_score_adj").write_text(str(OOM_SCORE_ADJ_MAX))


PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when its parent ends."""
OOM_SCORE_ADJ_MAX = 1000
"""proc(5): the `oom_score_adj` of the process the kernel ends first when memory runs out."""
