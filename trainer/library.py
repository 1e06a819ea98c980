"""The study library: the banks one review database holds, read from their files and kept in step.

The one module between bank files and the store (which never reads them). It reads bank files
(`Bank.file` records the bytes parsed), syncs the ones that changed, follows a bank that moved
or whose deck was renamed, and reports a bank that vanished or has errors, once, while the
others keep working.

Which banks a command covers: the bank at BANK when given; otherwise every bank the database
knows, from whatever folder the command runs in; `./cards.yaml` while it knows none. Work is
done in two steps so that nothing is written before every bank file was read: `survey` reads
(the database read-only, the files that changed), `Survey.apply` writes.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from trainer.bankfile import BankFile
from trainer.errors import BankError
from trainer.reading import MAX_BANK_BYTES, read_regular
from trainer.store.banks import StoredBank, all_banks, set_renamed_told, set_reported
from trainer.store.database import open_for_reading, open_for_writing, transaction
from trainer.store.guard import DatabaseError, has_content
from trainer.store.paths import database_path
from trainer.wording import plural

if TYPE_CHECKING:
    from trainer.model import Bank

DEFAULT_BANK = Path("cards.yaml")
MISSING = "missing"
"""`banks.reported` once the user was told the bank's file is gone."""

T = TypeVar("T")
Slow = Callable[[str], AbstractContextManager[object]]
"""Wraps work that may take a while (reading and saving a large bank), given what it does: the
command line shows a progress bar (`trainer.commands.progress.when_slow`); by default nothing
is shown (the library never draws on the terminal itself)."""


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def read_bank(path: Path) -> Bank:
    """The bank at `path` (raises BankError); `Bank.file` records the bytes parsed."""
    from trainer.bank import load_bank

    return load_bank(path)


def is_current(stored: BankFile, path: Path) -> bool:
    """True if the file at `path` holds exactly the bytes `stored` was taken of. Cheap: a stat,
    and a digest of the file only when its size, mtime or ctime changed (`BankFile` says why
    the ctime)."""
    status = _stat(path)
    if status is None or str(path.resolve()) != stored.path:
        return False
    if (status.st_size, status.st_mtime_ns, status.st_ctime_ns) == (
        stored.size,
        stored.mtime_ns,
        stored.ctime_ns,
    ):
        return True
    try:
        return BankFile.digest_of(read_regular(path, MAX_BANK_BYTES)[1]) == stored.digest
    except OSError:  # NotRegularFile and TooLarge included: reading it says what is wrong
        return False


def _broken(status: os.stat_result) -> str:
    """`banks.reported` once the user was told about the errors in this version of the file."""
    return f"broken:{status.st_size}:{status.st_mtime_ns}"


def report(line: str) -> None:
    """One line on stderr, its control characters made visible (bank text, file names)."""
    from trainer.visible import visible

    print(visible(line, one_line=True), file=sys.stderr)


class Survey:
    """What the read-only pass found: banks to use as stored, changed banks to sync, and what
    to remember having told the user."""

    def __init__(self, known: list[StoredBank], slow: Slow) -> None:
        self.known = known
        """Every bank the database held before."""
        self.slow = slow
        self.unchanged: list[int] = []
        self.changes: list[tuple[Bank, int | None]] = []
        """Changed banks, each with the row it continues (it moved or its deck was renamed);
        None: by identity. (Not a NamedTuple: its string annotation would cost a compile().)"""
        self.reported: dict[int, str | None] = {}
        self.renamed_told: dict[int, str] = {}

    @property
    def needs_writing(self) -> bool:
        return bool(self.changes or self.reported or self.renamed_told)

    def apply(self, connection: sqlite3.Connection) -> list[StoredBank]:
        """Sync the changed banks and record what was reported; the banks covered, oldest
        first."""
        from trainer.store.mirror import mirror_bank

        covered = set(self.unchanged)
        if self.changes:
            with self.slow("Saving the changed banks in the review database"):
                for bank, bank_id in self.changes:
                    covered.add(mirror_bank(connection, bank, bank_id=bank_id))
        if self.reported or self.renamed_told:
            with transaction(connection):
                for bank_id, reported in self.reported.items():
                    set_reported(connection, bank_id, reported)
                for bank_id, name in self.renamed_told.items():
                    set_renamed_told(connection, bank_id, name)
        return [bank for bank in all_banks(connection) if bank.id in covered]

    @property
    def covered(self) -> list[StoredBank]:
        """The banks covered, when there is nothing to apply."""
        return [bank for bank in self.known if bank.id in self.unchanged]


def _known(connection: sqlite3.Connection | None, db_path: Path) -> list[StoredBank]:
    if connection is None:
        return []
    try:
        return all_banks(connection)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{db_path}: cannot read the review database: {error}") from None


def survey(
    db_path: Path, bank_path: Path | None, *, strict: bool, slow: Slow = nullcontext
) -> Survey:
    """Read what the command needs: the database (read-only) and the bank files that changed.
    `strict`: errors in BANK (or in `./cards.yaml` taken by default) raise BankError; else a
    bank with errors that the database knows is reported and used as last synced."""
    with closing_optional(open_migrated(db_path)) as connection:
        return _survey(connection, db_path, bank_path, strict=strict, slow=slow)


def _survey(
    connection: sqlite3.Connection | None,
    db_path: Path,
    bank_path: Path | None,
    *,
    strict: bool,
    slow: Slow,
) -> Survey:
    known = _known(connection, db_path)
    found = Survey(known, slow)
    if bank_path is None and not known:
        bank_path, strict = DEFAULT_BANK, True
    if bank_path is not None:
        _survey_file(found, known, bank_path, strict)
    else:
        for bank in known:
            _survey_known(found, known, bank)
    return found


def open_migrated(db_path: Path) -> sqlite3.Connection | None:
    """A read-only connection; a database of an older schema is upgraded first (its banks are
    needed to know what to read). None if there is no database yet."""
    connection = open_for_reading(db_path)
    if connection is None and has_content(db_path):
        open_for_writing(db_path).close()
        connection = open_for_reading(db_path)
    return connection


@contextmanager
def closing_optional(connection: sqlite3.Connection | None) -> Iterator[sqlite3.Connection | None]:
    try:
        yield connection
    finally:
        if connection is not None:
            connection.close()


def _survey_file(found: Survey, known: list[StoredBank], path: Path, strict: bool) -> None:
    """BANK given: only the bank in that file."""
    resolved = str(path.resolve())
    stored = next((bank for bank in known if bank.file and bank.file.path == resolved), None)
    if stored is not None and stored.file and is_current(stored.file, path):
        found.unchanged.append(stored.id)
        return
    try:
        with found.slow(f"Reading {path.name} into the review database"):
            bank = read_bank(path)
        bank_id = _continued(found, known, bank)
    except BankError as error:
        if strict or stored is None:
            raise
        _report_problems(error, path)
        found.unchanged.append(stored.id)
        return
    found.changes.append((bank, bank_id))


def _survey_known(found: Survey, known: list[StoredBank], stored: StoredBank) -> None:
    """No BANK: every bank the database knows, each from where it was last used."""
    path = stored.path
    if stored.file is None or path is None:
        return  # another bank took its file's place; its history stays in the database
    status = _stat(path)
    if status is None or not path.is_file():
        if stored.reported != MISSING:
            report(
                f"trainer: the bank {stored.name!r} is no longer at {path}: left out, its "
                "history kept; if you moved it, run `trainer review NEW-PATH` once"
            )
            found.reported[stored.id] = MISSING
        return
    if is_current(stored.file, path):
        found.unchanged.append(stored.id)
        if stored.reported is not None:
            found.reported[stored.id] = None
        return
    if stored.reported == _broken(status):
        found.unchanged.append(stored.id)  # errors already reported: use the last good version
        return
    try:
        with found.slow(f"Reading {path.name} into the review database"):
            bank = read_bank(path)
        found.changes.append((bank, _continued(found, known, bank)))
    except BankError as error:
        _report_problems(error, path)
        found.reported[stored.id] = _broken(status)
        found.unchanged.append(stored.id)


def _report_problems(error: BankError, path: Path) -> None:
    import shlex  # only when a bank has errors: not on every start

    for problem in error.problems:
        report(str(problem))
    report(
        f"trainer: {path}: {plural(len(error.problems), 'problem')}: using the bank as last "
        f"synced until they are fixed (`trainer check {shlex.quote(str(path))}` lists them)"
    )


def _continued(found: Survey, known: list[StoredBank], bank: Bank) -> int | None:
    """The row of the bank that `bank` (read from a file) continues: the bank
    of the same identity, wherever it was (it moved: its history moves along); else, for a
    deck without `deck.id`, the bank last seen in this file (the deck was renamed: it keeps
    its old identity, and the user is told once how to make that explicit). None: a new bank.
    A copy of a bank used from its new place becomes the bank's place: the database remembers
    where each bank was last used."""
    deck, here_path = bank.deck, bank.file.path if bank.file else str(bank.path.resolve())
    same = next((stored for stored in known if stored.identity == deck.identity), None)
    if same is not None:
        old = same.path
        if old is not None and str(old) != here_path:  # the last file used wins
            report(
                f"trainer: the bank {deck.name!r} is now read from {here_path} (it was at "
                f"{old}): its history moves along"
            )
        return same.id
    legacy = next((stored for stored in known if stored.identity == ""), None)
    if legacy is not None:
        return legacy.id  # the one bank of a database upgraded from before deck names were kept
    if deck.id is not None:
        return None
    here = next(
        (stored for stored in known if stored.file and stored.file.path == here_path),
        None,
    )
    if here is None:
        return None
    if here.renamed_told != deck.name:
        report(
            f"trainer: {bank.path}: the deck {here.identity!r} is now named {deck.name!r}: its "
            f"history is kept; to keep it linked (and its Anki notes) if the file moves, add "
            f"`id: {here.identity}` under `deck:`"
        )
        found.renamed_told[here.id] = deck.name
    return here.id


def open_library(
    db_option: Path | None,
    bank_path: Path | None,
    *,
    strict: bool = False,
    slow: Slow = nullcontext,
) -> tuple[sqlite3.Connection, list[StoredBank]]:
    """A connection to the database (`--db`, TRAINER_DB or the default) in step with the
    banks the command covers, and those banks. When none changed, the connection is
    read-only and no bank file is parsed."""
    db_path = database_path(db_option)
    reading = open_migrated(db_path)
    try:
        found = _survey(reading, db_path, bank_path, strict=strict, slow=slow)
    except BaseException:
        if reading is not None:
            reading.close()
        raise
    if reading is not None:
        if not found.needs_writing:
            return reading, found.covered
        reading.close()
    connection = open_for_writing(db_path)
    try:
        return connection, found.apply(connection)
    except BaseException:
        connection.close()
        raise


def read_library(
    db_option: Path | None,
    bank_path: Path | None,
    read: Callable[[sqlite3.Connection, list[StoredBank]], T],
    *,
    slow: Slow = nullcontext,
) -> T:
    """`read(connection, banks)` over the banks the command covers; a database that fails
    while being read becomes a clear DatabaseError."""
    connection, banks = open_library(db_option, bank_path, slow=slow)
    with closing(connection):
        try:
            return read(connection, banks)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(
                f"{database_path(db_option)}: cannot read the review database: {error}"
            ) from None
