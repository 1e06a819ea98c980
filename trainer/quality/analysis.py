"""One reading of each note, made once and shared by every rule: each field's text lower-cased,
its words and key words, the card's question and answers. The rules used to re-derive these
note by note, rule by rule (most of their time at 100,000 cards, profiled)."""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.model import BasicNote, ClozeNote, McqNote, Note
from trainer.quality.text import ANSWER_WORDS, DELETION_RE, KEYS, WORDS, plain


class Text:
    """One field's text as the rules read it: lower-cased, split at white space, and its key
    words; its words and answer words when first asked for."""

    __slots__ = ("_answer_words", "_words", "keys", "lower", "pieces", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.pieces = text.split()
        self.keys = set(KEYS.of(self.pieces))
        self._words: list[str] | None = None
        self._answer_words: set[str] | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = list(WORDS.of(self.pieces))
        return self._words

    @property
    def answer_words(self) -> set[str]:
        if self._answer_words is None:
            self._answer_words = set(ANSWER_WORDS.of(self.pieces))
        return self._answer_words


@dataclass(slots=True)
class Card:
    """A note and its reading. `asked` is the question and answer side, as (field, text): what
    the learner recalls (a cloze's text with its deletions filled in); `prompt` the question
    (among `asked`); `answers` what a right answer says."""

    note: Note
    asked: list[tuple[str, Text]]
    prompt: Text
    answers: list[Text]
    aside: str = field(init=False)
    """The extra (or a multiple choice's explanation): where a card explains itself."""
    fact: set[str] = field(init=False)
    """The key words of the question and the answer together: the fact the card tests."""

    def __post_init__(self) -> None:
        note = self.note
        self.aside = getattr(note, "extra", None) or getattr(note, "explanation", None) or ""
        if isinstance(note, McqNote):
            self.fact = self.prompt.keys | self.answers[0].keys
        else:
            self.fact = set().union(*(text.keys for _, text in self.asked))


@dataclass(slots=True)
class BasicCard(Card):
    note: BasicNote
    front: Text = field(init=False)
    back: Text = field(init=False)

    def __post_init__(self) -> None:
        self.front, self.back = self.asked[0][1], self.asked[1][1]
        Card.__post_init__(self)


@dataclass(slots=True)
class ClozeCard(Card):
    note: ClozeNote


@dataclass(slots=True)
class McqCard(Card):
    note: McqNote

    @property
    def choices(self) -> list[Text]:
        return [text for _, text in self.asked[1:]]


def analyse(note: Note) -> Card:
    """The note's reading; every rule gets it from here, once per note."""
    if isinstance(note, BasicNote):
        front, back = Text(note.front), Text(note.back)
        answers = [back] if note.type == "basic" else [back, front]
        return BasicCard(note, [("front", front), ("back", back)], front, answers)
    if isinstance(note, ClozeNote):
        text = Text(plain(note.text))
        answers = [Text(answer) for answer in DELETION_RE.findall(note.text)]
        return ClozeCard(note, [("text", text)], text, answers)
    if isinstance(note, McqNote):
        question = Text(note.question)
        choices = [(f"choices[{index}]", Text(choice)) for index, choice in enumerate(note.choices)]
        return McqCard(
            note, [("question", question), *choices], question, [choices[note.answer][1]]
        )
    raise TypeError(f"no reading for a {note.type} note")
