"""`trainer due`: print how many review items are due now, nothing else (for a shell prompt).

On an unchanged bank this reads only the database: no YAML parsing, no sqlite-utils, no rich.
"""

from __future__ import annotations

import argparse

from trainer.store.reports import due_count
from trainer.store.sync import read_synced


def run(args: argparse.Namespace) -> int:
    print(read_synced(args.db, args.bank, due_count))
    return 0
