"""Limits, caps and defaults: the numbers the deck settings fall back on and the caps every
side applies."""

from __future__ import annotations

DEFAULT_DAY_STARTS_AT = 4
"""Hour (local time) at which a study day begins, as in Anki."""
DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200
DEFAULT_REDRILL_AFTER = 3
"""Answers given after a failure before the failed card comes back."""
DEFAULT_EXAM_WINDOW = 14
"""Days before the exam in which every learned card is reviewed once more. Two weeks: a whole
deck at a fourteenth of it a day on top of the plain reviews, and room for a card failed in
the window to be relearned before the exam. In the simulation (`bench/exam.py`,
docs/exam-day.md) 14 days left as many or more cards at the target on the day as 10 or 7, with
fewer reviews: more cards fall due inside a longer window by themselves."""
MIN_EXAM_WINDOW, MAX_EXAM_WINDOW = 1, 60
DEFAULT_SCHEDULER = "sm2"
"""The scheduler of a deck that names none (`trainer.schedulers.SCHEDULERS`)."""
DEFAULT_DESIRED_RETENTION = 0.9
MIN_DESIRED_RETENTION, MAX_DESIRED_RETENTION = 0.7, 0.99
"""The range Anki allows for FSRS's desired retention."""
MAX_COUNT = 1_000_000
"""The largest per-day limit or count a bank or the command line may set."""
HOURS_PER_DAY = 24

LEECH_FAILURES = 8
"""An item failed (grade below 3, in scheduled answers) this often is tagged leech and suspended."""

MAX_ANSWER_MS = 60_000
"""The longest answer time logged: Anki caps a revlog's answer time at a minute by default,
and a card left on screen is not a minute's thought."""
