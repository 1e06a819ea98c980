"""Review items as rich `Text`: pure, no Textual, no I/O.

Card text is literal (`[red]`, `<b>`, `&`, emoji mean themselves), so every piece of it is added
with `Text.append`; nothing built here is ever parsed as markup. Every piece passes through
`trainer.visible.visible` on the way, so a control character shows as a symbol (`␛`) instead of
reaching the terminal.
"""

from __future__ import annotations

from rich.text import Text

from trainer.core.grades import MCQ_GRADE_RIGHT, MCQ_GRADE_WRONG, Grade
from trainer.core.kinds import AnswerKind
from trainer.model import ReviewItem
from trainer.notetypes import NOTE_TYPES
from trainer.notetypes.base import (
    CHOSEN,
    GAP,
    LETTER,
    OTHER,
    PLAIN,
    REVEALED,
    RIGHT,
    WRONG,
    Pieces,
)
from trainer.visible import visible

DAYS_PER_MONTH = 30
DAYS_PER_YEAR = 365

KIND_LABELS: dict[str, str] = {AnswerKind.REDRILL: "re-drill"}
"""Kinds whose word on screen is not their name."""

STYLE_GAP = "bold cyan"
STYLE_REVEALED = "bold black on bright_green"
STYLE_ANSWER = "bold"
STYLE_RIGHT = "bold green"
STYLE_WRONG = "bold red"
STYLE_OTHER_CHOICE = "dim"
STYLE_NOTE = "italic dim"
STYLE_SOURCE = "dim"
STYLE_NEW = "bold blue"
STYLE_REVIEW = "bold green"
STYLE_REDRILL = "bold red"
STYLES = {
    PLAIN: "",
    GAP: STYLE_GAP,
    REVEALED: STYLE_REVEALED,
    CHOSEN: STYLE_ANSWER,
    RIGHT: STYLE_RIGHT,
    WRONG: STYLE_WRONG,
    OTHER: STYLE_OTHER_CHOICE,
    LETTER: "bold",
}
"""The style of each part a piece of a card plays (`trainer.notetypes.base`)."""


def type_label(item: ReviewItem) -> str:
    """`cloze c2`, `reverse (back → front)`, `mcq`, ... for the line above the card."""
    return NOTE_TYPES[item.note.type].item_label(item)


def card_caption(item: ReviewItem, kind: str) -> Text:
    """`re-drill · date · cloze c1` in dim text."""
    parts = (KIND_LABELS.get(kind, kind), item.note.category, type_label(item))
    return Text(visible(" · ".join(parts), one_line=True))


def _text(pieces: Pieces) -> Text:
    rendered = Text()
    for piece, part in pieces:
        rendered.append(visible(piece), STYLES[part])
    return rendered


def question(item: ReviewItem, picked: int | None = None) -> Text:
    """What the card asks, before the answer is shown (as its note type shows it)."""
    return _text(NOTE_TYPES[item.note.type].question(item, picked))


def answer(item: ReviewItem, picked: int | None = None) -> Text:
    """The card once revealed: question and answer together, the answer emphasised."""
    return _text(NOTE_TYPES[item.note.type].answer(item, picked))


def choices(item: ReviewItem) -> int:
    """How many choices a letter can pick on the card (0: its answer is recalled)."""
    choice = NOTE_TYPES[item.note.type].choice
    return 0 if choice is None else choice(item.note)[0]


def notes(item: ReviewItem, citation: str) -> Text:
    """The small print under an answer: extra or explanation, then the sources."""
    note = item.note
    extra = getattr(note, NOTE_TYPES[note.type].aside)
    rendered = Text()
    if extra:
        rendered.append(visible(extra), STYLE_NOTE)
        rendered.append("\n")
    rendered.append("Source: ", STYLE_SOURCE + " bold")
    rendered.append(visible(citation), STYLE_SOURCE)
    return rendered


def suggested_grade(item: ReviewItem, picked: int | None) -> int | None:
    """For a card answered by picking a choice: Good (4) if right, Wrong (1) if wrong."""
    choice = NOTE_TYPES[item.note.type].choice
    if choice is None or picked is None:
        return None
    return MCQ_GRADE_RIGHT if picked == choice(item.note)[1] else MCQ_GRADE_WRONG


def interval(days: int) -> str:
    """Days until the next review, compactly: `1d`, `6d`, `4mo`, `1.2y`."""
    if days < DAYS_PER_MONTH * 3:
        return f"{days}d"
    if days < DAYS_PER_YEAR:
        return f"{round(days / DAYS_PER_MONTH)}mo"
    return f"{days / DAYS_PER_YEAR:.1f}y"


SUGGESTED_MARK = "\u25b6 "
"""Before the suggested grade's label: marked in text, not by colour alone (NO_COLOR)."""


def grade_label(quality: int, days: int | None, *, suggested: bool = False) -> str:
    """`4 Good · 6d` as shown on the grade buttons; `▶ 4 Good · 6d` if suggested."""
    label = f"{quality} {Grade(quality).label}"
    label = label if days is None else f"{label} · {interval(days)}"
    return SUGGESTED_MARK + label if suggested else label


def counts(new: int, review: int, redrill: int) -> Text:
    """`New 5  Review 12  Re-drill 2`, coloured like Anki's queues."""
    rendered = Text()
    for label, number, style in (
        ("New", new, STYLE_NEW),
        ("Review", review, STYLE_REVIEW),
        ("Re-drill", redrill, STYLE_REDRILL),
    ):
        if rendered:
            rendered.append("  ")
        rendered.append(f"{label} ")
        rendered.append(str(number), style if number else "dim")
    return rendered


def duration(seconds: int) -> str:
    """`4:05` under an hour, `1h 02m` above."""
    minutes, seconds = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}:{seconds:02d}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"
