"""`mcq`: a question, 2-6 choices and the letter of the right one; one review item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trainer.model import CHOICE_LETTERS, McqNote
from trainer.notetypes.base import Checker, Entries, NoteType

MIN_CHOICES, MAX_CHOICES = 2, 6


def check(checker: Checker, entries: Entries, values: dict[str, object], where: str) -> None:
    """The choices are 2-6 distinct texts; the answer is one letter naming one of them."""
    choices = _choices(checker, entries["choices"][1], where) if "choices" in entries else None
    values["choices"] = choices
    if "answer" not in entries:
        return
    node = entries["answer"][1]
    letter = checker.text(node, f"{where}: 'answer'")
    if letter is None:
        values["answer"] = None
        return
    letter = letter.lower()
    if len(letter) != 1 or letter not in CHOICE_LETTERS:
        checker.report(node, f"{where}: 'answer' must be one letter a-f, not {letter!r}")
        values["answer"] = None
    elif choices is not None and CHOICE_LETTERS.index(letter) >= len(choices):
        last = CHOICE_LETTERS[len(choices) - 1]
        checker.report(node, f"{where}: answer {letter!r} is not one of the choices (a-{last})")
        values["answer"] = None
    else:
        values["answer"] = CHOICE_LETTERS.index(letter)


def _choices(checker: Checker, node: Any, where: str) -> tuple[str, ...] | None:
    nodes = checker.elements(node)
    if nodes is None:
        checker.report(node, f"{where}: 'choices' must be a list of {MIN_CHOICES}-{MAX_CHOICES}")
        return None
    if not MIN_CHOICES <= len(nodes) <= MAX_CHOICES:
        checker.report(
            node,
            f"{where}: an mcq needs {MIN_CHOICES} to {MAX_CHOICES} choices, not {len(nodes)}",
        )
        return None
    read = [checker.text(choice, f"{where}: a choice") for choice in nodes]
    choices = [choice for choice in read if choice is not None]
    if len(choices) < len(read):
        return None
    for choice_node, choice in _repeats(nodes, choices):
        checker.report(choice_node, f"{where}: choice {choice!r} is listed twice")
        return None
    return tuple(choices)


def _repeats(nodes: list[Any], values: list[str]) -> Iterator[tuple[Any, str]]:
    seen: set[str] = set()
    for node, value in zip(nodes, values, strict=True):
        if value in seen:
            yield node, value
        seen.add(value)


MCQ = NoteType(
    McqNote,
    {"question": True, "choices": True, "answer": True, "explanation": False},
    check,
    read_by_check=("choices", "answer"),
)
