"""`trainer sync`: one schedule across an Anki collection and the trainer (Anki closed).

The bank goes into the review database as for any command (an unchanged bank is not even
parsed: its notes are read from the database), then `trainer.sync` runs on the collection
and the database. A dry run does all of it on copies (the collection in a scratch directory,
the database in memory) and prints the plan: the user's files are only read.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import clock
from trainer.anki.collection import COLLECTION_FILE
from trainer.commands.progress import when_slow
from trainer.errors import TrainerError, UsageError
from trainer.library import Survey, survey
from trainer.queue import study_day
from trainer.store.banks import StoredBank
from trainer.store.cards import stored_notes
from trainer.store.database import open_for_writing, open_memory
from trainer.store.guard import connect_read_only, existing_version
from trainer.store.lock import SYNC, SessionLock
from trainer.store.paths import database_path
from trainer.visible import visible

if TYPE_CHECKING:
    from anki.collection import Collection

    from trainer.sync.plan import Plan
    from trainer.sync.server import Login, Synced
    from trainer.sync.source import Context, Source


def _scratch_database(path: Path) -> sqlite3.Connection:
    """An in-memory copy of the review database (a new one if there is none): what the real
    run would start from, without writing the file."""
    connection = open_memory()
    if existing_version(path, thorough=False) is not None:
        with closing(connect_read_only(path)) as source:
            source.backup(connection)
        from trainer.store.schema import migrate

        migrate(connection)
    return connection


def _source(connection: sqlite3.Connection, found: Survey) -> tuple[Source, StoredBank]:
    """The bank's content, stored first if it changed (`Survey.apply`), and its row: the bank
    as parsed when it changed, else the database's copy of it (an unchanged bank is not
    parsed)."""
    from trainer.sync.source import Source

    (stored,) = found.apply(connection)
    if found.changes:
        bank, _ = found.changes[0]
        notes = tuple((note, bank.citations(note)) for note in bank.notes)
    else:
        notes = tuple(stored_notes(connection, stored.id))
    settings = stored.settings  # as stored by `apply`: the deck's settings, defaults resolved once
    source = Source(
        stored.name,
        notes,
        settings.day_start_hour,
        settings.choice,
        stored.identity,
        settings.exam_plan,
    )
    return source, stored


def _run_sync(col: Collection, connection: sqlite3.Connection, context: Context) -> Plan:
    """The sync, with Anki's refusal of a change (its transaction rolled back) made clear."""
    from anki.errors import BackendError

    from trainer.anki.collection import reason
    from trainer.sync.syncer import run as sync_collection

    try:
        return sync_collection(col, connection, context)
    except BackendError as error:
        raise TrainerError(
            f"Anki refused a change ({reason(error)}); the collection was left as it was"
        ) from None


def _print(lines: list[str]) -> None:
    """Deck names and paths are the user's text: shown, never acted on by the terminal."""
    for line in lines:
        print(visible(line, one_line=True))


def run(args: argparse.Namespace) -> int:
    from trainer.anki import collection as anki_collection
    from trainer.sync.plan import summary
    from trainer.sync.source import Context

    _check_options(args)
    if args.logout:
        return _logout(database_path(args.db))
    moment = clock.wall_clock("trainer sync")  # refused before anything is read
    db_path = database_path(args.db)
    if args.login:
        return _login(args.server, db_path)
    # a broken bank stops here, before writes
    found = survey(db_path, args.bank, strict=True, slow=when_slow)

    def context(source: tuple[Source, StoredBank], backup: Callable[[], None] | None) -> Context:
        content, stored = source
        today = study_day(moment, content.day_starts_at)
        return Context(
            content,
            today,
            backup,
            stored.id,
            args.delete_removed,
            allow_full_sync=args.allow_full_sync or backup is None,  # a dry run shows them
        )

    if args.server is not None:
        return _server_sync(args, db_path, found, context)
    path = args.collection or anki_collection.default_collection_path()
    if args.dry_run:
        with (
            closing(_scratch_database(db_path)) as connection,
            anki_collection.open_copy(path) as col,
        ):
            plan = _run_sync(col, connection, context(_source(connection, found), None))
        lines = summary(plan, dry_run=True)
        if plan.retyped and not args.allow_full_sync:
            lines.append(
                "changing note types is a schema change (Anki's next AnkiWeb sync is then a "
                "one-way full sync): the sync needs --allow-full-sync for it"
            )
        _print(lines)
        return 0
    with closing(open_for_writing(db_path)) as connection:
        lock = SessionLock(db_path, SYNC)  # before the collection: a second sync waits here
        try:
            col = anki_collection.open_collection(path)
            try:
                plan, backups = _merge(col, path, connection, found, context, str(path))
            finally:
                col.close()
        finally:
            lock.release()
    _print(_report(plan, backups))
    return 0


def _merge(  # noqa: PLR0917 (the merge's parts, each once)
    col: Collection,
    path: Path,
    connection: sqlite3.Connection,
    found: Survey,
    context: Callable[[tuple[Source, StoredBank], Callable[[], None] | None], Context],
    where: str,
) -> tuple[Plan, list[str]]:
    """The merge of the bank, the review database and the open collection at `path` (backed
    up before its first change): the same for a collection file and for the trainer's own
    device on a sync server."""
    from trainer.anki import collection as anki_collection

    backups: list[str] = []

    def backup() -> None:
        backups.append(str(anki_collection.backup(col, path)))

    source = _source(connection, found)
    with when_slow(f"Syncing with {where}"):
        plan = _run_sync(col, connection, context(source, backup))
    return plan, backups


def _report(plan: Plan, backups: list[str]) -> list[str]:
    from trainer.sync.plan import summary

    lines = summary(plan, dry_run=False)
    if backups:
        lines.append(f"a backup of the collection from before the sync: {backups[0]}")
    return lines


def _check_options(args: argparse.Namespace) -> None:
    """The server's options go with --server (--logout alone), the collection's without it."""
    if args.server is None:
        for given, option in ((args.login, "--login"), (args.full_sync, "--full-sync")):
            if given:
                raise UsageError(f"{option} goes with --server URL")
        return
    for given, option in (
        (args.collection, "--collection"),
        (args.dry_run, "--dry-run"),
        (args.logout, "--logout"),
    ):
        if given:
            raise UsageError(f"{option} cannot be combined with --server")


def _login(server_url: str, db_path: Path) -> int:
    """Asks the user name and the password (not echoed, never stored) and keeps the session
    key the server gives for them."""
    import getpass

    from trainer.sync import server

    address = server.endpoint(server_url)
    try:
        user = input(f"user name on {address}: ").strip()
        password = getpass.getpass("password (not stored): ")
    except EOFError:
        raise TrainerError("no user name and password given; nothing was changed") from None
    with tempfile.TemporaryDirectory(prefix="trainer-login-") as scratch:
        # the library logs in through a collection: a scratch one, the device is not touched
        col = server.collection_class()(str(Path(scratch) / COLLECTION_FILE))
        try:
            login = server.log_in(col, user, password, address)
        finally:
            col.close()
    path = server.save_login(db_path, login)
    _print([f"logged in to {login.endpoint} as {user}; the session key is kept in {path}"])
    return 0


def _logout(db_path: Path) -> int:
    from trainer.sync import server

    if server.forget_login(db_path):
        _print([f"logged out: removed {server.login_path(db_path)}"])
    else:
        _print(["not logged in to a sync server; nothing to remove"])
    return 0


def _open_device(path: Path) -> Collection:
    """The trainer's own collection on the sync server, made empty on first use (under a
    scratch name, renamed when complete: a kill leaves no half-made collection)."""
    from trainer.anki import collection as anki_collection
    from trainer.sync.server import collection_class

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        scratch = path.with_name(f".new-{os.getpid()}-{path.name}")
        collection_class()(str(scratch)).close()
        scratch.replace(path)
    return anki_collection.open_collection(path)


def _server_sync(
    args: argparse.Namespace,
    db_path: Path,
    found: Survey,
    context: Callable[[tuple[Source, StoredBank], Callable[[], None] | None], Context],
) -> int:
    """Syncs the trainer's device with the server (its first contact downloads), runs the
    collection path's merge on it, and syncs it back, so the other devices get the trainer's
    answers and the bank's notes at their next sync."""
    from trainer.sync import server

    address = server.endpoint(args.server)
    login = server.load_login(db_path, address)
    path = server.device_folder(db_path) / COLLECTION_FILE
    with closing(open_for_writing(db_path)) as connection:
        lock = SessionLock(db_path, SYNC)  # before the collection: a second sync waits here
        try:
            col = _open_device(path)
            try:
                received = _keep_moved(db_path, login, server.sync(col, login, args.full_sync))
                plan, backups = _merge(col, path, connection, found, context, address)
                sent = _keep_moved(
                    db_path, received.login, _send(col, received.login, args.full_sync)
                )
            finally:
                col.close()
        finally:
            lock.release()
    lines = _report(plan, backups)
    lines.append(f"synced with {address}: {_DONE[received.done]}, then {_DONE[sent.done]}")
    said = dict.fromkeys(message for message in (received.message, sent.message) if message)
    lines.extend(f"the sync server says: {message}" for message in said)
    _print(lines)
    return 0


def _keep_moved(db_path: Path, login: Login, synced: Synced) -> Synced:
    """Keeps the login's new endpoint when the server moved the account, as Anki does."""
    from trainer.sync import server

    if synced.login != login:
        server.save_login(db_path, synced.login)
    return synced


def _send(col: Collection, login: Login, full_sync: str | None) -> Synced:
    """The sync after the merge; only an upload may be forced now (a download would drop the
    merge). A failure keeps the merge on this side for the next sync to send."""
    from trainer.sync import server

    try:
        return server.sync(col, login, full_sync if full_sync == server.UPLOAD else None)
    except TrainerError as error:
        raise TrainerError(
            f"{error}. The trainer's side of the sync is done and kept: sync again to send it"
        ) from None


_DONE = {
    "normal": "a normal sync",
    "download": "the server's collection downloaded",
    "upload": "the trainer's collection uploaded",
}
