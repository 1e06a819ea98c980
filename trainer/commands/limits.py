"""`trainer limits`: show the deck's daily limits, or change them for good (in the bank)."""

from __future__ import annotations

import argparse

from trainer.bank import load_bank
from trainer.bankedit import set_deck_settings
from trainer.core.limits import (
    DEFAULT_EXAM_WINDOW,
    DEFAULT_NEW_PER_DAY,
    DEFAULT_REDRILL_AFTER,
    DEFAULT_REVIEWS_PER_DAY,
)
from trainer.model import Deck
from trainer.visible import visible

SETTINGS = (
    ("new_per_day", "new cards per day", DEFAULT_NEW_PER_DAY),
    ("reviews_per_day", "reviews per day", DEFAULT_REVIEWS_PER_DAY),
    ("redrill_after", "answers before a failed card comes back", DEFAULT_REDRILL_AFTER),
)


def describe(deck: Deck) -> list[str]:
    lines = []
    for name, words, default in SETTINGS:
        value = getattr(deck, name)
        lines.append(f"{words}: {default} (default)" if value is None else f"{words}: {value}")
    if deck.exam is not None:
        window = f"{deck.exam_window}" if deck.exam_window else f"{DEFAULT_EXAM_WINDOW} (default)"
        lines.append(f"exam: {deck.exam.isoformat()}, reviewed in the last {window} days")
    else:
        lines.append("exam: none")
    return lines


def _wanted(args: argparse.Namespace) -> dict[str, object]:
    wanted: dict[str, object] = {
        name: getattr(args, name) for name, _, _ in SETTINGS if getattr(args, name) is not None
    }
    if args.exam is not None:
        wanted["exam"] = None if args.exam == "none" else args.exam
    if args.exam_window is not None:
        wanted["exam_window"] = args.exam_window
    return wanted


def run(args: argparse.Namespace) -> int:
    wanted = _wanted(args)
    if wanted:
        set_deck_settings(args.bank, wanted)
        print(
            f"{visible(str(args.bank), one_line=True)}: saved in the deck; from the next review on:"
        )
    for line in describe(load_bank(args.bank).deck):
        print(f"  {line}" if wanted else line)
    return 0
