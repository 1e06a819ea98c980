"""The `banks` table: every bank the database holds, where its file was last used and what was
synced from it.

A bank's identity is `deck.id`, else its deck name (as when the database held one bank): moving
the file keeps it, and so does renaming a deck that has an `id`. Items, notes, the log and the
tallies carry the bank's row id. The store never reads bank files: `trainer.library` does, and
hands over banks that know the file they were read from (`Bank.file`).
"""

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from trainer.bankfile import BankFile
from trainer.core.deck_settings import DAY, DECK_SETTINGS
from trainer.core.limits import (
    DEFAULT_DAY_STARTS_AT,
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_EXAM_WINDOW,
    DEFAULT_NEW_PER_DAY,
    DEFAULT_REDRILL_AFTER,
    DEFAULT_REVIEWS_PER_DAY,
    DEFAULT_SCHEDULER,
)
from trainer.queue import Limits
from trainer.schedulers import Settings

if TYPE_CHECKING:
    from trainer.exam import Exam

_FILE_COLUMNS = ("id", "identity", "name", "path", "size", "mtime_ns", "ctime_ns", "digest")
_COLUMNS = ", ".join([*_FILE_COLUMNS, *DECK_SETTINGS, "today_limits", "reported", "renamed_told"])
_SETTINGS_AT, _TODAY_AT = len(_FILE_COLUMNS), len(_FILE_COLUMNS) + len(DECK_SETTINGS)
"""Where a row of `_COLUMNS` has the deck's settings and what follows them."""
_KINDS = tuple(kind for kind, _, _ in DECK_SETTINGS.values())


class TodayLimits(NamedTuple):
    """The limits `review --new-per-day/--reviews-per-day` set for one study day (None: not
    set)."""

    day: date
    new_per_day: int | None
    reviews_per_day: int | None

    def to_text(self) -> str:
        return json.dumps(
            {
                "day": self.day.isoformat(),
                "new_per_day": self.new_per_day,
                "reviews_per_day": self.reviews_per_day,
            }
        )

    @staticmethod
    def from_text(text: str | None) -> "TodayLimits | None":
        if not text:
            return None
        saved = json.loads(text)
        day = date.fromisoformat(saved["day"])
        return TodayLimits(day, saved["new_per_day"], saved["reviews_per_day"])


class DeckSettings(NamedTuple):
    """The deck's scheduling settings as last synced (None: the default): the fields of
    `trainer.core.deck_settings.DECK_SETTINGS`, in its order, and the day's overrides."""

    new_per_day: int | None = None
    reviews_per_day: int | None = None
    day_starts_at: int | None = None
    scheduler: str | None = None
    desired_retention: float | None = None
    redrill_after: int | None = None
    exam: date | None = None
    """The exam day; the plan it makes is `exam_plan`."""
    exam_window: int | None = None
    today_only: TodayLimits | None = None
    """The limits `review --new-per-day/--reviews-per-day` set for one study day."""

    @property
    def exam_plan(self) -> "Exam | None":
        """The exam the deck's schedule aims at (`trainer.exam`, imported only then); None:
        none."""
        if self.exam is None:
            return None
        from trainer.exam import Exam

        return Exam(self.exam, self.exam_window or DEFAULT_EXAM_WINDOW)

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

    def limits(
        self,
        new_per_day: int | None = None,
        reviews_per_day: int | None = None,
        *,
        day: date | None = None,
    ) -> Limits:
        """The queue's limits: the overrides given, else those set for `day` by an earlier
        `review --new-per-day/--reviews-per-day`, else the deck's, else the defaults."""
        if day is not None and self.today_only is not None and self.today_only.day == day:
            new_per_day = _first_or_none(new_per_day, self.today_only.new_per_day)
            reviews_per_day = _first_or_none(reviews_per_day, self.today_only.reviews_per_day)
        return Limits(
            self.new_limit(new_per_day),
            self.review_limit(reviews_per_day),
            _first(self.redrill_after, DEFAULT_REDRILL_AFTER),
        )


def _first(*values: int | None) -> int:
    return next(value for value in values if value is not None)


def _first_or_none(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)


class StoredBank(NamedTuple):
    id: int
    identity: str
    name: str
    """The deck name as last synced."""
    file: BankFile | None
    """The file last synced from (where, and what was parsed); None if not synced from a
    file, or if another bank has taken its file's place since."""
    settings: DeckSettings
    reported: str | None
    """What was last reported about this bank's file (see `trainer.library`), so a problem
    is reported once, not at every command."""
    renamed_told: str | None = None
    """The deck name under which the user was told the deck was renamed without `deck.id`."""

    @property
    def path(self) -> Path | None:
        return Path(self.file.path) if self.file else None


def setting_column(value: object) -> object:
    """A deck setting's value as its `banks` column holds it (a day as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def _setting(value: Any, kind: str) -> Any:
    """A deck setting's value from its `banks` column."""
    return date.fromisoformat(value) if kind == DAY and value else value


def _stored(row: tuple[Any, ...]) -> StoredBank:
    bank_id, identity, name, path, size, mtime_ns, ctime_ns, digest = row[:_SETTINGS_AT]
    file = BankFile(path, size, mtime_ns, ctime_ns, digest) if path and digest else None
    today, reported, renamed_told = row[_TODAY_AT:]
    values = map(_setting, row[_SETTINGS_AT:_TODAY_AT], _KINDS)
    settings = DeckSettings._make([*values, TodayLimits.from_text(today)])
    return StoredBank(bank_id, identity, name, file, settings, reported, renamed_told)


def all_banks(connection: sqlite3.Connection) -> list[StoredBank]:
    """Every bank, oldest first."""
    return [_stored(row) for row in connection.execute(f"SELECT {_COLUMNS} FROM banks ORDER BY id")]


def by_identity(connection: sqlite3.Connection, identity: str) -> StoredBank | None:
    row = connection.execute(
        f"SELECT {_COLUMNS} FROM banks WHERE identity = ?", (identity,)
    ).fetchone()
    return _stored(row) if row else None


def by_id(connection: sqlite3.Connection, bank_id: int) -> StoredBank | None:
    row = connection.execute(f"SELECT {_COLUMNS} FROM banks WHERE id = ?", (bank_id,)).fetchone()
    return _stored(row) if row else None


def by_path(connection: sqlite3.Connection, path: str) -> StoredBank | None:
    row = connection.execute(f"SELECT {_COLUMNS} FROM banks WHERE path = ?", (path,)).fetchone()
    return _stored(row) if row else None


def set_reported(connection: sqlite3.Connection, bank_id: int, reported: str | None) -> None:
    connection.execute("UPDATE banks SET reported = ? WHERE id = ?", (reported, bank_id))


def set_renamed_told(connection: sqlite3.Connection, bank_id: int, name: str) -> None:
    connection.execute("UPDATE banks SET renamed_told = ? WHERE id = ?", (name, bank_id))


def set_today_limits(connection: sqlite3.Connection, bank_id: int, limits: TodayLimits) -> None:
    """Keep `review --new-per-day/--reviews-per-day` for the rest of the bank's study day, so
    `due`, `stats` and a second sitting count with the same limits."""
    connection.execute(
        "UPDATE banks SET today_limits = ? WHERE id = ?", (limits.to_text(), bank_id)
    )


def last_study_day(connection: sqlite3.Connection, bank_id: int) -> date | None:
    """The last study day with an answer in the bank (from the daily tallies: one row a day)."""
    (day,) = connection.execute(
        "SELECT max(study_day) FROM daily_tallies WHERE bank_id = ?", (bank_id,)
    ).fetchone()
    return date.fromisoformat(day) if day else None


def _tables_of_banks(connection: sqlite3.Connection) -> list[str]:
    """Every table with a `bank_id` column, the log first (its triggers keep the tallies)."""
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
        if any(
            column[1] == "bank_id" for column in connection.execute(f"PRAGMA table_info('{name}')")
        )
    ]
    return sorted(tables, key=lambda name: name != "reviews")


def forget(connection: sqlite3.Connection, bank_id: int) -> None:
    """Delete the bank and everything of it (items, notes, log, tallies, undo steps): every
    table that carries a `bank_id`, so a table added later is not forgotten. The caller runs
    it in a transaction, after a backup."""
    for table in _tables_of_banks(connection):
        connection.execute(f'DELETE FROM "{table}" WHERE bank_id = ?', (bank_id,))
    connection.execute("DELETE FROM banks WHERE id = ?", (bank_id,))
