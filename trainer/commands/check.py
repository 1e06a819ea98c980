"""`trainer check`: validate the bank and print a one-line summary."""

from __future__ import annotations

import argparse
from collections import Counter

from trainer.bank import load_bank
from trainer.model import CARD_TYPES, CATEGORIES, Bank


def _counts(counter: Counter, order: tuple[str, ...]) -> str:
    return ", ".join(f"{counter[key]} {key}" for key in order if counter[key])


def summary(bank: Bank) -> str:
    """E.g. `cards.yaml: OK, 12 notes (4 basic, ...), 17 review items (...); by category: ...`."""
    notes_by_type = Counter(note.type for note in bank.notes)
    items_by_type = Counter(item.note.type for item in bank.items)
    by_category = Counter(note.category for note in bank.notes)
    return (
        f"{bank.path}: OK, {len(bank.notes)} notes ({_counts(notes_by_type, CARD_TYPES)}), "
        f"{len(bank.items)} review items ({_counts(items_by_type, CARD_TYPES)}); "
        f"by category: {_counts(by_category, CATEGORIES)}"
    )


def run(args: argparse.Namespace) -> int:
    print(summary(load_bank(args.bank)))
    return 0
