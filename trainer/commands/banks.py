"""`trainer banks`: the banks the review database knows, and forgetting one.

Without BANK, `review`, `stats`, `due` and `cards` cover every bank the database knows, so a
bank one no longer studies (the shipped one, after writing one's own) must be visible and
removable. Listing reads the banks that changed first, as those commands do, so its figures
agree with theirs. Forgetting deletes the bank's cards and history from the database, after a
backup that the daily rotation never deletes, and asks first unless `--yes`.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from trainer import clock
from trainer.commands.progress import when_slow
from trainer.errors import TrainerError, UsageError
from trainer.library import closing_optional, open_library, open_migrated
from trainer.store import reports
from trainer.store.banks import StoredBank, all_banks, forget, last_study_day
from trainer.store.paths import database_path
from trainer.visible import clipped, visible, visible_json
from trainer.wording import plural

NAME_WIDTH = 36


@dataclass(frozen=True)
class BankLine:
    """One known bank as `trainer banks` shows it."""

    name: str
    identity: str
    file: str | None
    """The file last read; None if another bank has taken its place since."""
    missing: bool
    items: int
    due_now: int
    last_review: date | None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "id": self.identity,
            "file": self.file,
            "missing": self.missing,
            "items": self.items,
            "due_now": self.due_now,
            "last_review": self.last_review.isoformat() if self.last_review else None,
        }


def _line(connection: sqlite3.Connection, bank: StoredBank) -> BankLine:
    path = bank.path
    missing = path is None or not path.is_file()
    (items,) = connection.execute(
        "SELECT count(*) FROM items WHERE bank_id = ? AND retired = 0", (bank.id,)
    ).fetchone()
    return BankLine(
        name=bank.name,
        identity=bank.identity,
        file=str(path) if path else None,
        missing=missing,
        items=items,
        due_now=0 if missing else len(reports.queue(connection, bank).order),
        last_review=last_study_day(connection, bank.id),
    )


def _known(db_path: Path) -> bool:
    with closing_optional(open_migrated(db_path)) as connection:
        return connection is not None and bool(all_banks(connection))


def _lines(args: argparse.Namespace) -> list[BankLine]:
    if not _known(database_path(args.db)):
        return []  # not `./cards.yaml` by default: listing must not make a bank known
    # the changed banks read, as `due` reads them
    connection, _ = open_library(args.db, None, slow=when_slow)
    with closing(connection):
        return [_line(connection, bank) for bank in all_banks(connection)]


def _table(lines: list[BankLine]) -> list[str]:
    rows = [
        (
            clipped(visible(line.name, one_line=True), NAME_WIDTH),
            str(line.items),
            str(line.due_now),
            line.last_review.isoformat() if line.last_review else "never",
            visible(line.file or "(its file now holds another bank)", one_line=True)
            + ("  (missing)" if line.missing and line.file else ""),
        )
        for line in lines
    ]
    heading = ("bank", "cards", "due", "last review", "file")
    width = max(len(row[0]) for row in [heading, *rows])
    return [
        f"{name.ljust(width)}  {cards.rjust(5)}  {due.rjust(5)}  {last.ljust(11)}  {file}"
        for name, cards, due, last, file in [heading, *rows]
    ]


def _matching(banks: list[StoredBank], name: str) -> StoredBank:
    """The bank named `name` (its deck name or `deck.id`) or read from the file at `name`."""
    path = str(Path(name).expanduser().resolve())
    found = [
        bank
        for bank in banks
        if name in (bank.name, bank.identity) or (bank.path is not None and str(bank.path) == path)
    ]
    if not found:
        raise TrainerError(
            f"no known bank is named {name!r} or read from it; `trainer banks` lists them"
        )
    if len(found) > 1:
        ids = ", ".join(repr(bank.identity) for bank in found)
        raise TrainerError(
            f"several banks are named {name!r} ({ids}): give the one to forget by its id or file"
        )
    return found[0]


def _confirmed(question: str) -> bool:
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _forget(args: argparse.Namespace) -> int:
    from trainer.model import slugify
    from trainer.store.backup import named_backup
    from trainer.store.database import open_for_writing, transaction
    from trainer.store.lock import SessionLock

    db_path = database_path(args.db)
    if not _known(db_path):
        raise TrainerError(f"{db_path}: the review database knows no bank yet")
    lock = SessionLock(db_path)  # not while a review session uses the bank
    try:
        with closing(open_for_writing(db_path)) as connection:
            bank = _matching(all_banks(connection), args.forget)
            line = _line(connection, bank)
            (answers,) = connection.execute(
                "SELECT count(*) FROM reviews WHERE bank_id = ?", (bank.id,)
            ).fetchone()
            what = (
                f"the bank {bank.name!r} ({plural(line.items, 'card')}, "
                f"{plural(answers, 'answer')})"
            )
            if not args.yes and not _confirmed(f"Forget {visible(what, one_line=True)}?"):
                print("Nothing forgotten.", file=sys.stderr)
                return 1
            label = f"before-forgetting-{slugify(bank.identity)}"
            kept = named_backup(db_path, label, clock.now())
            with transaction(connection):
                forget(connection, bank.id)
    finally:
        lock.release()
    print(visible(f"Forgot {what}; its history is kept in {kept}", one_line=True))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.yes and args.forget is None:
        raise UsageError("--yes goes with --forget NAME")
    if args.forget is not None:
        return _forget(args)
    lines = _lines(args)
    if args.json:
        print(visible_json({"banks": [line.to_json() for line in lines]}))
        return 0
    if not lines:
        print(
            f"The review database ({database_path(args.db)}) knows no bank yet; "
            "`trainer review BANK` makes one known."
        )
        return 0
    for text in _table(lines):
        print(text)
    return 0
