"""The `trainer` command line.

Start-up is kept lean: only argparse is imported here; each command's module (and with it
YAML, genanki, Textual or SQLite) is imported when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from trainer import __version__
from trainer.errors import EXIT_INPUT, EXIT_USAGE, BankError, TrainerError
from trainer.visible import visible
from trainer.wording import plural

DEFAULT_BANK = "cards.yaml"

COMMANDS = {
    "check": "validate the bank and summarise it",
    "build": "write the Anki package (.apkg) for the bank",
    "review": "review today's cards in the terminal",
    "stats": "review statistics",
    "due": "print how many review items are due now",
}


def _bank_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "bank",
        nargs="?",
        type=Path,
        default=Path(DEFAULT_BANK),
        metavar="BANK",
        help=f"the card bank (default: ./{DEFAULT_BANK})",
    )


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="review database (default: $TRAINER_DB, else the user data directory)",
    )


def _positive_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, not {text!r}")
    return int(text)


class _Parser(argparse.ArgumentParser):
    """Usage errors quote the user's arguments: shown with their control characters visible."""

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        super()._print_message(visible(message), file)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="trainer",
        description="Build Anki decks from a YAML card bank and review it with SM-2.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers = {
        name: commands.add_parser(name, help=text, description=text)
        for name, text in COMMANDS.items()
    }
    for name, sub in subparsers.items():
        _bank_argument(sub)
        if name in ("review", "stats", "due"):
            _db_argument(sub)
    subparsers["check"].add_argument(
        "--strict",
        action="store_true",
        help="also fail (exit 1) on card-quality warnings",
    )
    subparsers["build"].add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="package path; DIR/ (ending in /) puts <deck-slug>.apkg in DIR, creating it "
        "(default: decks/<deck-slug>.apkg next to the bank)",
    )
    subparsers["stats"].add_argument(
        "--json", action="store_true", help="print one JSON object instead of tables"
    )
    review = subparsers["review"]
    review.add_argument(
        "--new-per-day",
        type=_positive_int,
        metavar="N",
        help="new cards per day (default: the deck's setting, else 20)",
    )
    review.add_argument(
        "--reviews-per-day",
        type=_positive_int,
        metavar="N",
        help="reviews per day (default: the deck's setting, else 200)",
    )
    review.add_argument(
        "--tag", metavar="TAG", help="study only cards with this tag (a cram session)"
    )
    review.add_argument(
        "--reschedule",
        action="store_true",
        help="with --tag: let the cram session change schedules",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        command = importlib.import_module(f"trainer.commands.{args.command}")
        return command.run(args)
    except BankError as error:
        for problem in error.problems:
            print(visible(str(problem), one_line=True), file=sys.stderr)
        count = len(error.problems)
        print(f"{plural(count, 'problem')} found", file=sys.stderr)
        return error.exit_code
    except TrainerError as error:
        print(f"trainer: error: {visible(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("trainer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `trainer stats | head`)
        return EXIT_INPUT
