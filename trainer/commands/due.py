"""`trainer due`: print how many review items are due now, nothing else (for a shell prompt).

On an unchanged bank this reads only the database: no YAML parsing, no sqlite-utils, no rich.
"""

from __future__ import annotations

import argparse
import sqlite3
from contextlib import closing

from trainer.store.guard import DatabaseError
from trainer.store.paths import database_path
from trainer.store.reports import due_count
from trainer.store.sync import open_synced


def run(args: argparse.Namespace) -> int:
    path = database_path(args.db)
    with closing(open_synced(path, args.bank)) as connection:
        try:
            count = due_count(connection)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(f"{path}: cannot read the review database: {error}") from None
    print(count)
    return 0
