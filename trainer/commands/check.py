"""`trainer check`: validate the bank, print a one-line summary and card-quality warnings.

Warnings go to stderr compiler style (`FILE:LINE:COL: warning: ... [rule]`); they leave the exit
code at 0 unless `--strict` asks for a bank without any. `--sources DIR` names a folder of the
articles the bank is written from, and turns on `copied-run`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from trainer import quality
from trainer.bank import load_bank
from trainer.copying import Sources, article_text
from trainer.errors import EXIT_INPUT, TrainerError
from trainer.model import CATEGORIES, Bank
from trainer.notetypes import CARD_TYPES
from trainer.visible import visible
from trainer.wording import plural


def _counts(counter: Counter[str], order: tuple[str, ...]) -> str:
    return ", ".join(f"{counter[key]} {key}" for key in order if counter[key])


def summary(bank: Bank, verdict: str = "OK") -> str:
    """E.g. `cards.yaml: OK, 12 notes (4 basic, ...), 17 cards (...); by category: ...`."""
    notes_by_type = Counter(note.type for note in bank.notes)
    items_by_type = Counter(item.note.type for item in bank.items)
    by_category = Counter(note.category for note in bank.notes)
    notes = plural(len(bank.notes), "note")
    return (
        f"{bank.path}: {verdict}, {notes} ({_counts(notes_by_type, CARD_TYPES)}), "
        f"{plural(len(bank.items), 'card')} ({_counts(items_by_type, CARD_TYPES)}); "
        f"by category: {_counts(by_category, CATEGORIES)}"
    )


def _exam_warnings(bank: Bank) -> list[quality.CardWarning]:
    """A past exam day: the schedule aims at nothing any more (plain scheduling is back)."""
    from trainer import clock

    exam = bank.deck.exam
    if exam is None or exam >= clock.now().date():
        return []
    message = f"deck: 'exam' {exam.isoformat()} is in the past; the schedule is the plain one"
    return [quality.CardWarning(bank.deck.exam_line, 3, "exam-past", "", message)]


def _rendered(warnings: list[quality.CardWarning], file: str) -> str:
    """The warnings' lines, each made visible on one line, as one text: written at once, not
    line by line (tens of thousands in a large bank)."""
    lines = [warning.render(file) for warning in warnings]
    text = "\n".join(lines)
    if text.count("\n") == len(lines) - 1:  # no line break inside a warning: one translation
        return visible(text) + "\n"
    return "".join(visible(line, one_line=True) + "\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    try:
        sources = read_sources(args.sources) if args.sources is not None else None
    except TrainerError:
        load_bank(args.bank)  # the bank's own errors first
        raise
    with quality.Check(sources) as checking:  # the rules begin while a large bank loads
        bank = load_bank(args.bank, checking.begin)
        warnings = checking.warnings(bank) + _exam_warnings(bank)
    failing = args.strict and bool(warnings)
    verdict = f"NOT OK under --strict ({plural(len(warnings), 'warning')})" if failing else "OK"
    print(visible(summary(bank, verdict), one_line=True))
    if warnings:
        sys.stderr.write(_rendered(warnings, str(args.bank)))
        note = " (--strict: failing)" if args.strict else ""
        print(f"{plural(len(warnings), 'warning')}{note}", file=sys.stderr)
    return EXIT_INPUT if failing else 0


def read_sources(folder: Path) -> Sources:
    """Every file directly in `folder`, read as an article (a JSON export as its strings)."""
    try:
        paths = sorted(path for path in folder.iterdir() if path.is_file())
        articles = [
            (path.name, article_text(path.read_text(encoding="utf-8", errors="replace")))
            for path in paths
        ]
    except OSError as error:
        raise TrainerError(f"--sources {folder}: {error.strerror or error}") from None
    if not articles:
        raise TrainerError(f"--sources {folder}: the folder holds no files to compare with")
    return Sources.of(articles)
