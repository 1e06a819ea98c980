"""The card bank as typed, immutable objects, and its expansion into review items.

Pure: no I/O and no YAML here. `trainer.bank` builds these objects from `cards.yaml`;
the exporter, the store and the trainer all read them.

A *note* is one card of the bank (one Anki note). A *review item* is one thing the user is
asked (one Anki card): a reverse note has two, a cloze note one per cloze number. Each type's
note class lives in its own module of `trainer.notetypes`, beside its declaration; here is what
every type shares (the base `Note`, whose methods say how its items are numbered and asked).
The bank as a whole (`Bank`, its `Deck` and `Source`s) is defined in `trainer.bank_model` and
given here too.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from trainer.core.limits import MAX_COUNT

if TYPE_CHECKING:
    # re-exported (`as`): the rest of the code imports them from here
    from trainer.bank_model import Bank as Bank  # noqa: PLC0414
    from trainer.bank_model import Deck as Deck  # noqa: PLC0414
    from trainer.bank_model import Source as Source  # noqa: PLC0414

_BANK_MODEL = ("Bank", "Deck", "Source")


def __getattr__(name: str) -> object:
    """The bank as a whole (`Bank`, `Deck`, `Source`: `trainer.bank_model`), imported when first
    asked for: a review session never needs it."""
    if name not in _BANK_MODEL:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from trainer import bank_model

    value = getattr(bank_model, name)
    globals()[name] = value  # asked once
    return value


CATEGORIES = ("date", "name", "figure", "component", "context")
CHOICE_LETTERS = "abcdef"


def whole_number(text: str) -> int | None:
    """`text` as a whole number 0..MAX_COUNT, or None. Only the digits 0-9 count:
    `str.isdigit` also accepts superscripts and circled digits, which `int` rejects."""
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(MAX_COUNT)):
        return None  # (the length first: `int` refuses more than 4,300 digits)
    number = int(text)
    return number if number <= MAX_COUNT else None


_SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_SLUG_REPLACE_RE = re.compile(r"[^a-z0-9]+")


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text))


def slugify(text: str) -> str:
    """`India–Canada Work Plan 2026` -> `india-canada-work-plan-2026` (ASCII only)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    unaccented = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SLUG_REPLACE_RE.sub("-", unaccented).strip("-") or "deck"


class Citation(NamedTuple):
    """One source as shown under an answer, and where it can be read (`url`, if given)."""

    text: str
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Note:
    """Fields every card has. `line` and `column` (1-based) locate the card in the bank.

    `positions` locates each field's value (`choices[1]` for the second choice), so that a
    warning can point at the text it is about; `quiet` maps the card-quality rules this card
    silences to the reason given. Neither is card content: both stay out of comparisons.
    """

    type: ClassVar[str]

    id: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    line: int = 0
    column: int = 1
    positions: Mapping[str, tuple[int, int]] = field(
        default_factory=dict, compare=False, repr=False
    )
    quiet: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def category(self) -> str:
        return next(tag for tag in self.tags if tag in CATEGORIES)

    @property
    def prompt(self) -> str:
        """The note's question text (the Anki sort field)."""
        raise NotImplementedError

    def item_ids(self) -> tuple[str, ...]:
        return (self.id,)

    def item_ords(self) -> tuple[int, ...]:
        """Each item's Anki card ordinal, in `item_ids` order (a template index by default)."""
        return tuple(range(len(self.item_ids())))

    def cloze_number(self, ord_: int) -> int | None:
        """The deletion the item `ord_` asks for, if the note's items are cloze deletions."""
        return None

    def is_reverse(self, ord_: int) -> bool:
        """Whether the item `ord_` asks the note back to front."""
        return False

    def asked(self, ord_: int) -> str:
        """What the item `ord_` asks, as plain text."""
        return self.prompt


class ReviewItem(NamedTuple):
    """One question the user is asked: a note and which of its cards.

    `ord` is the Anki card ordinal (template index, or cloze number - 1), so item `ord`s line
    up with the cards Anki generates from the exported note.

    It and `Citation` are NamedTuples, `Note` a dataclass: both are the records the first card
    is made of, and a dataclass costs ~4M instructions to define (issue #23). The module's
    annotations are evaluated (no `from __future__ import annotations`): a NamedTuple's string
    annotation costs a compile() per field.
    """

    id: str
    note: Note
    ord: int

    @property
    def cloze_number(self) -> int | None:
        return self.note.cloze_number(self.ord)

    @property
    def is_reverse(self) -> bool:
        return self.note.is_reverse(self.ord)

    @property
    def question(self) -> str:
        """What this card asks, as plain text (a cloze with its gap, a reverse card's back)."""
        return self.note.asked(self.ord)


def expand(note: Note) -> tuple[ReviewItem, ...]:
    """The review items of a note, in Anki card order."""
    return tuple(
        ReviewItem(item_id, note, ord_)
        for item_id, ord_ in zip(note.item_ids(), note.item_ords(), strict=True)
    )
