"""`trainer check`: validate the bank, print a one-line summary and card-quality warnings.

Warnings go to stderr compiler style (`FILE:LINE:COL: warning: ... [rule]`); they leave the exit
code at 0 unless `--strict` asks for a bank without any.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from trainer import quality
from trainer.bank import load_bank
from trainer.errors import EXIT_INPUT
from trainer.model import CARD_TYPES, CATEGORIES, Bank
from trainer.visible import visible
from trainer.wording import plural


def _counts(counter: Counter, order: tuple[str, ...]) -> str:
    return ", ".join(f"{counter[key]} {key}" for key in order if counter[key])


def summary(bank: Bank) -> str:
    """E.g. `cards.yaml: OK, 12 notes (4 basic, ...), 17 review items (...); by category: ...`."""
    notes_by_type = Counter(note.type for note in bank.notes)
    items_by_type = Counter(item.note.type for item in bank.items)
    by_category = Counter(note.category for note in bank.notes)
    notes = plural(len(bank.notes), "note")
    return (
        f"{bank.path}: OK, {notes} ({_counts(notes_by_type, CARD_TYPES)}), "
        f"{plural(len(bank.items), 'review item')} ({_counts(items_by_type, CARD_TYPES)}); "
        f"by category: {_counts(by_category, CATEGORIES)}"
    )


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args.bank)
    print(visible(summary(bank), one_line=True))
    warnings = quality.check(bank)
    for warning in warnings:
        print(visible(warning.render(str(args.bank)), one_line=True), file=sys.stderr)
    if warnings:
        verdict = " (--strict: failing)" if args.strict else ""
        print(f"{plural(len(warnings), 'warning')}{verdict}", file=sys.stderr)
    return EXIT_INPUT if args.strict and warnings else 0
