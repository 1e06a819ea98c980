"""`trainer limits`: show the deck's daily limits, or change them for good (in the bank)."""

from __future__ import annotations

import argparse

from trainer.bank import load_bank
from trainer.bankedit import set_deck_settings
from trainer.model import Deck
from trainer.queue import DEFAULT_NEW_PER_DAY, DEFAULT_REDRILL_AFTER, DEFAULT_REVIEWS_PER_DAY
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
    return lines


def run(args: argparse.Namespace) -> int:
    wanted = {
        name: getattr(args, name) for name, _, _ in SETTINGS if getattr(args, name) is not None
    }
    if wanted:
        set_deck_settings(args.bank, wanted)
        print(
            f"{visible(str(args.bank), one_line=True)}: saved in the deck; from the next review on:"
        )
    for line in describe(load_bank(args.bank).deck):
        print(f"  {line}" if wanted else line)
    return 0
