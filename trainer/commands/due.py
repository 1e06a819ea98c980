"""`trainer due`: print how many review items are due now, nothing else (for a shell prompt).

Without BANK, the sum over every bank the database knows, each under its own limits. On
unchanged banks this reads only the database: no YAML parsing, no sqlite-utils, no rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.commands import spare_the_collection_at_exit
from trainer.commands.progress import when_slow
from trainer.library import read_library
from trainer.store.reports import due_count

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    spare_the_collection_at_exit()
    print(read_library(args.db, args.bank, due_count, slow=when_slow))
    return 0
