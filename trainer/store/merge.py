"""The review database's side of `trainer sync`'s merge (the other side, an Anki collection, is
`trainer.sync`'s alone: nothing here imports or opens it): what the sync reads from and writes
to the database, in one place.

Answers copied from Anki are appended to the log like any other (so statistics and the
tallies count them), and replayed schedules are written over the items' ones; both in one
transaction, so a kill leaves the database as it was or fully updated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from trainer.core.keys import ItemKey
from trainer.core.kinds import DAY_KINDS
from trainer.replay import Step
from trainer.schedulers import Schedule
from trainer.store import log
from trainer.store.database import id_list, transaction
from trainer.store.items import replace_schedules


@dataclass(frozen=True)
class LoggedAnswer:
    """An answer in the trainer's log, with what Anki's review log records of it."""

    entry: int
    """Its row in the log (`reviews.id`)."""
    second: int
    """Unix time (`reviews.unix_time`)."""
    stamp: int | None
    """Unix time in milliseconds (`reviews.unix_ms`): None for an answer logged before the
    log kept them."""
    kind: str
    grade: int
    answer_ms: int
    interval_before: int
    interval_after: int
    easiness_after: int

    @property
    def key(self) -> int:
        """The answer's moment in milliseconds: its stamp, else the start of its second."""
        return self.stamp if self.stamp is not None else self.second * 1000


@dataclass(frozen=True)
class ItemSchedule:
    """An item's schedule (whichever scheduler made it) and its lapses."""

    item_id: str
    schedule: Schedule
    lapses: int


@dataclass(frozen=True)
class Imported:
    """An answer from Anki, placed by the replay (kind, schedule before and after)."""

    item_id: str
    step: Step
    answer_ms: int


def identity(connection: sqlite3.Connection, bank: int) -> str | None:
    """The deck identity the bank's last sync made GUIDs from (None before its first sync)."""
    row = connection.execute("SELECT anki_identity FROM banks WHERE id = ?", (bank,)).fetchone()
    return row[0] if row else None


def remember_identity(connection: sqlite3.Connection, bank: int, value: str) -> None:
    with transaction(connection):
        connection.execute("UPDATE banks SET anki_identity = ? WHERE id = ?", (value, bank))


def known_note_ids(connection: sqlite3.Connection, bank: int) -> list[str]:
    """Every note the bank has had an item of, retired ones included."""
    rows = connection.execute(
        "SELECT DISTINCT note_id FROM items INDEXED BY idx_items_note WHERE bank_id = ?", (bank,)
    )
    return [note_id for (note_id,) in rows]


UNIX_TIME = "coalesce(unix_time, CAST(strftime('%s', reviewed_at, 'utc') AS INTEGER))"
"""An answer's Unix time: as logged, or (a row written by other means) its local time read in
the machine's zone now."""
UNIX_MS = f"coalesce(unix_ms, {UNIX_TIME} * 1000)"
"""An answer's Unix time in milliseconds (`LoggedAnswer.key`)."""
ANSWER_KINDS: tuple[str, ...] = DAY_KINDS
"""The kinds of answer Anki's review log has too (cram answers and the like are the trainer's
own)."""


def joined(stamps: Iterable[int]) -> str:
    """Unix milliseconds as `answer_stamps` gives them: ascending, in decimal, joined by
    commas, as SQLite's `group_concat` writes them (so the other side's list is compared as one
    string, without reading its numbers)."""
    return ",".join(map(str, sorted(stamps)))


def answer_stamps(connection: sqlite3.Connection, bank: int) -> dict[str, str]:
    """Each item's answers of `ANSWER_KINDS` as their Unix milliseconds (`LoggedAnswer.key`),
    `joined`: a quick first comparison with Anki's log, whose ids are those (an item with no
    answers is left out).

    Kept in `anki_seconds` until the item's answers in the log change, so only the items
    whose log changed since are read (a steady sync of a million answers reads none of them)."""
    with transaction(connection):  # what is kept and what is read, as of one moment
        rows = connection.execute(
            "SELECT items.id, kept.seconds FROM items LEFT JOIN anki_seconds AS kept"
            " ON kept.bank_id = items.bank_id AND kept.item_id = items.id"
            " WHERE items.bank_id = ?",
            (bank,),
        ).fetchall()
        found = {item_id: stamps for item_id, stamps in rows if stamps is not None}
        unknown = [item_id for item_id, stamps in rows if stamps is None]
        if unknown:
            read = _read_stamps(connection, bank, unknown)
            connection.executemany(
                "INSERT INTO anki_seconds (bank_id, item_id, seconds) VALUES (?, ?, ?)",
                [(bank, item_id, stamps) for item_id, stamps in read.items()],
            )
            found |= read
    return {item_id: stamps for item_id, stamps in found.items() if stamps}


def _read_stamps(connection: sqlite3.Connection, bank: int, item_ids: list[str]) -> dict[str, str]:
    """The answers of `item_ids` read from the log (through its index of items)."""
    marks = ", ".join("?" * len(ANSWER_KINDS))
    rows = connection.execute(
        f"SELECT item_id, {UNIX_MS} FROM reviews {log.BY_ITEM}"
        f" WHERE bank_id = ? AND item_id IN (SELECT value FROM json_each(?)) AND kind IN ({marks})",
        (bank, id_list(item_ids), *ANSWER_KINDS),
    )
    stamps: dict[str, list[int]] = {item_id: [] for item_id in item_ids}
    for item_id, stamp in rows:
        stamps[item_id].append(stamp)
    return {item_id: joined(answers) for item_id, answers in stamps.items()}


def stamp(connection: sqlite3.Connection, stamps: dict[int, int]) -> None:
    """Record the milliseconds of answers (log row -> Unix ms): the id an answer's copy got in
    Anki's log, or the one an answer logged before the log kept them was found under."""
    if stamps:
        with transaction(connection):
            connection.executemany(
                "UPDATE reviews SET unix_ms = ? WHERE id = ?",
                [(ms, entry) for entry, ms in stamps.items()],
            )


def answers_by_item(
    connection: sqlite3.Connection, bank: int, item_ids: set[str]
) -> dict[str, list[LoggedAnswer]]:
    """The answers to the bank's `item_ids`, in log order."""
    found: dict[str, list[LoggedAnswer]] = {}
    if not item_ids:
        return found
    rows = connection.execute(  # after the item, LoggedAnswer's fields in its order
        f"SELECT item_id, id, {UNIX_TIME}, unix_ms, kind, grade, coalesce(answer_ms, 0),"
        " coalesce(interval_before, 0), coalesce(interval_after, 0),"
        f" coalesce(easiness_after, 0) FROM reviews {log.BY_ITEM}"
        " WHERE bank_id = ? AND item_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        (bank, id_list(item_ids)),
    )
    for item_id, *answer in rows:
        found.setdefault(item_id, []).append(LoggedAnswer(*answer))
    return found


@dataclass(frozen=True)
class Undone:
    """An item's answers taken back by an undo, as their copies in Anki's log are known."""

    stamps: frozenset[int]
    """Their milliseconds: a copy's id in Anki's log is its answer's millisecond."""
    seconds: frozenset[int]
    """The Unix seconds of those undone before the log kept milliseconds: their copy is
    any answer in that second."""

    def covers(self, stamp: int) -> bool:
        """Whether the answer at `stamp` in Anki's log is a copy of one of these."""
        return stamp in self.stamps or stamp // 1000 in self.seconds


def undone(connection: sqlite3.Connection, bank: int, item_ids: set[str]) -> dict[str, Undone]:
    """The answers to `item_ids` taken back by an undo."""
    if not item_ids:
        return {}
    rows = connection.execute(
        "SELECT item_id, unix_time, unix_ms FROM undone_answers"
        " WHERE bank_id = ? AND item_id IN (SELECT value FROM json_each(?))",
        (bank, id_list(item_ids)),
    )
    found: dict[str, tuple[set[int], set[int]]] = {}
    for item_id, second, stamp in rows:
        stamps, seconds = found.setdefault(item_id, (set(), set()))
        if stamp is None:
            seconds.add(second)
        else:
            stamps.add(stamp)
    return {
        item_id: Undone(frozenset(stamps), frozenset(seconds))
        for item_id, (stamps, seconds) in found.items()
    }


def schedules(connection: sqlite3.Connection, bank: int) -> dict[str, ItemSchedule]:
    """The schedules of the items in the bank (retired ones left out)."""
    rows = connection.execute(
        "SELECT id, repetitions, easiness_hundredths, interval, due_day, stability, difficulty,"
        " lapses FROM items WHERE bank_id = ? AND retired = 0",
        (bank,),
    )
    return {
        item_id: ItemSchedule(
            item_id,
            Schedule(
                repetitions,
                easiness,
                interval,
                date.fromisoformat(due) if due else None,
                stability,
                difficulty,
            ),
            lapses,
        )
        for item_id, repetitions, easiness, interval, due, stability, difficulty, lapses in rows
    }


def write(
    connection: sqlite3.Connection,
    bank: int,
    imports: list[Imported],
    updates: list[ItemSchedule],
) -> None:
    """Append the answers copied from Anki and set the replayed schedules and lapses (leech
    and suspended flags are the trainer's own and stay)."""
    if not imports and not updates:
        return
    with transaction(connection):
        for entry in imports:
            step = entry.step
            log.append(
                connection,
                key=ItemKey(bank, entry.item_id),
                moment=step.answer.moment,
                day=step.day,
                kind=step.kind,
                grade=step.answer.grade,
                answer_ms=entry.answer_ms,
                before=(step.before.sm2, step.before.due_day),
                after=(step.after.sm2, step.after.due_day),
            )
        replace_schedules(connection, bank, {update.item_id: update.schedule for update in updates})
        connection.executemany(
            "UPDATE items SET lapses = ? WHERE bank_id = ? AND id = ?",
            [(update.lapses, bank, update.item_id) for update in updates],
        )
