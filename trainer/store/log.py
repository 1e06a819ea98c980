"""The `reviews` table: an append-only log of every answer with the schedule before and after.

Kinds: `new` and `review` are scheduled answers (they change the schedule and count as
reviews in statistics and daily limits); `redrill` (SM-2's same-day repeats of grades below 4)
and `cram` (a tag session) are practice and leave the schedule alone. The only deletion is an
undo of the latest answers.
"""

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from trainer.core.keys import ItemKey
from trainer.core.kinds import (
    DAY_KINDS,
    KINDS,  # noqa: F401  (the log's kinds, where the log is read)
    SCHEDULED_KINDS,
    AnswerKind,
)
from trainer.queue import DayLog, redrill_waits
from trainer.sm2 import Sm2State
from trainer.store.items import day_text

BY_BANK_DAY = "INDEXED BY idx_reviews_bank_day"
"""The index for one bank's answers on given study days (m015)."""
BY_DAY = "INDEXED BY idx_reviews_study_day_kind_grade"
"""The index for every bank's answers on given study days (m004)."""
BY_ITEM = "INDEXED BY idx_reviews_item"
"""The index for given items' answers (m013)."""
# Each query on the log names its index (or `NOT INDEXED`, for a range of ids), so that its cost
# follows the answers it asks for, never the history: without statistics SQLite guesses, and an
# index added for another query once made it walk a bank's whole log for today's answers. A
# dropped or renamed index then fails loudly instead of slowing down (tests/test_work_guard.py).


def sql_list(kinds: tuple[AnswerKind, ...]) -> str:
    """`('new', 'review')`: kinds as an SQL list of literals, for indexes and triggers whose
    terms must be written out."""
    return "(" + ", ".join(f"'{kind.value}'" for kind in kinds) + ")"


class LogEntry(NamedTuple):
    id: int
    item_id: str
    reviewed_at: datetime
    study_day: date
    kind: AnswerKind
    grade: int
    answer_ms: int

    @property
    def is_scheduled(self) -> bool:
        return self.kind in SCHEDULED_KINDS


def append(
    connection: sqlite3.Connection,
    *,
    key: ItemKey,
    moment: datetime,
    day: date,
    kind: AnswerKind,
    grade: int,
    answer_ms: int,
    before: tuple[Sm2State, date | None],
    after: tuple[Sm2State, date | None],
) -> int:
    """Log one answer; returns its id. `moment` is local time, read in the machine's time zone
    now (and kept as Unix time too, in seconds and in milliseconds: `trainer sync` compares
    answers by it)."""
    (state_before, due_before), (state_after, due_after) = before, after
    second = int(moment.replace(microsecond=0).timestamp())
    cursor = connection.execute(
        "INSERT INTO reviews (bank_id, item_id, reviewed_at, unix_time, unix_ms, study_day,"
        " kind, grade, answer_ms, repetitions_before, easiness_before, interval_before,"
        " due_before, repetitions_after, easiness_after, interval_after, due_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            *key,
            moment.isoformat(timespec="seconds"),
            second,
            second * 1000 + moment.microsecond // 1000,
            day.isoformat(),
            kind,
            grade,
            answer_ms,
            state_before.repetitions,
            state_before.easiness_hundredths,
            state_before.interval,
            day_text(due_before),
            state_after.repetitions,
            state_after.easiness_hundredths,
            state_after.interval,
            day_text(due_after),
        ),
    )
    assert cursor.lastrowid is not None  # set by every INSERT
    return cursor.lastrowid


def delete(connection: sqlite3.Connection, entry_id: int) -> None:
    """Take an answer back (an undo), remembering it in `undone_answers`: a copy of it in
    Anki's log is then not read back as an answer given in Anki."""
    connection.execute(
        "INSERT OR IGNORE INTO undone_answers (bank_id, item_id, unix_time, unix_ms)"
        " SELECT bank_id, item_id, unix_time, unix_ms FROM reviews"
        " WHERE id = ? AND unix_time IS NOT NULL",
        (entry_id,),
    )
    connection.execute("DELETE FROM reviews WHERE id = ?", (entry_id,))


def last_id(connection: sqlite3.Connection) -> int:
    last: int = connection.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]
    return last


def _in_banks(banks: Sequence[int] | None) -> str:
    """An SQL term keeping the rows of `banks` (every row if None); ids are integers."""
    return "" if banks is None else f" AND bank_id IN ({', '.join(str(int(b)) for b in banks)})"


def count_on(
    connection: sqlite3.Connection,
    day: date,
    kinds: tuple[AnswerKind, ...],
    banks: Sequence[int] | None = None,
) -> int:
    """How many answers of `kinds` were logged on study day `day` (in `banks` if given)."""
    marks = ", ".join("?" * len(kinds))
    count: int = connection.execute(
        f"SELECT count(*) FROM reviews {BY_DAY} WHERE study_day = ? AND kind IN ({marks})"
        + _in_banks(banks),
        (day.isoformat(), *kinds),
    ).fetchone()[0]
    return count


def day_log(connection: sqlite3.Connection, bank: int, today: date) -> DayLog:
    """What the bank's log says about study day `today`."""
    rows = connection.execute(
        f"SELECT r.item_id, r.kind, r.grade, i.siblings_key FROM reviews r {BY_BANK_DAY}"
        " JOIN items i ON i.bank_id = r.bank_id AND i.id = r.item_id"
        f" WHERE r.study_day = ? AND r.bank_id = ? AND r.kind IN {sql_list(DAY_KINDS)}"
        " ORDER BY r.id",
        (today.isoformat(), bank),
    ).fetchall()
    waits = redrill_waits((item_id, grade) for item_id, _, grade, _ in rows)
    return DayLog(
        new_done=sum(kind == AnswerKind.NEW for _, kind, _, _ in rows),
        reviews_done=sum(kind == AnswerKind.REVIEW for _, kind, _, _ in rows),
        answered_siblings=frozenset(key for _, kind, _, key in rows if kind in SCHEDULED_KINDS),
        redrill_pending=tuple(waits),
        answers_since_failure=waits,
    )


def answers_on(connection: sqlite3.Connection, days: dict[int, date]) -> list[tuple[ItemKey, int]]:
    """`(item key, grade)` of the answers (re-drills included) logged in each bank of `days`
    on that bank's study day, in answer order across the banks."""
    if not days:
        return []
    marks = ", ".join("?" * len(days))
    rows = connection.execute(
        f"SELECT bank_id, item_id, grade, study_day FROM reviews {BY_BANK_DAY}"
        f" WHERE study_day >= ? AND kind IN {sql_list(DAY_KINDS)} AND bank_id IN ({marks})"
        " ORDER BY id",
        (min(days.values()).isoformat(), *days),
    )
    return [
        (ItemKey(bank, item_id), grade)
        for bank, item_id, grade, day in rows
        if day == days[bank].isoformat()
    ]


def answers_since(
    connection: sqlite3.Connection, bank: int, after_id: int, kinds: tuple[AnswerKind, ...]
) -> list[tuple[str, int]]:
    """`(item id, grade)` of the bank's answers of `kinds` logged after entry `after_id`, in
    order."""
    marks = ", ".join("?" * len(kinds))
    return connection.execute(
        "SELECT item_id, grade FROM reviews NOT INDEXED WHERE id > ? AND bank_id = ?"
        f" AND kind IN ({marks}) ORDER BY id",
        (after_id, bank, *kinds),
    ).fetchall()


def scheduled_answers(
    connection: sqlite3.Connection, bank: int
) -> dict[str, list[tuple[date, int]]]:
    """Each of the bank's items' scheduled answers `(study day, grade)`, in the order they were
    given: what a replay through a scheduler needs."""
    answers: dict[str, list[tuple[date, int]]] = {}
    days: dict[str, date] = {}  # a few hundred study days for a million answers
    for item_id, day, grade in connection.execute(
        "SELECT item_id, study_day, grade FROM reviews"
        f" WHERE bank_id = ? AND kind IN {sql_list(SCHEDULED_KINDS)} ORDER BY id",
        (bank,),
    ):
        if day not in days:
            days[day] = date.fromisoformat(day)
        answers.setdefault(item_id, []).append((days[day], grade))
    return answers


def entries(
    connection: sqlite3.Connection, since: date, banks: Sequence[int] | None = None
) -> list[LogEntry]:
    """The log entries from study day `since` on (of `banks` if given), oldest first."""
    rows = connection.execute(
        "SELECT id, item_id, reviewed_at, study_day, kind, grade, answer_ms"
        f" FROM reviews {BY_DAY} WHERE study_day >= ?{_in_banks(banks)} ORDER BY id",
        (since.isoformat(),),
    )
    return [
        LogEntry(
            entry_id,
            item_id,
            datetime.fromisoformat(moment),
            date.fromisoformat(day),
            AnswerKind(kind),
            grade,
            answer_ms or 0,
        )
        for entry_id, item_id, moment, day, kind, grade, answer_ms in rows
    ]
