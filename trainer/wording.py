"""Small wording helpers shared by the command line and the trainer's screens."""

from __future__ import annotations

from datetime import datetime


def noun(count: int, word: str) -> str:
    """`noun(1, "day")` -> "day", `noun(3, "day")` -> "days"."""
    return word if count == 1 else word + "s"


def plural(count: int, word: str) -> str:
    """`plural(1, "day")` -> "1 day", `plural(3, "day")` -> "3 days"."""
    return f"{count} {noun(count, word)}"


def when(moment: datetime, now: datetime) -> str:
    """`today at 18:00`, `tomorrow at 04:00`, or `Mon 9 Mar 2026 at 04:00`."""
    days = (moment.date() - now.date()).days
    day = {0: "today", 1: "tomorrow"}.get(days, f"{moment:%a} {moment.day} {moment:%b %Y}")
    return f"{day} at {moment:%H:%M}"
