"""`trainer review`: today's cards in the Textual trainer.

The bank is loaded before any UI starts, so bank errors print compiler style and exit 1.
An unchanged bank comes from a cache beside the database instead of being parsed again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer.bankcache import load_bank_cached
from trainer.session import Session, open_session
from trainer.store.paths import cache_dir, database_path


def open_review(bank_path: Path, db: Path | None, **options: object) -> Session:
    """The session `trainer review` runs: bank (cached when unchanged), database, sync."""
    db_path = database_path(db)
    bank = load_bank_cached(bank_path, cache_dir(db_path))
    return open_session(bank, db_path, **options)


def run(args: argparse.Namespace) -> int:
    session = open_review(
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
