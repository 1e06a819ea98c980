"""`trainer review`: today's cards in the Textual trainer.

The bank is loaded before any UI starts, so bank errors print compiler style and exit 1.
"""

from __future__ import annotations

import argparse

from trainer.bank import load_bank
from trainer.session import open_session


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args.bank)
    session = open_session(
        bank,
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
