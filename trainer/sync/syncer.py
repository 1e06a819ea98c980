"""A sync's passes over an open collection and the review database, each in one transaction of
the collection, with the backup before the first change."""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING

from trainer.store import merge
from trainer.sync.answers import AnswerMerge
from trainer.sync.notes import NoteMirror
from trainer.sync.plan import Plan
from trainer.sync.source import Context
from trainer.sync.state import BackupFirst, Reads, Writes

if TYPE_CHECKING:
    from anki.collection import Collection

LAST_WRITE_KEY = "trainerLastSyncWrite"


def run(col: Collection, connection: sqlite3.Connection, context: Context) -> Plan:
    """Sync the bank into `col`, then the reviews both ways; returns what was done.

    Every change to the collection happens in one transaction of the library
    (`col.db.transact`): a kill leaves it untouched or synced. A pass that reaches its first
    change before the backup is rolled back (it has written nothing to the collection), the
    backup is made outside the transaction, and the pass runs again, with what the first one
    read (`Reads`). A sync with nothing to do makes no backup."""
    backed_up = context.backup is None
    reads = Reads()
    anki_today = col.sched.today  # outside the passes: the first asking of a new collection
    # writes Anki's default rollover hour, which a rolled-back pass would lose from the file but
    # not from the library's memory
    while True:
        syncer = Syncer(col, connection, context, Writes(backed_up), reads, anki_today=anki_today)
        try:
            col.db.transact(syncer.run)  # type: ignore[union-attr]
        except BackupFirst:
            assert context.backup is not None
            context.backup()
            backed_up = True
            continue
        return syncer.plan


class Syncer(NoteMirror, AnswerMerge):
    """One whole pass: the notes, then the reviews both ways."""

    def run(self) -> None:
        from anki.collection import Config

        self._fsrs = bool(self.col.get_config("fsrs", False))
        self._nfc = self.col.get_config_bool(Config.Bool.NORMALIZE_NOTE_TEXT)
        self._last_write = self.col.get_config(self._last_write_key, None)
        self.reviews(self.notes())
        if merge.identity(self.connection, self.context.bank) != self.identity:
            self.write()
            merge.remember_identity(self.connection, self.context.bank, self.identity)
        if self.write.used:  # after every note this sync wrote: their mod is not later
            self.col.set_config(self._last_write_key, int(time.time()))

    @property
    def _last_write_key(self) -> str:
        """The collection's config entry that keeps when a sync of this bank last wrote it:
        a note modified later was edited in Anki."""
        return f"{LAST_WRITE_KEY}:{self.identity}"
