"""`trainer review`: today's cards in the Textual trainer.

A changed bank is loaded and synced before any UI starts, so bank errors print compiler style
and exit 1. An unchanged bank is not read: the session works from the database. Without a
terminal on both ends (`trainer review | head`, a cron job), or with TERM=dumb, it refuses
with one line rather than write escape codes and wait for keys that never come. NO_COLOR is
honoured by Textual (monochrome); nothing is told by colour alone.
"""

from __future__ import annotations

import argparse
import os
import sys

from trainer import clock
from trainer.commands.progress import when_slow
from trainer.errors import TrainerError, UsageError
from trainer.session import Session, open_session
from trainer.wording import plural, when


def _check_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "review needs a terminal: run it in one, not in a pipe (for scripts: `trainer due`)"
        )
    if os.environ.get("TERM") == "dumb":
        raise UsageError(
            "review needs a terminal that can move the cursor, and TERM is 'dumb' "
            "(for scripts: `trainer due`)"
        )


def _check_tag(tag: str, tags: set[str]) -> None:
    """A cram of a tag no card has would open on "nothing to review" (a typo, as `figures`
    for `figure`): refused with one line instead."""
    if tag in tags:
        return
    import difflib

    match = difflib.get_close_matches(tag, sorted(tags), n=1, cutoff=0.6)
    hint = f" (did you mean {match[0]!r}?)" if match else ""
    raise TrainerError(f"--tag {tag}: no card has this tag{hint}")


def farewell(session: Session) -> str:
    """The line printed on quitting: how many answers (re-drills included), in how long, and
    when to come back."""
    summary = session.summary()
    minutes = round(summary.seconds_spent / 60)
    line = plural(summary.reviewed, "answer")
    if summary.reviewed:
        line += f" in {plural(minutes, 'minute')}" if minutes else " in under a minute"
    next_due = session.next_due()
    if next_due is None:
        return line + "; nothing is scheduled."
    now = clock.now()
    return line + (
        "; more cards are due now." if next_due <= now else f"; next cards {when(next_due, now)}."
    )


def run(args: argparse.Namespace) -> int:
    if args.reschedule and args.tag is None:
        raise UsageError("--reschedule needs --tag (it lets a cram session change schedules)")
    session = open_session(
        args.bank,
        args.db,
        new_per_day=args.new_per_day,
        reviews_per_day=args.reviews_per_day,
        tag=args.tag,
        reschedule=args.reschedule,
        slow=when_slow,
    )
    try:
        if args.tag is not None:
            _check_tag(args.tag, session.tags())
        _check_terminal()  # after the bank and database checks, which print their own errors
        from trainer.tui.app import ReviewApp

        app = ReviewApp(session)
        app.run()
        if app.return_code in (0, None):
            print(farewell(session))
    finally:
        session.close()
    return app.return_code or 0
