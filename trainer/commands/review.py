"""`trainer review`: today's cards in the Textual trainer.

A changed bank is loaded and synced before any UI starts, so bank errors print compiler style
and exit 1. An unchanged bank is not read: the session works from the database.
"""

from __future__ import annotations

import argparse

from trainer.session import open_session


def run(args: argparse.Namespace) -> int:
    session = open_session(
        args.bank,
        args.db,
        new_per_day=args.new_per_day,
        reviews_per_day=args.reviews_per_day,
        tag=args.tag,
        reschedule=args.reschedule,
    )
    try:
        from trainer.tui.app import ReviewApp

        app = ReviewApp(session)
        app.run()
    finally:
        session.close()
    return app.return_code or 0
