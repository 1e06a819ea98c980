"""The command line's progress bars: one transient bar on stderr, drawn only on a terminal and
only once the work has taken longer than AFTER_SECONDS (a fast command, or one in a shell
prompt or a pipe, prints nothing). The core never draws: `trainer.library` takes `when_slow`
as its callback; `trainer build` passes `counted`'s per-note callback to the build.

Not a command: `trainer.cli` imports only the modules named in its COMMANDS.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

AFTER_SECONDS = 1.0
"""Work shorter than this shows no bar (read at each call: tests set it to 0)."""


def _start(description: str, total: int | None, completed: int = 0) -> Progress:
    """The bar, shown: a spinner-like bar without `total`, a filling one with it. Rich is
    imported here, by a command that turned out slow, not by every start."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    bar.add_task(description, total=total, completed=completed)
    bar.start()
    return bar


@contextmanager
def when_slow(description: str, *, after_seconds: float | None = None) -> Iterator[None]:
    """A bar for work that reports no steps (reading a large bank, a sync), from a timer once
    the work inside has taken `after_seconds` (default AFTER_SECONDS)."""
    if not sys.stderr.isatty():
        yield
        return
    import threading  # only on a terminal: not in a shell prompt's `trainer due`

    shown: list[Progress] = []
    delay = AFTER_SECONDS if after_seconds is None else after_seconds
    timer = threading.Timer(delay, lambda: shown.append(_start(description, None)))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        for bar in shown:
            bar.stop()


@contextmanager
def counted(description: str, total: int) -> Iterator[Callable[[], None]]:
    """A per-step callback for work of `total` steps (a build's notes): the bar appears at the
    first step after AFTER_SECONDS and fills as the steps are done."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    started = time.monotonic()
    shown: list[Progress] = []
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if shown:
            shown[0].advance(shown[0].task_ids[0])
        elif time.monotonic() - started > AFTER_SECONDS:
            shown.append(_start(description, total, completed=done))

    try:
        yield advance
    finally:
        for bar in shown:
            bar.stop()
