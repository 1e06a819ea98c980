"""What every part of a sync pass shares: the collection and the database, what the pass has
read (kept for the pass that runs again after the backup), and the guard that makes the backup
come before the first change."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trainer.store import merge
from trainer.sync.anki_log import AnkiAnswer
from trainer.sync.plan import Plan
from trainer.sync.source import Context

if TYPE_CHECKING:
    from anki.cards import Card as AnkiCard
    from anki.cards import CardId
    from anki.collection import Collection
    from anki.dbproxy import DBProxy
    from anki.notes import Note as AnkiNote


class BackupFirst(Exception):
    """A pass reached its first change to the collection before the backup was made."""


class Writes:
    """Called before every change (to the collection or the database): refuses
    (`BackupFirst`) while the collection still needs its backup."""

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.used = False

    def __call__(self) -> None:
        if not self.allowed:
            raise BackupFirst
        self.used = True


@dataclass
class Reads:
    """What a pass read of the collection, kept for the pass that runs again after the backup:
    the first one stopped before its first change, so all of it still holds (a day's sync
    would otherwise read a million review-log rows twice)."""

    cards: dict[int, AnkiCard] = field(default_factory=dict)
    note_cards: dict[int, list[CardId]] = field(default_factory=dict)
    notes: dict[str, AnkiNote] | None = None
    """The notes of the trainer's note types by GUID, as the pass found them."""
    guids: set[str] | None = None
    """Every note's GUID, read when some of the bank's notes were not found by note type."""
    answered: dict[int, str] = field(default_factory=dict)
    """A card's answers in Anki's log: their seconds, `merge.joined`."""
    answers: dict[int, list[AnkiAnswer]] = field(default_factory=dict)
    """The answers of the cards whose log differs from the trainer's, in full."""


class Pass:
    """One pass of a sync over the collection and the database (`syncer.Syncer` is the whole
    pass, made of the note mirror, the answer merge and the card writing)."""

    def __init__(
        self,
        col: Collection,
        connection: sqlite3.Connection,
        context: Context,
        write: Writes,
        reads: Reads,
        *,
        anki_today: int,
    ) -> None:
        self.col = col
        self.connection = connection
        self.context = context
        self.plan = Plan()
        self.write = write
        self.reads = reads
        self._cards = reads.cards
        self._note_cards = reads.note_cards
        self._anki_today = anki_today
        """Anki's day number for today (asked once: each asking is a call into the backend)."""
        self._nfc = True
        """Whether Anki puts note text in NFC (its "normalize note text", on by default)."""
        self._last_write: int | None = None
        """When a sync of this bank last wrote the collection (None: not known)."""
        self._fsrs = False
        """Whether FSRS is on in Anki (its deck options): a card's memory state then follows
        its log."""
        self._deck_name = ""
        """The bank's deck's name as Anki stores it."""
        self._forget: list[int] = []
        """Cards whose only answers were undone in the trainer: new again in Anki."""
        self.identity = merge.identity(connection, context.bank) or context.source.identity
        """What the GUIDs are made from: the bank's identity at the first sync (the package's),
        kept when the deck is renamed so that its notes stay the same notes."""

    def _card_ids(self, note: AnkiNote) -> Sequence[CardId]:
        """The note's cards, asked of the collection once per note and sync (forgotten when
        an update or a retype may change them)."""
        ids = self._note_cards.get(note.id)
        if ids is None:
            ids = self._note_cards[note.id] = list(note.card_ids())
        return ids

    def _card(self, card_id: int) -> AnkiCard:
        """The card as last read or written by this sync (each card is read once)."""
        card = self._cards.get(card_id)
        if card is None:
            card = self._cards[card_id] = self.col.get_card(card_id)  # type: ignore[arg-type]
        return card

    def _card_of(self, note: AnkiNote, ord_: int) -> int | None:
        for card_id in self._card_ids(note):
            if self._card(card_id).ord == ord_:
                return int(card_id)
        return None

    @property
    def _db(self) -> DBProxy:
        assert self.col.db is not None  # open until the caller closes it
        return self.col.db
