"""`trainer build`: write the Anki package and report what changed since the last build."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import clock
from trainer.bank import load_bank
from trainer.model import Bank
from trainer.visible import visible

if TYPE_CHECKING:
    from trainer.anki.manifest import Changes

DECKS_DIRECTORY = "decks"
PACKAGE_SUFFIX = ".apkg"
LISTED_IDS = 10
"""Ids listed per kind of change; the rest are counted."""
PROGRESS_AFTER_SECONDS = 1.0


def default_package_path(bank: Bank) -> Path:
    return bank.path.parent / DECKS_DIRECTORY / f"{bank.deck.slug}{PACKAGE_SUFFIX}"


def package_path(bank: Bank, output: str | None) -> tuple[Path, bool]:
    """Where `-o` puts the package, and whether its directory may be created.

    `-o DIR/` (a trailing separator) means a file `<deck-slug>.apkg` in DIR, created if need
    be as the default's `decks/` is. `-o DIR` without it names the file itself, so an existing
    directory there is refused (`trainer.anki.files.regular_target`) rather than guessed at.
    """
    if output is None:
        return default_package_path(bank), True
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    if output.endswith(separators):
        return Path(output) / f"{bank.deck.slug}{PACKAGE_SUFFIX}", True
    return Path(output), False


def manifest_path(bank: Bank) -> Path:
    """Next to the default package, whatever `-o` says: it belongs to the bank."""
    from trainer.anki.manifest import SUFFIX

    return bank.path.parent / DECKS_DIRECTORY / f"{bank.deck.slug}{SUFFIX}"


def _id_list(ids: Sequence[str]) -> str:
    listed = ", ".join(ids[:LISTED_IDS])
    rest = len(ids) - LISTED_IDS
    return f"{listed} and {rest} more" if rest > 0 else listed


def change_report(changes: Changes, model_names: dict[str, str]) -> list[str]:
    """Lines describing a `trainer.anki.manifest.Changes`."""
    if changes.first_build:
        return [f"first build: all {len(changes.added)} notes are new"]
    if not changes.any:
        return ["no changes since the last build"]
    lines = [
        f"since the last build: {len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed"
    ]
    for label, ids in (
        ("added", changes.added),
        ("changed", changes.changed),
        ("removed", changes.removed),
    ):
        if ids:
            lines.append(f"  {label}: {_id_list(ids)}")
    if changes.removed:
        lines.append("  (Anki keeps removed notes: delete them there if you no longer want them)")
    if changes.models_changed:
        names = ", ".join(model_names[model_id] for model_id in changes.models_changed)
        lines.append(f"  note types restyled: {names}")
    return lines


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A per-note callback that shows a progress bar on a terminal once a build gets slow."""
    started = time.monotonic()
    bar = None
    done = 0

    def advance() -> None:
        nonlocal bar, done
        done += 1
        if bar is None and time.monotonic() - started > PROGRESS_AFTER_SECONDS:
            from rich.console import Console
            from rich.progress import Progress

            bar = Progress(console=Console(stderr=True), transient=True)
            bar.start()
            bar.add_task("Building", total=total, completed=done)
        elif bar is not None:
            bar.advance(bar.task_ids[0])

    if not sys.stderr.isatty():
        yield lambda: None
        return
    try:
        yield advance
    finally:
        if bar is not None:
            bar.stop()


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args.bank)
    from trainer.anki.build import build

    package, create_directories = package_path(bank, args.output)
    with _progress(len(bank.notes)) as on_note:
        result = build(
            bank,
            package,
            manifest_path(bank),
            create_directories=create_directories,
            on_note=on_note,
            now=int(clock.now().timestamp()),
        )
    print(visible(f"{package}: {len(bank.notes)} notes, {len(bank.items)} cards", one_line=True))
    for line in change_report(result.changes, result.model_names):
        print(visible(line, one_line=True))
    return 0
