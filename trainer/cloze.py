"""Anki cloze syntax: `{{c1::answer}}` and `{{c2::answer::hint}}`.

Pure parsing shared by the validator (malformed braces), the model (which cloze numbers a
note has), and the trainer (what to hide and highlight).
"""

import re
from functools import lru_cache
from typing import NamedTuple

OPEN, CLOSE, SEPARATOR = "{{", "}}", "::"
GAP = "[...]"
"""What stands for a hidden deletion without a hint."""
_HEAD_RE = re.compile(r"c([0-9]+)::")  # not \d: other scripts' digits are not Anki's
_TOKEN_RE = re.compile(r"\{\{|\}\}")
_NUMBER_RE = re.compile(r"\{\{c([0-9]+)::")
MAX_NUMBER = 65_536
"""Anki stores a card's ordinal (cloze number - 1) in 16 bits: it refuses a whole package
with `{{c65537::...}}` (measured with the official `anki` package, 26.09.3)."""


class Deletion(NamedTuple):
    number: int
    answer: str
    hint: str | None = None


Segment = str | Deletion


class ClozeSyntaxError(ValueError):
    """A malformed cloze; `offset` is the index in the text where the problem starts."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def _excerpt(text: str, start: int, width: int = 30) -> str:
    snippet = text[start : start + width]
    return snippet + ("..." if start + width < len(text) else "")


def _deletion(text: str, start: int) -> tuple[Deletion, int]:
    """Parse the deletion opening at `start`; return it and the index after its `}}`."""
    head = _HEAD_RE.match(text, start + len(OPEN))
    if head is None:
        raise ClozeSyntaxError(
            f"malformed cloze deletion {_excerpt(text, start)!r}: expected '{{{{c1::...}}}}'",
            start,
        )
    digits = head.group(1).lstrip("0")
    if not digits:
        raise ClozeSyntaxError("cloze numbers start at 1 ('c0' is not allowed)", start)
    if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
        raise ClozeSyntaxError(
            f"cloze number {_excerpt(digits, 0, 12)} is too large: Anki accepts up to {MAX_NUMBER}",
            start,
        )
    number = int(digits)
    body_start = head.end()
    close = text.find(CLOSE, body_start)
    if close < 0:
        raise ClozeSyntaxError(
            f"unclosed cloze deletion {_excerpt(text, start)!r}: missing '}}}}'", start
        )
    nested = text.find(OPEN, body_start, close)
    if nested >= 0:
        raise ClozeSyntaxError("nested cloze deletions are not supported", nested)
    answer, _, hint = text[body_start:close].partition(SEPARATOR)
    if not answer.strip():
        raise ClozeSyntaxError(f"empty cloze deletion {_excerpt(text, start)!r}", start)
    return Deletion(number, answer, hint.strip() or None), close + len(CLOSE)


@lru_cache(maxsize=4096)
def parse(text: str) -> tuple[Segment, ...]:
    """Split text into plain strings and deletions; raise `ClozeSyntaxError` if malformed."""
    segments: list[Segment] = []
    position = 0
    while (token := _TOKEN_RE.search(text, position)) is not None:
        if token.group() == CLOSE:
            raise ClozeSyntaxError("'}}' without an opening '{{'", token.start())
        if token.start() > position:
            segments.append(text[position : token.start()])
        deletion, position = _deletion(text, token.start())
        segments.append(deletion)
    if position < len(text):
        segments.append(text[position:])
    return tuple(segments)


def numbers(text: str) -> tuple[int, ...]:
    """The distinct cloze numbers of a valid text, ascending.

    A valid text has no nested deletions, so every `{{cN::` opens a deletion: a regular
    expression finds them at a tenth of the cost of `parse`, which matters when 100,000 notes
    are expanded at start-up."""
    return tuple(sorted({int(number) for number in _NUMBER_RE.findall(text)}))


def asked(text: str, number: int) -> str:
    """The text as cloze `number` asks it, plain: its deletions as `[hint]` or GAP, the others
    as their answers."""
    return "".join(
        segment
        if isinstance(segment, str)
        else segment.answer
        if segment.number != number
        else f"[{segment.hint}]"
        if segment.hint
        else GAP
        for segment in parse(text)
    )
