"""Keep the stored items in step with the bank, and remember what `due` needs without it.

The item id is the identity: an item whose text changed keeps its schedule and history; a new
id becomes a new item; an id gone from the bank is retired (kept, never shown) and comes back
with its history if the card returns. The bank file's size, mtime, ctime and content digest
are recorded so that a command on an unchanged bank can skip reading and parsing the YAML
(`trainer.model.BankFile` says why the ctime).
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from trainer import clock
from trainer.model import BankFile
from trainer.queue import DEFAULT_DAY_STARTS_AT, DEFAULT_NEW_PER_DAY, DEFAULT_REVIEWS_PER_DAY
from trainer.schedulers import DEFAULT_DESIRED_RETENTION, DEFAULT_SCHEDULER, Settings
from trainer.store.database import open_for_reading, open_for_writing, transaction
from trainer.store.guard import DatabaseError
from trainer.store.paths import database_path

if TYPE_CHECKING:
    from trainer.model import Bank

PROGRESS_AFTER_SECONDS = 1.0

T = TypeVar("T")


@dataclass(frozen=True)
class DeckSettings:
    """The deck's scheduling settings as last synced (None: the default)."""

    new_per_day: int | None = None
    reviews_per_day: int | None = None
    day_starts_at: int | None = None
    scheduler: str | None = None
    desired_retention: float | None = None

    @property
    def choice(self) -> Settings:
        """The deck's scheduler and its setting."""
        return Settings(
            self.scheduler or DEFAULT_SCHEDULER,
            self.desired_retention or DEFAULT_DESIRED_RETENTION,
        )

    @property
    def day_start_hour(self) -> int:
        return DEFAULT_DAY_STARTS_AT if self.day_starts_at is None else self.day_starts_at

    def new_limit(self, override: int | None = None) -> int:
        return _first(override, self.new_per_day, DEFAULT_NEW_PER_DAY)

    def review_limit(self, override: int | None = None) -> int:
        return _first(override, self.reviews_per_day, DEFAULT_REVIEWS_PER_DAY)


def _first(*values: int | None) -> int:
    return next(value for value in values if value is not None)


def _stat(path: Path) -> tuple[str, int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return str(path.resolve()), status.st_size, status.st_mtime_ns, status.st_ctime_ns


def _digest(path: Path) -> str | None:
    try:
        return BankFile.digest_of(path.read_bytes())
    except OSError:
        return None


def _meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM meta").fetchall())


def stored_fingerprint(connection: sqlite3.Connection) -> BankFile | None:
    meta = _meta(connection)
    if "bank_digest" not in meta:
        return None
    return BankFile(
        meta["bank_path"],
        int(meta["bank_size"]),
        int(meta["bank_mtime_ns"]),
        int(meta.get("bank_ctime_ns", -1)),
        meta["bank_digest"],
    )


def deck_settings(connection: sqlite3.Connection) -> DeckSettings:
    meta = _meta(connection)

    def number(key: str) -> int | None:
        return int(meta[key]) if meta.get(key) else None

    retention = meta.get("desired_retention")
    return DeckSettings(
        number("new_per_day"),
        number("reviews_per_day"),
        number("day_starts_at"),
        meta.get("scheduler") or None,
        float(retention) if retention else None,
    )


def deck_name(connection: sqlite3.Connection) -> str:
    return _meta(connection).get("deck_name", "")


def is_current(connection: sqlite3.Connection, bank_path: Path) -> bool:
    """True if the items were synced from exactly this bank file's content. Cheap: a stat, and
    a digest of the file only when its size, mtime or ctime changed."""
    stored = stored_fingerprint(connection)
    stat = _stat(bank_path)
    if stored is None or stat is None or stored.path != stat[0]:
        return False
    if (stored.size, stored.mtime_ns, stored.ctime_ns) == stat[1:]:
        return True
    return _digest(bank_path) == stored.digest


def _item_rows(bank: Bank) -> list[dict[str, object]]:
    return [
        {
            "id": item.id,
            "note_id": item.note.id,
            "siblings_key": item.note.id,
            "bank_order": order,
            "category": item.note.category,
            "tags": " ".join(item.note.tags),
            "prompt": item.note.prompt,
            "retired": 0,
        }
        for order, item in enumerate(bank.items)
    ]


def _meta_rows(bank: Bank, print_: BankFile | None) -> dict[str, str]:
    deck = bank.deck
    settings = {
        "new_per_day": deck.new_per_day,
        "reviews_per_day": deck.reviews_per_day,
        "day_starts_at": deck.day_starts_at,
        "scheduler": deck.scheduler,
        "desired_retention": deck.desired_retention,
    }
    rows = {key: "" if value is None else str(value) for key, value in settings.items()}
    rows["deck_name"] = deck.name
    if print_ is not None:
        rows |= {
            "bank_path": print_.path,
            "bank_size": str(print_.size),
            "bank_mtime_ns": str(print_.mtime_ns),
            "bank_ctime_ns": str(print_.ctime_ns),
            "bank_digest": print_.digest,
        }
    return rows


def sync(connection: sqlite3.Connection, bank: Bank) -> None:
    """Make the stored items and notes match `bank` (one transaction)."""
    from sqlite_utils import Database

    from trainer.store.cards import replace_notes

    print_ = bank.file
    rows = _item_rows(bank)
    current = {row["id"] for row in rows}
    added_at = clock.now().isoformat(timespec="seconds")
    db = Database(connection, recursive_triggers=False, execute_plugins=False)
    with transaction(connection):
        known = {item_id for (item_id,) in connection.execute("SELECT id FROM items")}
        db.table("items").upsert_all(rows, pk="id")
        connection.executemany(
            "UPDATE items SET added_at = ? WHERE id = ?",
            [(added_at, item_id) for item_id in current - known],
        )
        active = connection.execute("SELECT id FROM items WHERE retired = 0").fetchall()
        connection.executemany(
            "UPDATE items SET retired = 1 WHERE id = ?",
            [(item_id,) for (item_id,) in active if item_id not in current],
        )
        replace_notes(connection, bank)
        before = deck_settings(connection).choice
        connection.execute("DELETE FROM meta WHERE key LIKE 'bank_%'")
        db.table("meta").upsert_all(
            [{"key": key, "value": value} for key, value in _meta_rows(bank, print_).items()],
            pk="key",
        )
        after = deck_settings(connection).choice
        if _schedules_differ(before, after):
            replay(connection, after)


def _schedules_differ(before: Settings, after: Settings) -> bool:
    if before.scheduler != after.scheduler:
        return True
    return after.scheduler != "sm2" and before.desired_retention != after.desired_retention


def replay(connection: sqlite3.Connection, settings: Settings) -> None:
    """Recompute every answered item's schedule from the review log with the deck's scheduler
    (inside the caller's transaction). Lapses, leeches, buries and suspensions do not depend on
    the scheduler and stay. The day's undo steps go: they hold schedules of the old one."""
    from trainer.schedulers import replay as replay_answers
    from trainer.store.items import replace_schedules
    from trainer.store.log import scheduled_answers

    answers = scheduled_answers(connection)
    replace_schedules(
        connection,
        {
            item_id: replay_answers(settings, item_answers)
            for item_id, item_answers in answers.items()
        },
    )
    connection.execute("DELETE FROM undo_steps")


def _current_connection(db_path: Path, bank_path: Path) -> sqlite3.Connection | None:
    """A read-only connection if the database holds exactly the bank at `bank_path`."""
    connection = open_for_reading(db_path)
    if connection is None:
        return None
    try:
        current = is_current(connection, bank_path)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise DatabaseError(f"{db_path}: cannot read the review database: {error}") from None
    if current:
        return connection
    connection.close()
    return None


def changed_bank(db_path: Path, bank_path: Path) -> Bank | None:
    """None if the database holds exactly the bank at `bank_path`; else the bank, loaded
    (raises BankError) for `sync`. Never writes."""
    connection = _current_connection(db_path, bank_path)
    if connection is not None:
        connection.close()
        return None
    from trainer.bank import load_bank

    return load_bank(bank_path)


def open_synced(db_path: Path, bank_path: Path) -> sqlite3.Connection:
    """A connection whose items match the bank at `bank_path`. When the bank is unchanged since
    the last sync this is a read-only connection and the bank is not even parsed."""
    connection = _current_connection(db_path, bank_path)
    if connection is not None:
        return connection
    from trainer.bank import load_bank

    with progress_when_slow(f"Reading {bank_path.name} into the review database"):
        bank = load_bank(bank_path)
        connection = open_for_writing(db_path)
        sync(connection, bank)
    return connection


def read_synced(
    db_option: Path | None, bank_path: Path, read: Callable[[sqlite3.Connection], T]
) -> T:
    """`read(connection)` on the database (`--db`, TRAINER_DB or the default) synced with the
    bank; a database that fails while being read becomes a clear DatabaseError."""
    db_path = database_path(db_option)
    with closing(open_synced(db_path, bank_path)) as connection:
        try:
            return read(connection)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(f"{db_path}: cannot read the review database: {error}") from None


@contextmanager
def progress_when_slow(
    description: str, *, after_seconds: float = PROGRESS_AFTER_SECONDS
) -> Iterator[None]:
    """A transient progress bar on stderr if the work takes longer than `after_seconds`
    (e.g. the first sync of a large bank); nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    shown: list = []

    def show() -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        bar.add_task(description, total=None)
        bar.start()
        shown.append(bar)

    timer = threading.Timer(after_seconds, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        for bar in shown:
            bar.stop()
