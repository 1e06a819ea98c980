"""Anki's review log as the sync reads it: which rows are answers, their grades, and each
card's answers read for many cards at once (never one library call per card)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from trainer.core.grades import ANKI_TO_GRADE
from trainer.store import merge
from trainer.store.database import id_list

if TYPE_CHECKING:
    from anki.dbproxy import DBProxy

REVLOG_FILTERED = 3
"""Anki's revlog type of an answer in a filtered deck."""
REVLOG_TYPES = dict(zip(merge.ANSWER_KINDS, (0, 1, 2), strict=True))
"""Anki's revlog types (learning, review, relearning) for the trainer's kinds of answer."""


@dataclass(frozen=True)
class AnkiAnswer:
    stamp: int
    """Its id in Anki's log: the answer's Unix time in milliseconds."""
    grade: int
    answer_ms: int

    @property
    def second(self) -> int:
        return self.stamp // 1000


ANSWERS_SQL = "ease BETWEEN 1 AND 4 AND NOT (type = ? AND factor = 0)"
"""Review-log rows that are answers that schedule the card: a button press, not a manual
reschedule (no button), nor a preview in a filtered deck that does not reschedule (logged as
a filtered review with no ease: Anki's own scheduler ignores those too)."""


def answer_stamps(db: DBProxy, card_ids: Iterable[int]) -> dict[int, str]:
    """Each card's answers in Anki's log as their ids (Unix milliseconds), `merge.joined`,
    in two queries (asking the library for each card's log took 10,000 calls for 10,000
    cards: most of a steady sync). The first reads only Anki's index of the log by card (the
    rows are not read, nor sorted: the index keeps each card's entries in id order; another
    order would make a card look changed, never hide a change); the second finds the few
    entries that are no answers (one pass over the table, cheaper than a lookup per row), and
    only their cards are joined again without them."""
    listed = id_list(card_ids)
    rows = db.all(
        "SELECT cid, group_concat(id) FROM revlog"
        " WHERE cid IN (SELECT value FROM json_each(?)) GROUP BY cid",
        listed,
    )
    found: dict[int, str] = {row[0]: row[1] for row in rows}
    others: dict[int, set[int]] = {}
    for revlog_id, cid in db.all(
        f"SELECT id, cid FROM revlog NOT INDEXED WHERE NOT ({ANSWERS_SQL})"
        " AND cid IN (SELECT value FROM json_each(?))",
        REVLOG_FILTERED,
        listed,
    ):
        others.setdefault(cid, set()).add(revlog_id)
    for cid, ids in others.items():
        found[cid] = merge.joined(set(stamp_list(found[cid])) - ids)
    return found


def anki_answers(db: DBProxy, card_ids: Iterable[int]) -> dict[int, list[AnkiAnswer]]:
    """The cards' answers in Anki's log (`ANSWERS_SQL`), newest first as the library lists
    them."""
    found: dict[int, list[AnkiAnswer]] = {}
    for cid, revlog_id, ease, taken_ms in db.all(
        "SELECT cid, id, ease, time FROM revlog"
        f" WHERE cid IN (SELECT value FROM json_each(?)) AND {ANSWERS_SQL}"
        " ORDER BY cid, id DESC",
        id_list(card_ids),
        REVLOG_FILTERED,
    ):
        found.setdefault(cid, []).append(AnkiAnswer(revlog_id, ANKI_TO_GRADE[ease], taken_ms))
    return found


def stamp_list(joined: str) -> list[int]:
    """The milliseconds of an `merge.joined` list."""
    return [int(stamp) for stamp in joined.split(",")] if joined else []


def count_and_last(joined: str) -> tuple[int, int | None]:
    """How many answers an `merge.joined` list has, and the last one's second."""
    if not joined:
        return 0, None
    return joined.count(",") + 1, int(joined.rpartition(",")[2]) // 1000


def local_moment(stamp: int) -> datetime:
    """Unix milliseconds as local time, read in the machine's zone now."""
    return datetime.fromtimestamp(stamp // 1000).replace(microsecond=stamp % 1000 * 1000)
