"""`trainer sync`'s work on an open Anki collection and the review database.

Bank -> Anki: notes are matched by the GUIDs the package uses (`manifest.note_guid`), so notes
imported from a built `.apkg` are updated, never duplicated. Notes are added, updated, given a
new note type (Anki's change-notetype keeps the history of every surviving card), their cards
moved into the bank's deck (renamed when the bank's deck name changed), and notes that left the
bank are tagged `trainer-removed` (deleted only when asked).

Reviews both ways: an answer is the same on both sides when it is for the same item at the same
second, so nothing is copied twice and a run that was killed is completed by the next one.
Each item's merged history is replayed through the deck's scheduler (`trainer.replay`) and the
schedule written
to both sides. Everything read is compared first: a sync with nothing new writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from trainer.anki import models, stored
from trainer.anki.manifest import note_guid
from trainer.anki.notes import RenderedNote, render
from trainer.core.grades import ANKI_TO_GRADE, anki_button
from trainer.core.limits import MAX_ANSWER_MS
from trainer.errors import TrainerError
from trainer.exam import Exam
from trainer.model import Citation, Note, ReviewItem, expand
from trainer.replay import Answer, replay
from trainer.schedulers import Settings
from trainer.store import anki_merge
from trainer.store import exam as exam_plan

if TYPE_CHECKING:
    from anki.cards import Card as AnkiCard
    from anki.cards import CardId
    from anki.collection import Collection
    from anki.dbproxy import DBProxy
    from anki.decks import DeckId
    from anki.models import NotetypeDict
    from anki.notes import Note as AnkiNote

REMOVED_TAG = "trainer-removed"
LAST_WRITE_KEY = "trainerLastSyncWrite"
CARD_TYPE_REVIEW = QUEUE_REVIEW = 2
MODEL_CLOZE = 1
DEFAULT_DECK_ID = 1
"""Anki's Default deck: never renamed into the bank's deck."""
REVLOG_FILTERED = 3
"""Anki's revlog type of an answer in a filtered deck."""
REVLOG_TYPES = dict(zip(anki_merge.ANSWER_KINDS, (0, 1, 2), strict=True))
"""Anki's revlog types (learning, review, relearning) for the trainer's kinds of answer."""
FACTOR_PER_HUNDREDTH = 10
"""Anki stores the ease in permille (2500 = 2.5); SM-2's E-Factor is kept in hundredths."""


@dataclass
class Plan:
    """What a sync does (or, in a dry run, would do); note ids of the bank."""

    note_types: list[str] = field(default_factory=list)
    restyled: list[str] = field(default_factory=list)
    deck: str = ""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retyped: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    """Notes to update whose text was edited in Anki since the last sync: the bank's wins."""
    adopted: int = 0
    """Rows of Anki's log left by a deleted card, given to the card that replaced it."""
    undone: int = 0
    """Copies in Anki's log of answers undone in the trainer, taken out of it."""
    left_alone: list[str] = field(default_factory=list)
    """Notes whose type the user changed in Anki (found by GUID): neither updated nor added."""
    moved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    to_trainer: int = 0
    to_anki: int = 0
    trainer_schedules: int = 0
    anki_schedules: int = 0

    def lines(self) -> list[str]:
        counts = [
            ("note types to add", len(self.note_types)),
            ("note types to restyle", len(self.restyled)),
            ("notes to add", len(self.added)),
            ("notes to update", len(self.updated)),
            ("notes to retype", len(self.retyped)),
            ("notes left alone (their note type was changed in Anki)", len(self.left_alone)),
            ("notes to move", len(self.moved)),
            ("notes to mark removed", len(self.removed)),
            ("notes to delete", len(self.deleted)),
            ("reviews to copy from Anki", self.to_trainer),
            ("reviews to copy to Anki", self.to_anki),
            ("reviews undone in the trainer to take out of Anki", self.undone),
            ("reviews of deleted cards given back to their restored cards", self.adopted),
            ("schedules to update in the trainer", self.trainer_schedules),
            ("schedules to update in Anki", self.anki_schedules),
        ]
        lines = [f"deck: {self.deck}"] if self.deck else []
        lines += [f"{label}: {count}" for label, count in counts if count]
        if self.edited:
            shown = ", ".join(self.edited)
            lines.append(f"edited in Anki since the last sync, the bank's text wins: {shown}")
        return lines or ["nothing to do: Anki and the trainer agree"]


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


class _BackupFirst(Exception):
    """A pass reached its first change to the collection before the backup was made."""


class _Writes:
    """Called before every change (to the collection or the database): refuses
    (`_BackupFirst`) while the collection still needs its backup."""

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.used = False

    def __call__(self) -> None:
        if not self.allowed:
            raise _BackupFirst
        self.used = True


def run(col: Collection, connection: sqlite3.Connection, context: Context) -> Plan:
    """Sync the bank into `col`, then the reviews both ways; returns what was done.

    Every change to the collection happens in one transaction of the library
    (`col.db.transact`): a kill leaves it untouched or synced. A pass that reaches its first
    change before the backup is rolled back (it has written nothing to the collection), the
    backup is made outside the transaction, and the pass runs again, with what the first one
    read (`_Reads`). A sync with nothing to do makes no backup."""
    backed_up = context.backup is None
    reads = _Reads()
    anki_today = col.sched.today  # outside the passes: the first asking of a new collection
    # writes Anki's default rollover hour, which a rolled-back pass would lose from the file but
    # not from the library's memory
    while True:
        syncer = _Syncer(col, connection, context, _Writes(backed_up), reads, anki_today=anki_today)
        try:
            col.db.transact(syncer.run)  # type: ignore[union-attr]
        except _BackupFirst:
            assert context.backup is not None
            context.backup()
            backed_up = True
            continue
        return syncer.plan


def _in_deck(col: Collection, deck_id: DeckId, name: str, card_deck: DeckId) -> bool:
    """Whether a card in `card_deck` is in the bank's deck or a subdeck of it. `name` is the
    deck's name as Anki stores it (which may differ from the bank's: Anki trims the parts of
    `A :: B`, puts it in NFC, and deck names are one whatever their case)."""
    if card_deck == deck_id:
        return True
    deck = col.decks.get(card_deck, default=False)
    return deck is not None and deck["name"].casefold().startswith(name.casefold() + "::")


@dataclass(frozen=True)
class _NoteMatch:
    rendered: RenderedNote
    anki: AnkiNote | None


@dataclass(frozen=True)
class _AnkiAnswer:
    stamp: int
    """Its id in Anki's log: the answer's Unix time in milliseconds."""
    grade: int
    answer_ms: int

    @property
    def second(self) -> int:
        return self.stamp // 1000


@dataclass(frozen=True)
class _CardWork:
    """What the collection gets for one card: the trainer's answers it lacks, the schedule."""

    card_id: int
    schedule: anki_merge.ItemSchedule
    answered: int
    to_anki: list[anki_merge.LoggedAnswer]
    last_answer: int | None
    """The Unix second of the card's last answer on either side (Anki's "last review time")."""
    new_answers: bool = False
    """Whether either side got answers from the other (Anki's FSRS memory state then
    changes)."""


ANSWERS_SQL = "ease BETWEEN 1 AND 4 AND NOT (type = ? AND factor = 0)"
"""Review-log rows that are answers that schedule the card: a button press, not a manual
reschedule (no button), nor a preview in a filtered deck that does not reschedule (logged as
a filtered review with no ease: Anki's own scheduler ignores those too)."""


def _card_list(card_ids: Iterable[int]) -> str:
    """Card ids as one SQL parameter (`json_each`): a day's sync may ask about 100,000."""
    return json.dumps(sorted(card_ids))


def _answer_stamps(db: DBProxy, card_ids: Iterable[int]) -> dict[int, str]:
    """Each card's answers in Anki's log as their ids (Unix milliseconds), `anki_merge.joined`,
    in two queries (asking the library for each card's log took 10,000 calls for 10,000
    cards: most of a steady sync). The first reads only Anki's index of the log by card (the
    rows are not read, nor sorted: the index keeps each card's entries in id order; another
    order would make a card look changed, never hide a change); the second finds the few
    entries that are no answers (one pass over the table, cheaper than a lookup per row), and
    only their cards are joined again without them."""
    listed = _card_list(card_ids)
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
        found[cid] = anki_merge.joined(set(_stamps(found[cid])) - ids)
    return found


def _anki_answers(db: DBProxy, card_ids: Iterable[int]) -> dict[int, list[_AnkiAnswer]]:
    """The cards' answers in Anki's log (`ANSWERS_SQL`), newest first as the library lists
    them."""
    found: dict[int, list[_AnkiAnswer]] = {}
    for cid, revlog_id, ease, taken_ms in db.all(
        "SELECT cid, id, ease, time FROM revlog"
        f" WHERE cid IN (SELECT value FROM json_each(?)) AND {ANSWERS_SQL}"
        " ORDER BY cid, id DESC",
        _card_list(card_ids),
        REVLOG_FILTERED,
    ):
        found.setdefault(cid, []).append(_AnkiAnswer(revlog_id, ANKI_TO_GRADE[ease], taken_ms))
    return found


def _stamps(joined: str) -> list[int]:
    """The milliseconds of an `anki_merge.joined` list."""
    return [int(stamp) for stamp in joined.split(",")] if joined else []


def _count_and_last(joined: str) -> tuple[int, int | None]:
    """How many answers an `anki_merge.joined` list has, and the last one's second."""
    if not joined:
        return 0, None
    return joined.count(",") + 1, int(joined.rpartition(",")[2]) // 1000


def _match(mine: list[anki_merge.LoggedAnswer], theirs: list[_AnkiAnswer]) -> dict[int, int]:
    """The answers that are the same on both sides, as positions (in `mine` -> in `theirs`):
    the same millisecond (an answer's copy has its moment as its id), else, for an answer of
    ours logged before the log kept milliseconds, the same second (its copy has the first
    free id in that second)."""
    free: dict[int, list[int]] = {}
    for position, theirs_answer in enumerate(theirs):
        free.setdefault(theirs_answer.stamp, []).append(position)
    pairs = {}
    for position, answer in enumerate(mine):
        if free.get(answer.key):
            pairs[position] = free[answer.key].pop()
    legacy = [p for p, answer in enumerate(mine) if answer.stamp is None and p not in pairs]
    if legacy:
        taken = set(pairs.values())
        by_second: dict[int, list[int]] = {}
        for position, theirs_answer in enumerate(theirs):
            if position not in taken:
                by_second.setdefault(theirs_answer.second, []).append(position)
        for position in legacy:
            if by_second.get(mine[position].second):
                pairs[position] = by_second[mine[position].second].pop()
    return pairs


def _moment(stamp: int) -> datetime:
    """Unix milliseconds as local time, read in the machine's zone now."""
    return datetime.fromtimestamp(stamp // 1000).replace(microsecond=stamp % 1000 * 1000)


@dataclass
class _Reads:
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
    """A card's answers in Anki's log: their seconds, `anki_merge.joined`."""
    answers: dict[int, list[_AnkiAnswer]] = field(default_factory=dict)
    """The answers of the cards whose log differs from the trainer's, in full."""


class _Syncer:
    def __init__(
        self,
        col: Collection,
        connection: sqlite3.Connection,
        context: Context,
        write: _Writes,
        reads: _Reads,
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
        self.identity = anki_merge.identity(connection, context.bank) or context.source.identity
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

    def run(self) -> None:
        from anki.collection import Config

        self._fsrs = bool(self.col.get_config("fsrs", False))
        self._nfc = self.col.get_config_bool(Config.Bool.NORMALIZE_NOTE_TEXT)
        self._last_write = self.col.get_config(self._last_write_key, None)
        self.reviews(self.notes())
        if anki_merge.identity(self.connection, self.context.bank) != self.identity:
            self.write()
            anki_merge.remember_identity(self.connection, self.context.bank, self.identity)
        if self.write.used:  # after every note this sync wrote: their mod is not later
            self.col.set_config(self._last_write_key, int(time.time()))

    @property
    def _last_write_key(self) -> str:
        """The collection's config entry that keeps when a sync of this bank last wrote it:
        a note modified later was edited in Anki."""
        return f"{LAST_WRITE_KEY}:{self.identity}"

    # -- bank -> Anki -----------------------------------------------------------------------

    def notes(self) -> dict[str, AnkiNote]:
        """Bring the collection's notes in line with the bank; returns them by bank note id."""
        source = self.context.source
        type_ids = {kind: self._note_type(kind) for kind in models.MODELS}
        if self.reads.notes is None:
            self.reads.notes = self._our_notes(type_ids.values())
            self._read_cards(type_ids.values())
        existing = self.reads.notes
        guid = {note.id: note_guid(self.identity, note.id) for note, _ in source.notes}
        elsewhere = self._other_types_guids([g for g in guid.values() if g not in existing])
        self.plan.left_alone = [note_id for note_id, g in guid.items() if g in elsewhere]
        matches = [
            _NoteMatch(render(note, citations), existing.get(guid[note.id]))
            for note, citations in source.notes
            if guid[note.id] not in elsewhere
        ]
        card_decks = {
            self._card(card_id).current_deck_id()
            for match in matches
            if match.anki is not None
            for card_id in self._card_ids(match.anki)
        }
        self._refuse_retype(matches, type_ids)
        deck_id = self._deck_id(source.deck_name, card_decks)
        self._deck_name = self.col.decks.name(deck_id)
        self._retype(matches, type_ids)
        for match in matches:
            if match.anki is None:
                self._add(match.rendered, guid[match.rendered.id], type_ids, deck_id)
            else:
                self._update(match)
                self._move(match, deck_id)
        self._mark_removed(existing)
        plan = self.plan
        reshaped = plan.added or plan.retyped or plan.deleted
        current = self._our_notes(type_ids.values()) if reshaped else existing
        return {note_id: current[g] for note_id, g in guid.items() if g in current}

    def _other_types_guids(self, missing: list[str]) -> set[str]:
        """Those of `missing` (GUIDs of bank notes not among the trainer's note types) that a
        note of another type has: the user changed its type in Anki. Such a note is left as
        the user made it; adding the bank's note again would give two notes one GUID, which
        breaks later imports and syncs."""
        if not missing:
            return set()
        if self.reads.guids is None:
            self.reads.guids = {guid for (guid,) in self._db.all("SELECT guid FROM notes")}
        return self.reads.guids.intersection(missing)

    def _note_type(self, kind: str) -> int:
        col, model = self.col, models.MODELS[kind]
        existing = col.models.by_name(model.name)
        if existing is not None:
            fields = [spec["name"] for spec in existing["flds"]]
            wanted = list(model.fields)
            if fields != wanted:
                raise TrainerError(
                    f"the collection's note type {model.name!r} has the fields "
                    f"{', '.join(fields)}; the trainer's has {', '.join(wanted)}. Rename the "
                    "collection's note type (Tools > Manage Note Types) and sync again; "
                    "nothing was changed"
                )
            self._restyle(existing, model)
            return int(existing["id"])
        self.write()
        notetype = col.models.new(model.name)
        if model.cloze:
            notetype["type"] = MODEL_CLOZE
        for name in model.fields:
            col.models.add_field(notetype, col.models.new_field(name))
        for spec in model.templates:
            template = col.models.new_template(spec["name"])
            template["qfmt"], template["afmt"] = spec["qfmt"], spec["afmt"]
            col.models.add_template(notetype, template)
        notetype["css"] = model.css
        notetype["sortf"] = model.sort_field_index
        self.plan.note_types.append(model.name)
        return int(col.models.add(notetype).id)

    def _restyle(self, notetype: NotetypeDict, model: models.NoteType) -> None:
        """The trainer's templates and styling into its note type, as a package's import
        brings them (a new card script, a fix to night mode). Only the text of the templates
        it has, by name: a template the user added or renamed is left as it is (adding or
        removing one would change the note type's schema)."""
        wanted = {spec["name"]: (spec["qfmt"], spec["afmt"]) for spec in model.templates}
        templates = [t for t in notetype["tmpls"] if t["name"] in wanted]
        stale = [t for t in templates if (t["qfmt"], t["afmt"]) != wanted[t["name"]]]
        if not stale and notetype["css"] == model.css:
            return
        self.write()
        for template in stale:
            template["qfmt"], template["afmt"] = wanted[template["name"]]
        notetype["css"] = model.css
        self.col.models.update_dict(notetype)
        self.plan.restyled.append(model.name)

    def _our_notes(self, type_ids: Iterable[int]) -> dict[str, AnkiNote]:
        """Notes of the trainer's note types, by GUID."""
        found: dict[str, AnkiNote] = {}
        for type_id in type_ids:
            for note_id in self.col.find_notes(f"mid:{type_id}"):
                note = self.col.get_note(note_id)
                found[note.guid] = note
        return found

    def _read_cards(self, type_ids: Iterable[int]) -> None:
        """Every card of the trainer's note types, by one search per note type (asking each
        note for its cards took twice as long: 0.13 s against 0.08 s for 10,000 notes)."""
        for type_id in type_ids:
            for card_id in self.col.find_cards(f"mid:{type_id}"):
                card = self._cards[card_id] = self.col.get_card(card_id)
                self._note_cards.setdefault(card.nid, []).append(card_id)

    def _deck_id(self, name: str, card_decks: set[DeckId]) -> DeckId:
        """The bank's deck: renamed from the one deck holding its cards if the name changed."""
        decks = self.col.decks
        existing = decks.id_for_name(name)
        if existing is not None:
            return existing
        self.write()
        if len(card_decks) == 1:
            (old_id,) = card_decks
            old = decks.get(old_id, default=False)
            if old is not None and old_id != DEFAULT_DECK_ID:
                self.plan.deck = f"rename {old['name']!r} to {name!r}"
                decks.rename(old_id, name)
                return old_id
        self.plan.deck = f"create {name!r}"
        created = decks.id(name, create=True)
        assert created is not None  # create=True
        return created

    def _refuse_retype(self, matches: list[_NoteMatch], type_ids: dict[str, int]) -> None:
        """Stop before any note's type is changed unless the user accepted what that does to
        their next AnkiWeb sync (`Context.allow_full_sync`), as Anki's own dialog asks."""
        if self.context.allow_full_sync:
            return
        changed = [
            match.rendered.id
            for match in matches
            if match.anki is not None and match.anki.mid != type_ids[match.rendered.kind]
        ]
        if changed:
            shown = ", ".join(changed[:5]) + (
                f" and {len(changed) - 5} more" if changed[5:] else ""
            )
            raise TrainerError(
                f"the type of {len(changed)} note(s) changed in the bank ({shown}). Changing a "
                "note's type in Anki is a schema change: Anki's next sync with AnkiWeb will be a "
                "one-way full sync, and reviews made on other devices and not yet synced are lost "
                "if you upload. Sync every device with AnkiWeb first, then run trainer sync "
                "--allow-full-sync. Nothing was changed"
            )

    def _retype(self, matches: list[_NoteMatch], type_ids: dict[str, int]) -> None:
        """Anki's change-notetype, per (old, new) pair: cards whose template survives (by
        position) keep their history; the fields are then written by `_update`."""
        groups: dict[tuple[int, int], list[int]] = {}
        for match in matches:
            wanted = type_ids[match.rendered.kind]
            if match.anki is not None and match.anki.mid != wanted:
                groups.setdefault((match.anki.mid, wanted), []).append(match.anki.id)
                self.plan.retyped.append(match.rendered.id)
        for (old, new), note_ids in groups.items():
            self.write()
            info = self.col.models.change_notetype_info(
                old_notetype_id=old,  # type: ignore[arg-type]
                new_notetype_id=new,  # type: ignore[arg-type]
            )
            request = info.input
            request.note_ids.extend(note_ids)
            self.col.models.change_notetype_of_notes(request)
            self._cards.clear()
            self._note_cards.clear()
        for match in matches:
            if match.anki is not None and match.rendered.id in self.plan.retyped:
                match.anki.load()

    def _add(
        self, rendered: RenderedNote, guid: str, type_ids: dict[str, int], deck_id: DeckId
    ) -> None:
        self.write()
        note = self.col.new_note(self.col.models.get(type_ids[rendered.kind]))  # type: ignore[arg-type]
        note.guid = guid
        note.fields = list(rendered.fields)
        note.tags = list(rendered.tags)
        self.col.add_note(note, deck_id)
        self.plan.added.append(rendered.id)

    def _update(self, match: _NoteMatch) -> None:
        """Fields as the bank has them; the bank's tags added, the user's own tags kept. Both
        compared as Anki stores them (`trainer.anki.stored`), so a note Anki normalised is
        not rewritten by every sync."""
        note, rendered = match.anki, match.rendered
        assert note is not None
        fields = [stored.field(text, self._nfc) for text in rendered.fields]
        have = {tag.casefold() for tag in note.tags}
        missing = [tag for tag in stored.tags(rendered.tags) if tag.casefold() not in have]
        marked = REMOVED_TAG in have
        if note.fields == fields and not missing and not marked:
            return
        if note.fields != fields and self._last_write is not None and note.mod > self._last_write:
            self.plan.edited.append(rendered.id)
        self.write()
        note.fields = fields
        note.tags = [tag for tag in note.tags if tag.casefold() != REMOVED_TAG] + missing
        self.col.update_note(note)
        self._note_cards.pop(note.id, None)  # a new cloze number gives the note a new card
        if rendered.id not in self.plan.retyped:
            self.plan.updated.append(rendered.id)

    def _move(self, match: _NoteMatch, deck_id: DeckId) -> None:
        assert match.anki is not None
        name = self._deck_name
        outside = [
            card_id
            for card_id in self._card_ids(match.anki)
            if not _in_deck(self.col, deck_id, name, self._card(card_id).current_deck_id())
        ]
        if outside:
            self.write()
            self.col.set_deck(outside, deck_id)
            for card_id in outside:
                del self._cards[card_id]
            self.plan.moved.append(match.rendered.id)

    def _mark_removed(self, existing: dict[str, AnkiNote]) -> None:
        """Notes the trainer knew (its database keeps retired items) that left the bank."""
        current = {note.id for note, _ in self.context.source.notes}
        doomed = []
        for note_id in sorted(
            set(anki_merge.known_note_ids(self.connection, self.context.bank)) - current
        ):
            note = existing.get(note_guid(self.identity, note_id))
            if note is None:
                continue
            if self.context.delete_removed:
                doomed.append(note.id)
                self.plan.deleted.append(note_id)
            elif not note.has_tag(REMOVED_TAG):
                self.write()
                note.add_tag(REMOVED_TAG)
                self.col.update_note(note)
                self.plan.removed.append(note_id)
        if doomed:
            self.write()
            self.col.remove_notes(doomed)

    # -- reviews both ways ------------------------------------------------------------------

    def reviews(self, notes: dict[str, AnkiNote]) -> None:
        """Compare each item's answers on both sides by their seconds; only items whose sides
        differ are read in full, matched answer by answer and replayed."""
        seconds = anki_merge.answer_stamps(self.connection, self.context.bank)
        stored = anki_merge.schedules(self.connection, self.context.bank)
        cards: dict[str, int] = {}
        for item in self.context.source.items:
            note = notes.get(item.note.id)
            card_id = self._card_of(note, item.ord) if note is not None else None
            if card_id is not None and item.id in stored:
                cards[item.id] = card_id
        theirs = self._anki_seconds(cards.values())
        full = self._full_answers(
            card_id
            for item_id, card_id in cards.items()
            if theirs[card_id] != seconds.get(item_id, "")
        )
        work: list[_CardWork] = []
        differing: dict[str, tuple[int, list[_AnkiAnswer]]] = {}
        for item_id, card_id in cards.items():
            answered, last = _count_and_last(theirs[card_id])
            if card_id in full:
                differing[item_id] = (card_id, full[card_id])
            elif stored[item_id].schedule.due_day is not None:
                work.append(_CardWork(card_id, stored[item_id], answered, [], last))
        self._adopt_orphans(differing, seconds)
        imports, updates = self._merge(differing, stored, work)
        self.plan.to_trainer, self.plan.trainer_schedules = len(imports), len(updates)
        if imports or updates:
            self.write()  # the backup comes before the database's share too: one pass writes
            anki_merge.write(self.connection, self.context.bank, imports, updates)
        self._copy_answers(work)
        moved = self._exam_moves()
        for card in work:
            item_id = card.schedule.item_id
            self._write_card(card, moved[item_id][1] if item_id in moved else None)
        if self._forget:
            self.write()
            self.col.sched.schedule_cards_as_new(
                self._forget,  # type: ignore[arg-type]
                restore_position=True,
                reset_counts=True,
            )
            self.plan.anki_schedules += len(self._forget)

    def _exam_moves(self) -> dict[str, tuple[date, date]]:
        """The cards the deck's exam plan moves today, on the merged schedules (the trainer's
        share of the sync is written by now): Anki gets their exam due days, the ones `trainer
        cards` and the trainer's queue show."""
        source, context = self.context.source, self.context
        return exam_plan.moves(
            self.connection, context.bank, source.exam, source.settings, context.today
        )

    def _adopt_orphans(
        self, differing: dict[str, tuple[int, list[_AnkiAnswer]]], seconds: dict[str, str]
    ) -> None:
        """Give a card with no answers in Anki the review-log rows its item's answers left
        when its note was deleted (`--delete-removed`, or in Anki) and the bank brought it
        back: Anki keeps a deleted card's log, and copying the answers again would count
        each twice in Anki. A deleted card's rows are its item's when each of their seconds
        is one of the item's answers."""
        empty = {item_id: card_id for item_id, (card_id, theirs) in differing.items() if not theirs}
        if not empty:
            return
        orphans: dict[int, Counter[int]] = {}
        for revlog_id, card_id in self._db.all(
            "SELECT id, cid FROM revlog WHERE cid NOT IN (SELECT id FROM cards)"
        ):
            orphans.setdefault(card_id, Counter())[revlog_id // 1000] += 1
        for item_id, card_id in empty.items():
            ours = Counter(stamp // 1000 for stamp in _stamps(seconds.get(item_id, "")))
            fitting = [old for old, counts in orphans.items() if not counts - ours]
            if not fitting:
                continue
            old = max(fitting, key=lambda candidate: orphans[candidate].total())
            self.write()
            self._db.execute("UPDATE revlog SET cid = ?, usn = -1 WHERE cid = ?", card_id, old)
            self.plan.adopted += orphans.pop(old).total()
            differing[item_id] = (card_id, _anki_answers(self._db, [card_id]).get(card_id, []))

    def _anki_seconds(self, card_ids: Iterable[int]) -> dict[int, str]:
        """The cards' answers in Anki's log as their seconds (`anki_merge.joined`), read once
        per sync."""
        known = self.reads.answered
        unread = [card_id for card_id in card_ids if card_id not in known]
        if unread:
            found = _answer_stamps(self._db, unread)
            known |= {card_id: found.get(card_id, "") for card_id in unread}
        return known

    def _full_answers(self, card_ids: Iterable[int]) -> dict[int, list[_AnkiAnswer]]:
        """The answers of `card_ids` (those whose log differs from the trainer's) in full,
        read once per sync."""
        wanted = list(card_ids)
        known = self.reads.answers
        unread = [card_id for card_id in wanted if card_id not in known]
        if unread:
            found = _anki_answers(self._db, unread)
            known |= {card_id: found.get(card_id, []) for card_id in unread}
        return {card_id: known[card_id] for card_id in wanted}

    def _merge(
        self,
        differing: dict[str, tuple[int, list[_AnkiAnswer]]],
        stored: dict[str, anki_merge.ItemSchedule],
        work: list[_CardWork],
    ) -> tuple[list[anki_merge.Imported], list[anki_merge.ItemSchedule]]:
        """Answer-by-answer matching for the items whose two logs differ."""
        imports: list[anki_merge.Imported] = []
        updates: list[anki_merge.ItemSchedule] = []
        ours = anki_merge.answers_by_item(self.connection, self.context.bank, set(differing))
        undone = anki_merge.undone(self.connection, self.context.bank, set(differing))
        stamps: dict[int, int] = {}
        for item_id, (card_id, all_theirs) in differing.items():
            mine = [a for a in ours.get(item_id, []) if a.kind in REVLOG_TYPES]
            pairs = _match(mine, all_theirs)
            stamps |= {
                mine[m].entry: all_theirs[t].stamp
                for m, t in pairs.items()
                if mine[m].stamp is None
            }
            unmatched = [a for t, a in enumerate(all_theirs) if t not in pairs.values()]
            taken_back = {a.second for a in unmatched} & undone.get(item_id, set())
            theirs = all_theirs
            if taken_back:
                theirs = self._withdraw(card_id, all_theirs, taken_back)
                pairs = _match(mine, theirs)
            from_anki = [a for a in unmatched if a.second not in taken_back]
            to_anki = [answer for m, answer in enumerate(mine) if m not in pairs]
            answered = len(mine) + len(from_anki)
            last = max([a.second for a in theirs] + [a.second for a in mine], default=None)
            schedule = stored[item_id]
            if from_anki:
                schedule, steps = self._replay(item_id, mine, from_anki)
                imports += steps
                if schedule != stored[item_id]:
                    updates.append(schedule)
            if schedule.schedule.due_day is not None:
                new = bool(from_anki or to_anki)
                work.append(_CardWork(card_id, schedule, answered, to_anki, last, new))
            elif taken_back and not theirs:
                self._forget.append(card_id)  # its only answers were undone: new again
        anki_merge.stamp(self.connection, stamps)  # once: then found by their millisecond
        return imports, updates

    def _withdraw(
        self, card_id: int, theirs: list[_AnkiAnswer], seconds: set[int]
    ) -> list[_AnkiAnswer]:
        """Anki's answers to the card less those at `seconds`: copies of answers undone in the
        trainer since. They are taken out of Anki's log while AnkiWeb has not got them yet
        (usn -1: a deletion would not reach the other devices after that); returns the
        answers that stay in Anki's log."""
        gone = []
        for second in sorted(seconds):
            gone += self._db.list(
                "SELECT id FROM revlog WHERE cid = ? AND id BETWEEN ? AND ? AND usn = -1",
                card_id,
                second * 1000,
                second * 1000 + 999,
            )
        if gone:
            self.write()
            self._db.executemany("DELETE FROM revlog WHERE id = ?", [(i,) for i in gone])
            self.plan.undone += len(gone)
        return [a for a in theirs if a.stamp not in gone]

    def _replay(
        self, item_id: str, mine: list[anki_merge.LoggedAnswer], from_anki: list[_AnkiAnswer]
    ) -> tuple[anki_merge.ItemSchedule, list[anki_merge.Imported]]:
        """The merged history through the deck's scheduler. Only needed when Anki brought
        answers: otherwise the trainer's schedule already is its log replayed (a review session
        and every sync keep it so). Both sides' answers are placed by their Unix time, read in
        the machine's zone now: the local time the trainer logged was the zone's of then, and
        after a move it would put them out of order with Anki's."""
        imported = [(Answer(_moment(a.stamp), a.grade), a) for a in from_anki]
        # Known by the answer itself, not its value: one of ours may equal one of Anki's (the
        # same card and grade in the same second), and only Anki's is copied.
        answer_ms = {id(answer): anki.answer_ms for answer, anki in imported}
        answers = [Answer(_moment(a.key), a.grade) for a in mine if a.kind in REVLOG_TYPES]
        source = self.context.source
        result = replay(
            [*answers, *(answer for answer, _ in imported)], source.day_starts_at, source.settings
        )
        steps = [
            anki_merge.Imported(item_id, step, answer_ms[id(step.answer)])
            for step in result.steps
            if id(step.answer) in answer_ms
        ]
        return anki_merge.ItemSchedule(item_id, result.schedule, result.lapses), steps

    def _card_of(self, note: AnkiNote, ord_: int) -> int | None:
        for card_id in self._card_ids(note):
            if self._card(card_id).ord == ord_:
                return int(card_id)
        return None

    @property
    def _db(self) -> DBProxy:
        assert self.col.db is not None  # open until the caller closes it
        return self.col.db

    def _copy_answers(self, work: list[_CardWork]) -> None:
        """Copy the trainer's answers into Anki's review log, in one statement (one call into
        the library per answer took 7 minutes for 200,000). The library has no call that adds
        a review log entry, so this is an INSERT; usn -1 marks the rows, like every change the
        library makes, for AnkiWeb's next sync. Ids are milliseconds, which Anki reads back as
        the answer's moment: the answer's own (`LoggedAnswer.key`), or the first free one after
        it, which the trainer's log then records (`anki_merge.stamp`), as it does for an answer
        logged before it kept milliseconds: each is then known by its millisecond."""
        answers = [(card.card_id, answer) for card in work for answer in card.to_anki]
        if not answers:
            return
        self.write()
        keys = [answer.key for _, answer in answers]
        taken = set(
            self._db.list(
                "SELECT id FROM revlog WHERE id BETWEEN ? AND ?", min(keys), max(keys) + 999
            )
        )
        rows = []
        stamps = {}
        next_free: dict[int, int] = {}  # by key: where to look next (answers may share one)
        for card_id, answer in answers:
            revlog_id = next_free.get(answer.key, answer.key)
            while revlog_id in taken:
                revlog_id += 1
            next_free[answer.key] = revlog_id + 1
            taken.add(revlog_id)
            if revlog_id != answer.stamp:
                stamps[answer.entry] = revlog_id
            rows.append(
                (
                    revlog_id,
                    card_id,
                    anki_button(answer.grade),
                    answer.interval_after,
                    answer.interval_before,
                    answer.easiness_after * FACTOR_PER_HUNDREDTH,
                    min(answer.answer_ms, MAX_ANSWER_MS),
                    REVLOG_TYPES[answer.kind],
                )
            )
        self._db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        anki_merge.stamp(self.connection, stamps)  # before Anki's transaction commits
        self.plan.to_anki += len(rows)

    def _write_card(self, work: _CardWork, exam_day: date | None) -> None:
        """Set the card's schedule (its answers are in Anki's log by now: `_copy_answers`), due
        on `exam_day` when the deck's exam plan moves it."""
        col = self.col
        schedule, lapses = work.schedule.schedule, work.schedule.lapses
        assert schedule.due_day is not None
        card = self._card(work.card_id)
        due = self._anki_today + ((exam_day or schedule.due_day) - self.context.today).days
        factor = schedule.easiness_hundredths * FACTOR_PER_HUNDREDTH
        reps = max(card.reps, work.answered)
        filtered = bool(card.odid)  # in a filtered deck: its own due is kept in odue
        queue = card.queue if card.queue < 0 or filtered else QUEUE_REVIEW  # suspend, bury
        wanted = (CARD_TYPE_REVIEW, queue, schedule.interval, due, factor, lapses, reps)
        have = (
            card.type,
            card.queue,
            card.ivl,
            card.odue if filtered else card.due,
            card.factor,
            card.lapses,
            card.reps,
        )
        stale_time = work.last_answer is not None and card.last_review_time != work.last_answer
        if have == wanted and not stale_time and not work.new_answers:
            return
        self.write()
        card.type, card.queue, card.ivl = CARD_TYPE_REVIEW, queue, schedule.interval  # type: ignore[assignment]
        if filtered:
            card.odue = due
        else:
            card.due = due
        card.factor, card.lapses, card.reps, card.left = factor, lapses, reps, 0
        if work.last_answer is not None:
            card.last_review_time = work.last_answer
        if self._fsrs:
            self._memory_state(card)
        col.update_card(card)
        if have != wanted or stale_time:
            self.plan.anki_schedules += 1

    def _memory_state(self, card: AnkiCard) -> None:
        """Anki's FSRS memory state of the card computed from its review log as it is now
        (with the answers just copied in), as Anki's own answer would leave it."""
        from anki.cards import FSRSMemoryState

        computed = self.col.compute_memory_state(card.id)
        if computed.stability is not None and computed.difficulty is not None:
            card.memory_state = FSRSMemoryState(
                stability=computed.stability, difficulty=computed.difficulty
            )
        card.desired_retention = computed.desired_retention
        card.decay = computed.decay


def summary(plan: Plan, dry_run: bool) -> list[str]:
    head = "dry run (nothing was changed); the sync would do:" if dry_run else "synced:"
    return [head, *(f"  {line}" for line in plan.lines())]
