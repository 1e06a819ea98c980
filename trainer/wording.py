"""Small wording helpers shared by the command line and the trainer's screens."""

from __future__ import annotations


def noun(count: int, word: str) -> str:
    """`noun(1, "day")` -> "day", `noun(3, "day")` -> "days"."""
    return word if count == 1 else word + "s"


def plural(count: int, word: str) -> str:
    """`plural(1, "day")` -> "1 day", `plural(3, "day")` -> "3 days"."""
    return f"{count} {noun(count, word)}"
