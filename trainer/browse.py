"""The card browser's rules: each review item's state, the search, the JSON shape. Pure.

Shared by `trainer cards` and the trainer's browser screen (key `b`); the rows come from
`trainer.store.browse`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trainer.core.states import CardState
from trainer.queue import ItemRecord
from trainer.visible import clipped, visible


def state_of(record: ItemRecord, leech: bool, today: date) -> CardState:
    """One word for where the item stands today: `retired` (gone from the bank) first, then
    `leech` (suspended for failing too often), `suspended`, `buried`, `new`, `review`."""
    if record.retired:
        return CardState.RETIRED
    if record.suspended:
        return CardState.LEECH if leech else CardState.SUSPENDED
    if record.is_buried(today):
        return CardState.BURIED
    return CardState.NEW if record.is_new else CardState.REVIEW


@dataclass(frozen=True)
class Answer:
    """One line of a card's review history."""

    time: datetime
    grade: int
    kind: str
    interval: int | None
    """The interval in days after the answer."""

    def to_json(self) -> dict[str, object]:
        return {
            "time": self.time.isoformat(timespec="seconds"),
            "grade": self.grade,
            "kind": self.kind,
            "interval": self.interval,
        }


MEMORY_HEADINGS = {"sm2": "ease", "fsrs": "S D R"}
"""The memory column's heading when every row has that scheduler (`ease / S D R` if mixed)."""


def memory_heading(rows: list[CardRow]) -> str:
    schedulers = {row.scheduler for row in rows} or {"sm2"}
    return " / ".join(MEMORY_HEADINGS[name] for name in sorted(schedulers, reverse=True))


@dataclass(frozen=True)
class CardRow:
    """One review item as the browser shows it."""

    id: str
    note: str
    bank_id: int
    """The bank's row in the database: (bank_id, id) is the item's key."""
    bank: str
    """The bank file it was last synced from ("" if unknown)."""
    deck: str
    """The bank's deck name."""
    type: str
    question: str
    """Plain text, as the card asks it."""
    text: str
    """Every field of the note, for the search."""
    tags: tuple[str, ...]
    state: str
    due: date | None
    interval: int
    easiness: float
    repetitions: int
    lapses: int
    stability: float | None
    """FSRS's stability in days (None: FSRS has not scheduled the card)."""
    difficulty: float | None
    """FSRS's difficulty, 1-10 (None: FSRS has not scheduled the card)."""
    queued: str | None
    """The kind (`review`, `new`, `redrill`) it has in today's queue, or None if not in it."""
    history: tuple[Answer, ...] = ()
    """Its answers, oldest first, where they were asked for (`trainer.store.browse.with_history`):
    reading every card's history costs the whole log."""
    scheduler: str = "sm2"
    """The deck's scheduler: what `memory_cell` shows."""
    retrievability: float | None = None
    """Under FSRS, the predicted probability of recalling it today (None: new, or SM-2)."""

    @property
    def is_fsrs(self) -> bool:
        return self.scheduler == "fsrs"

    def memory_cell(self) -> str:
        """What the deck's scheduler keeps of the card's memory: the E-Factor under SM-2
        (`2.50`); under FSRS stability, difficulty and retrievability (`S12d D5.1 R93%`), `-`
        while FSRS has not scheduled it."""
        if not self.is_fsrs:
            return f"{self.easiness:.2f}"
        if self.stability is None or self.difficulty is None:
            return "-"
        recall = "" if self.retrievability is None else f" R{self.retrievability:.0%}"
        return f"S{self.stability:.0f}d D{self.difficulty:.1f}{recall}"

    def schedule_cells(self) -> tuple[str, ...]:
        """State, due day, interval, the memory (`memory_cell`), repetitions, lapses, as the
        browser and `trainer cards` show them."""
        return (
            self.state,
            self.due.isoformat() if self.due else "-",
            str(self.interval),
            self.memory_cell(),
            str(self.repetitions),
            str(self.lapses),
        )

    def question_line(self, width: int) -> str:
        """The question on one line of at most `width` characters, control characters shown."""
        return clipped(" ".join(visible(self.question, one_line=True).split()), width)

    def matches(self, search: str | None, tag: str | None) -> bool:
        """Has `tag` (exactly), and `search` in its id, question or any field (any case)."""
        if tag is not None and tag not in self.tags:
            return False
        if not search:
            return True
        wanted = search.casefold()
        return any(wanted in text.casefold() for text in (self.id, self.question, self.text))

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "note": self.note,
            "bank": self.bank,
            "deck": self.deck,
            "type": self.type,
            "question": self.question,
            "tags": list(self.tags),
            "state": self.state,
            "due": self.due.isoformat() if self.due else None,
            "interval": self.interval,
            "easiness": self.easiness,
            "repetitions": self.repetitions,
            "lapses": self.lapses,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "scheduler": self.scheduler,
            "retrievability": self.retrievability,
            "queued": self.queued,
            "reviews": [answer.to_json() for answer in self.history],
        }
