"""The bank as a whole, as read from its file: its deck, its sources and its notes.

`trainer.model` gives these classes too, and is where the rest of the code imports them from; they
live here, imported when first asked for, because a review session works from the database one
note at a time and never needs them: defining their dataclasses cost ~15M instructions before the
first card (issue #23).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from trainer.bankfile import BankFile
from trainer.model import Citation, Note, ReviewItem, expand, slugify


@dataclass(frozen=True, kw_only=True)
class Source:
    key: str
    title: str
    publisher: str
    date: str | None = None
    url: str | None = None

    def citation(self) -> str:
        """`Publisher, "Title", date` as shown under every answer."""
        parts = [self.publisher, f"\u201c{self.title}\u201d"]
        if self.date:
            parts.append(self.date)
        return ", ".join(parts)


@dataclass(frozen=True, kw_only=True)
class Deck:
    name: str
    id: str | None = None
    """The bank's stable identity when given (`deck.id`); else the name is its identity."""
    description: str | None = None
    new_per_day: int | None = None
    reviews_per_day: int | None = None
    day_starts_at: int | None = None
    """Hour (0-23, local time) at which a new study day begins; None means the default (4)."""
    scheduler: str | None = None
    """`sm2` or `fsrs` (`trainer.schedulers.SCHEDULERS`); None means the default, SM-2."""
    desired_retention: float | None = None
    """FSRS's target probability of recall at the due day; None means the default (0.9)."""
    redrill_after: int | None = None
    """Answers after a failure before the failed card comes back; None means the default."""
    exam: date | None = None
    """The exam day the schedule aims at (`trainer.exam`); None: no exam."""
    exam_window: int | None = None
    """Days before the exam in which every learned card is reviewed; None: the default."""
    exam_line: int = 0
    """The bank line of `exam` (for `check`'s warning about a past exam)."""

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def identity(self) -> str:
        """What ties the bank to its Anki notes and its review history: `id`, else the name."""
        return self.id or self.name


@dataclass(frozen=True)
class Bank:
    path: Path
    deck: Deck
    sources: Mapping[str, Source]
    notes: tuple[Note, ...]
    file: BankFile | None = field(default=None, compare=False)
    """Where and what was read; None for a bank parsed from text."""
    _items: tuple[ReviewItem, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = tuple(item for note in self.notes for item in expand(note))
        object.__setattr__(self, "_items", items)

    @property
    def items(self) -> tuple[ReviewItem, ...]:
        """Every review item, in bank order."""
        return self._items

    def citation(self, note: Note) -> str:
        return "; ".join(citation.text for citation in self.citations(note))

    def citations(self, note: Note) -> tuple[Citation, ...]:
        """The note's sources as cited, each with its `url` (Anki's cards link to it)."""
        return tuple(
            Citation(self.sources[key].citation(), self.sources[key].url) for key in note.sources
        )
