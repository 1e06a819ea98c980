"""One reading of each note, made once and shared by every rule: each field's text lower-cased,
its words and key words, the card's question and answers. The rules used to re-derive these
note by note, rule by rule (most of their time at 100,000 cards, profiled)."""

from __future__ import annotations

from itertools import chain

from trainer.model import CHOICE_LETTERS, Note, expand
from trainer.notetypes import NOTE_TYPES
from trainer.notetypes.base import REVEALED, RIGHT
from trainer.notetypes.basic import BasicNote
from trainer.notetypes.cloze import ClozeNote
from trainer.notetypes.mcq import McqNote
from trainer.notetypes.reverse import ReverseNote
from trainer.quality.text import ANSWER_WORDS, CLOZE_PART_RE, KEYS, WORDS


class Text:
    """One field's text as the rules read it: split at white space (`pieces`), and when first
    asked for, its key words, lower-cased, its words and answer words (each a set)."""

    __slots__ = ("_answer_words", "_keys", "_lower", "_words", "pieces", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces = text.split()
        self._keys: set[str] | None = None
        self._lower: str | None = None
        self._words: set[str] | None = None
        self._answer_words: set[str] | None = None

    @property
    def keys(self) -> set[str]:
        if self._keys is None:
            self._keys = KEYS.set_of(self.pieces)
        return self._keys

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def words(self) -> set[str]:
        if self._words is None:
            self._words = WORDS.set_of(self.pieces)
        return self._words

    @property
    def answer_words(self) -> set[str]:
        if self._answer_words is None:
            self._answer_words = ANSWER_WORDS.set_of(self.pieces)
        return self._answer_words


CHOICE_FIELDS = tuple(f"choices[{index}]" for index in range(len(CHOICE_LETTERS)))
"""Where a warning about each option points."""


class Card:
    """A note and its reading. `asked` is the question and answer side, as (field, text): what
    the learner recalls (a cloze's text with its deletions filled in); `prompt` the question
    (among `asked`); `pieces` every piece of the texts asked, in order; `answers` what a right
    answer says; `fact` the key words of the question and the answer together (the fact the
    card tests); `aside` the extra (or a multiple choice's explanation), where a card explains
    itself. The card types below set these themselves, without a call up: one call less for
    each of a bank's notes."""

    __slots__ = ("answers", "aside", "asked", "fact", "note", "pieces", "prompt")

    def __init__(
        self,
        note: Note,
        asked: list[tuple[str, Text]],
        answers: list[Text],
        fact: set[str],
        aside: str | None,
    ) -> None:
        self.note = note
        self.asked = asked
        self.prompt = asked[0][1]
        self.pieces = list(chain.from_iterable(text.pieces for _, text in asked))
        self.answers = answers
        self.fact = fact
        self.aside = aside or ""


class BasicCard(Card):
    __slots__ = ("back", "front")
    note: BasicNote

    def __init__(self, note: BasicNote) -> None:
        self.note = note
        self.front = self.prompt = front = Text(note.front)
        self.back = back = Text(note.back)
        self.asked = [("front", front), ("back", back)]
        self.answers = [back, front] if isinstance(note, ReverseNote) else [back]
        self.pieces = pieces = front.pieces + back.pieces
        self.fact = KEYS.set_of(pieces)
        self.aside = note.extra or ""


class ClozeCard(Card):
    """`parts`: the note's text split at its deletions (text, number, answer, text, ...)."""

    __slots__ = ("parts",)
    note: ClozeNote

    def __init__(self, note: ClozeNote) -> None:
        self.note = note
        self.parts = parts = CLOZE_PART_RE.split(note.text)
        filled = parts.copy()
        del filled[1::3]  # each deletion's number: its answer in its place
        self.prompt = text = Text("".join(filled))
        self.asked = [("text", text)]
        self.answers = [Text(answer) for answer in parts[2::3]]
        self.pieces = text.pieces
        self.fact = text.keys
        self.aside = note.extra or ""


class McqCard(Card):
    __slots__ = ("choices",)
    note: McqNote

    def __init__(self, note: McqNote) -> None:
        self.note = note
        self.prompt = question = Text(note.question)
        self.choices = choices = [Text(choice) for choice in note.choices]
        self.asked = [("question", question), *zip(CHOICE_FIELDS, choices, strict=False)]
        right = choices[note.answer]
        self.answers = [right]
        self.pieces = list(chain.from_iterable([text.pieces for _, text in self.asked]))
        self.fact = question.keys | right.keys
        self.aside = note.explanation or ""


def analyse(note: Note) -> Card:
    """The note's reading; every rule gets it from here, once per note."""
    if isinstance(note, BasicNote):
        return BasicCard(note)
    if isinstance(note, ClozeNote):
        return ClozeCard(note)
    if isinstance(note, McqNote):
        return McqCard(note)
    return declared_card(note)


def declared_card(note: Note) -> Card:
    """A note of a type the rules were not written for, read from its declaration
    (`trainer.notetypes`): its text fields asked (the first declared is the question), what its
    shown answer marks right its answers, its declared small print its aside."""
    note_type = NOTE_TYPES[note.type]
    values = {name: getattr(note, name) for name in note_type.fields if name != note_type.aside}
    asked = [(name, Text(value)) for name, value in values.items() if isinstance(value, str)]
    shown = [note_type.answer(item, None) for item in expand(note)[:1]]
    answers = [Text(text) for pieces in shown for text, part in pieces if part in (RIGHT, REVEALED)]
    aside = getattr(note, note_type.aside, None)
    fact = set().union(*(text.keys for _, text in asked))
    return Card(note, asked or [("", Text(note.prompt))], answers, fact, aside)
