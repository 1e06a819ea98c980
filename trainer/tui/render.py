"""Review items as rich `Text`: pure, no Textual, no I/O.

Card text is literal (`[red]`, `<b>`, `&`, emoji mean themselves), so every piece of it is added
with `Text.append`; nothing built here is ever parsed as markup. Every piece passes through
`trainer.visible.visible` on the way, so a control character shows as a symbol (`␛`) instead of
reaching the terminal.
"""

from __future__ import annotations

from rich.text import Text

from trainer import cloze
from trainer.core.grades import MCQ_GRADE_RIGHT, MCQ_GRADE_WRONG, Grade
from trainer.core.kinds import AnswerKind
from trainer.model import CHOICE_LETTERS, BasicNote, ClozeNote, McqNote, ReverseNote, ReviewItem
from trainer.notetypes import NOTE_TYPES
from trainer.visible import visible

CLOZE_GAP = cloze.GAP
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


def type_label(item: ReviewItem) -> str:
    """`cloze c2`, `reverse (back → front)`, `mcq`, ... for the line above the card."""
    note = item.note
    if item.cloze_number is not None:
        return f"cloze c{item.cloze_number}"
    if note.type == ReverseNote.type:
        return "reverse (back → front)" if item.is_reverse else "reverse (front → back)"
    return note.type


def card_caption(item: ReviewItem, kind: str) -> Text:
    """`re-drill · date · cloze c1` in dim text."""
    parts = (KIND_LABELS.get(kind, kind), item.note.category, type_label(item))
    return Text(visible(" · ".join(parts), one_line=True))


def _asked_side(note: BasicNote, reverse: bool) -> tuple[str, str]:
    asked, expected = (note.back, note.front) if reverse else (note.front, note.back)
    return visible(asked), visible(expected)


def _cloze(text: str, number: int, *, revealed: bool) -> Text:
    """The cloze text with deletions `number` hidden (`[...]`/`[hint]`) or highlighted."""
    rendered = Text()
    for segment in cloze.parse(text):
        if isinstance(segment, str):
            rendered.append(visible(segment))
        elif segment.number != number:
            rendered.append(visible(segment.answer))
        elif revealed:
            rendered.append(visible(segment.answer), STYLE_REVEALED)
        else:
            gap = f"[{visible(segment.hint)}]" if segment.hint else CLOZE_GAP
            rendered.append(gap, STYLE_GAP)
    return rendered


def _choice_style(index: int, note: McqNote, picked: int | None, revealed: bool) -> str:
    if not revealed:
        return STYLE_ANSWER if index == picked else ""
    if index == note.answer:
        return STYLE_RIGHT
    return STYLE_WRONG if index == picked else STYLE_OTHER_CHOICE


def _choice_mark(index: int, note: McqNote, picked: int | None, revealed: bool) -> str:
    if revealed and index == note.answer:
        return "✓ "
    if revealed and index == picked:
        return "✗ "
    return "  "


def _mcq(note: McqNote, picked: int | None, *, revealed: bool) -> Text:
    rendered = Text(visible(note.question))
    rendered.append("\n")
    for index, choice in enumerate(note.choices):
        style = _choice_style(index, note, picked, revealed)
        rendered.append("\n")
        rendered.append(_choice_mark(index, note, picked, revealed), style)
        rendered.append(f"{CHOICE_LETTERS[index]})", "bold")
        rendered.append(" ")
        rendered.append(visible(choice), style)
    return rendered


def question(item: ReviewItem, picked: int | None = None) -> Text:
    """What the card asks, before the answer is shown."""
    note = item.note
    if isinstance(note, ClozeNote):
        return _cloze(note.text, item.cloze_number or 1, revealed=False)
    if isinstance(note, McqNote):
        return _mcq(note, picked, revealed=False)
    if isinstance(note, BasicNote):
        return Text(_asked_side(note, item.is_reverse)[0])
    raise TypeError(f"unknown note type {note.type!r}")


def answer(item: ReviewItem, picked: int | None = None) -> Text:
    """The card once revealed: question and answer together, the answer emphasised."""
    note = item.note
    if isinstance(note, ClozeNote):
        return _cloze(note.text, item.cloze_number or 1, revealed=True)
    if isinstance(note, McqNote):
        rendered = _mcq(note, picked, revealed=True)
        if picked is not None:
            verdict = "Right!" if picked == note.answer else f"The answer is {note.answer_letter})."
            rendered.append("\n\n")
            rendered.append(verdict, STYLE_RIGHT if picked == note.answer else STYLE_WRONG)
        return rendered
    if isinstance(note, BasicNote):
        asked, expected = _asked_side(note, item.is_reverse)
        rendered = Text(asked)
        rendered.append("\n\n")
        rendered.append(expected, STYLE_RIGHT)
        return rendered
    raise TypeError(f"unknown note type {note.type!r}")


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
    """For a multiple-choice card answered with a letter: Good (4) if right, Wrong (1) if wrong."""
    if not isinstance(item.note, McqNote) or picked is None:
        return None
    return MCQ_GRADE_RIGHT if picked == item.note.answer else MCQ_GRADE_WRONG


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
