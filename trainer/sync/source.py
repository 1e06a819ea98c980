"""What a sync is given: the bank's content (`Source`) and the run's circumstances
(`Context`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from trainer.exam import Exam
from trainer.model import Citation, Note, ReviewItem, expand
from trainer.schedulers import Settings


@dataclass(frozen=True)
class Source:
    """What a sync needs of the bank: its deck name, its notes in bank order with their
    citations, the hour its study days start and its scheduler. Read from the bank file, or
    from the review database when that holds exactly the bank's current content (no YAML to
    parse)."""

    deck_name: str
    notes: tuple[tuple[Note, tuple[Citation, ...]], ...]
    day_starts_at: int
    settings: Settings
    """The deck's scheduler, which the merged histories are replayed through."""
    identity: str
    """What the package's GUIDs are made from: `deck.id`, else the deck name the bank was first
    known by (kept when the deck is renamed)."""
    exam: Exam | None = None
    """The deck's exam: Anki gets the exam plan's due days (`trainer.store.exam.moves`)."""

    @property
    def items(self) -> Iterator[ReviewItem]:
        return (item for note, _ in self.notes for item in expand(note))


@dataclass(frozen=True)
class Context:
    """What both halves of the sync need: the bank's content, today, and how to back the
    collection up before its first change (None: no backup, for a dry run's copy)."""

    source: Source
    today: date
    backup: Callable[[], None] | None
    bank: int
    """The bank's row in the review database."""
    delete_removed: bool = False
    allow_full_sync: bool = False
    """Whether notes whose type changed in the bank may be given their new type in Anki: a
    schema change, after which Anki's next AnkiWeb sync is a one-way full sync."""
