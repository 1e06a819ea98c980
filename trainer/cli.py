"""The `trainer` command line.

Start-up is kept lean: each command's module (and with it YAML, genanki, Textual or SQLite)
is imported when that command runs, and argparse only for arguments that are not plain (see
`plain_arguments`).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import importlib
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from trainer import __version__
from trainer.core.limits import (
    DEFAULT_EXAM_WINDOW,
    DEFAULT_NEW_PER_DAY,
    DEFAULT_REVIEWS_PER_DAY,
    MAX_EXAM_WINDOW,
    MIN_EXAM_WINDOW,
)
from trainer.errors import EXIT_INPUT, EXIT_USAGE, BankError, TrainerError
from trainer.visible import visible
from trainer.wording import plural

if TYPE_CHECKING:
    import argparse

    from _typeshed import SupportsWrite

DEFAULT_BANK = "cards.yaml"
LIBRARY_COMMANDS = ("review", "stats", "due", "cards")
"""Commands over the review database: without BANK they cover every bank it knows."""

COMMANDS = {
    "check": "validate the bank and summarise it",
    "build": "write the Anki package (.apkg) for the bank",
    "review": "review today's cards in the terminal",
    "stats": "review statistics",
    "due": "print how many cards are due now",
    "sync": "two-way sync with an Anki collection (Anki closed): notes, reviews, one schedule",
    "cards": "list the cards with their state, due day and schedule",
    "limits": "show the daily limits, or change them for good (in the bank's deck)",
    "banks": "list the banks the review database knows, or forget one",
}


def _bank_argument(parser: argparse.ArgumentParser, *, library: bool) -> None:
    help_text = (
        f"only this card bank (default: every bank the database knows; ./{DEFAULT_BANK} "
        "while it knows none)"
        if library
        else f"the card bank (default: ./{DEFAULT_BANK})"
    )
    parser.add_argument(
        "bank",
        nargs="?",
        type=Path,
        default=None if library else Path(DEFAULT_BANK),
        metavar="BANK",
        help=help_text,
    )


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="review database (default: $TRAINER_DB, else the user data directory)",
    )


def _positive_int(text: str) -> int:
    import argparse

    from trainer.core.limits import MAX_COUNT
    from trainer.model import whole_number

    number = whole_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"expected a whole number 0-{MAX_COUNT}, not {text!r}")
    return number


def _exam_day(text: str) -> str:
    """`none`, or a date as the bank writes it."""
    import argparse

    from trainer.exam import exam_day

    if text == "none" or exam_day(text) is not None:
        return text
    raise argparse.ArgumentTypeError(
        f"expected a date like 2027-05-24 (1970-01-02 to 9899-12-31) or none, not {text!r}"
    )


def _exam_window(text: str) -> int:
    import argparse

    number = _positive_int(text)
    if not MIN_EXAM_WINDOW <= number <= MAX_EXAM_WINDOW:
        raise argparse.ArgumentTypeError(
            f"expected {MIN_EXAM_WINDOW}-{MAX_EXAM_WINDOW} days, not {text!r}"
        )
    return number


def _check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--strict",
        action="store_true",
        help="also fail (exit 1) on card-quality warnings",
    )
    check.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="a folder of the articles the bank is written from (text files, or JSON exports): "
        "warn about runs of words copied from them [copied-run]",
    )


def _build_options(build: argparse.ArgumentParser) -> None:
    build.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="package path; DIR/ (ending in /) puts <deck-slug>.apkg in DIR, creating it "
        "(default: decks/<deck-slug>.apkg next to the bank)",
    )
    build.add_argument(
        "--collection",
        type=Path,
        metavar="PATH",
        help="your Anki collection.anki2 (Anki closed): changed notes keep the tags you gave "
        "them in Anki",
    )


def _stats_options(stats: argparse.ArgumentParser) -> None:
    stats.add_argument(
        "--json", action="store_true", help="print one JSON object instead of tables"
    )


def _sync_options(anki_sync: argparse.ArgumentParser) -> None:
    anki_sync.add_argument(
        "--collection",
        type=Path,
        metavar="PATH",
        help="the Anki collection (default: the usual Anki profile's collection.anki2)",
    )
    anki_sync.add_argument(
        "--dry-run", action="store_true", help="print what the sync would do; change nothing"
    )
    anki_sync.add_argument(
        "--delete-removed",
        action="store_true",
        help="delete notes that left the bank from Anki (default: tag them trainer-removed)",
    )
    anki_sync.add_argument(
        "--allow-full-sync",
        action="store_true",
        help="give notes whose type changed in the bank their new type in Anki: a schema "
        "change, so Anki's next AnkiWeb sync is a one-way full sync (sync every device first)",
    )
    anki_sync.add_argument(
        "--server",
        metavar="URL",
        help="sync through a self-hosted Anki sync server (python -m anki.syncserver) instead "
        "of a collection file: the trainer is one more device on it",
    )
    anki_sync.add_argument(
        "--login",
        action="store_true",
        help="with --server: ask the user name and password (the password is not stored) and "
        "keep the server's session key",
    )
    anki_sync.add_argument(
        "--logout", action="store_true", help="forget the kept session key of the sync server"
    )
    anki_sync.add_argument(
        "--full-sync",
        choices=("download", "upload"),
        help="with --server, when the server needs a one-way full sync: keep the server's "
        "collection (download) or the trainer's (upload)",
    )


def _cards_options(cards: argparse.ArgumentParser) -> None:
    cards.add_argument("--search", metavar="TEXT", help="only cards whose text contains TEXT")
    cards.add_argument("--tag", metavar="TAG", help="only cards with this tag")
    cards.add_argument("--json", action="store_true", help="print one JSON object")


def _banks_options(banks: argparse.ArgumentParser) -> None:
    banks.add_argument("--json", action="store_true", help="print one JSON object")
    banks.add_argument(
        "--forget",
        metavar="NAME",
        help="delete this bank (its deck name, deck id or file) and its history from the "
        "database, after a backup in backups/ beside it",
    )
    banks.add_argument("--yes", action="store_true", help="with --forget: do not ask first")


def _limits_options(limits: argparse.ArgumentParser) -> None:
    for option, help_text in (
        ("--new-per-day", "new cards per day"),
        ("--reviews-per-day", "reviews per day"),
        ("--redrill-after", "answers given before a failed card comes back"),
    ):
        limits.add_argument(option, type=_positive_int, metavar="N", help=help_text)
    limits.add_argument(
        "--exam",
        type=_exam_day,
        metavar="DATE|none",
        help="the exam day the schedule aims at (YYYY-MM-DD), or none to drop it",
    )
    limits.add_argument(
        "--exam-window",
        type=_exam_window,
        metavar="N",
        help="days before the exam in which every learned card is reviewed"
        f" (default {DEFAULT_EXAM_WINDOW})",
    )


def _review_options(review: argparse.ArgumentParser) -> None:
    review.add_argument(
        "--new-per-day",
        type=_positive_int,
        metavar="N",
        help=f"new cards today (default: the deck's setting, else {DEFAULT_NEW_PER_DAY};"
        " `trainer limits` changes it for good)",
    )
    review.add_argument(
        "--reviews-per-day",
        type=_positive_int,
        metavar="N",
        help=f"reviews today (default: the deck's setting, else {DEFAULT_REVIEWS_PER_DAY})",
    )
    review.add_argument(
        "--tag", metavar="TAG", help="study only cards with this tag (a cram session)"
    )
    review.add_argument(
        "--reschedule",
        action="store_true",
        help="with --tag: let the cram session change schedules",
    )


_OPTIONS = {
    "check": _check_options,
    "build": _build_options,
    "stats": _stats_options,
    "sync": _sync_options,
    "cards": _cards_options,
    "banks": _banks_options,
    "limits": _limits_options,
    "review": _review_options,
}
"""Each command's own options, besides BANK and --db."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, the parser of that one command (see `main`)."""
    import argparse

    class Parser(argparse.ArgumentParser):
        """Usage errors quote the user's arguments: shown with their control characters
        visible."""

        def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
            super()._print_message(visible(message), file)

    parser = Parser(
        prog="trainer",
        description="Build Anki decks from a YAML card bank and review it with SM-2.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in COMMANDS.items():
        if only is None or name == only:
            sub = commands.add_parser(name, help=text, description=text)
            if name != "banks":
                _bank_argument(sub, library=name in LIBRARY_COMMANDS)
            if name in (*LIBRARY_COMMANDS, "sync", "banks"):
                _db_argument(sub)
            _OPTIONS.get(name, _no_options)(sub)
    return parser


def _no_options(parser: argparse.ArgumentParser) -> None:
    """`due` has only BANK and --db."""


PLAIN_FLAGS = {"due": (), "stats": ("--json",)}
"""The commands of a shell prompt or a status bar, and their flags: their arguments are read
without argparse when plain (`plain_arguments`)."""


def plain_arguments(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of `due` or `stats` when they are plain: at most one BANK, `--db PATH` at
    most once, each of the command's flags at most once, as argparse would read them; None for
    anything else, which argparse reads, with its help and its errors.

    Hand-written because argparse costs `trainer due` 24M instructions (callgrind: importing
    it, building even one command's parser, parsing), an eighth of the command, where a bare
    python costs 99M; tests/test_cli.py checks that both read every argument list alike."""
    if not argv or argv[0] not in PLAIN_FLAGS:
        return None
    flags = PLAIN_FLAGS[argv[0]]
    found: dict[str, object] = {"command": argv[0], "bank": None, "db": None}
    found |= {flag.removeprefix("--"): False for flag in flags}
    words = iter(argv[1:])
    seen: set[str] = set()
    for word in words:
        if word in seen:
            return None
        seen.add(word)
        if word == "--db":
            path = next(words, "")
            if not path or path.startswith("-"):
                return None
            found["db"] = Path(path)
        elif word in flags:
            found[word.removeprefix("--")] = True
        elif not word or word.startswith("-") or found["bank"] is not None:
            return None
        else:
            found["bank"] = Path(word)
    return SimpleNamespace(**found)


ESCAPE_ERRORS = "trainer-json-escape"


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """The characters the output's encoding lacks, as JSON escapes (`\\u2013`): exact in
    `--json` output (a character beyond the BMP as its surrogate pair), legible in a table."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import json

    return json.dumps(error.object[error.start : error.end])[1:-1], error.end


def _escape_what_the_output_cannot_encode() -> None:
    """On a standard output that is not UTF-8 (a non-UTF-8 locale such as en_IN.ISO-8859-1,
    PYTHONIOENCODING=ascii, PYTHONUTF8=0 with LC_ALL=C), the characters it lacks are written
    escaped: a deck name's dash stopped `stats`, `cards` and `banks` with a traceback."""
    stream = sys.stdout
    if not isinstance(stream, io.TextIOWrapper):  # a test's capture, or no stdout at all
        return
    if codecs.lookup(stream.encoding).name.startswith("utf"):
        return
    codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)
    stream.reconfigure(errors=ESCAPE_ERRORS)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _escape_what_the_output_cannot_encode()
    args: argparse.Namespace | SimpleNamespace | None = plain_arguments(argv)
    if args is None:
        # Only the command being run gets its parser: building all nine costs as many
        # instructions as `trainer due`'s query work (callgrind: 24M of 310M). Output is the
        # same, as the usage line names COMMAND, not the choices; without a command first, all
        # are built.
        parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
    try:
        command = importlib.import_module(f"trainer.commands.{args.command}")
        code = command.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return code
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
    except OSError as error:
        if error.errno not in OUTPUT_ERRORS:
            raise
        return _output_failed(error)


OUTPUT_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
"""Errors of writing standard output (commands turn their own file errors into TrainerError)."""


def _output_failed(error: OSError) -> int:
    """One line on stderr for output that could not be written (`trainer stats | head -1`,
    `> /dev/full`); standard output then points at /dev/null so that Python's own flush at
    exit has nothing left to fail on."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    reason = "the reader closed it" if error.errno == errno.EPIPE else error.strerror
    with contextlib.suppress(OSError):
        print(f"trainer: error: cannot write the output: {reason}", file=sys.stderr)
    return EXIT_INPUT
