"""The trainer as one more device on a self-hosted Anki sync server (`python -m anki.syncserver`).

The trainer keeps a private collection of its own beside the review database (its "device"),
and syncs it with the server through the `anki` library's own sync calls, as Anki desktop and
AnkiDroid do. The password is never stored: logging in keeps only the session key (hkey) and
the endpoint, in a file only the user can read.

A one-way full sync is never chosen silently. Anki asks for one in three cases: a download
when this device has no cards (its first contact), an upload when the server has none (nothing
on either side is lost, so they are made), and a full sync in either direction when both
sides have cards and their schemas differ (a device changed a note type, or this device synced
with another account): then one side's changes since their last common sync are lost, so the
sync stops and names the choice (`--full-sync download|upload`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from trainer.errors import TrainerError, UsageError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.sync_pb2 import SyncAuth

DEVICE_DIRECTORY = "anki-device"
"""Beside the review database: the private collection and the login."""
LOGIN_FILE = "login.json"
OWNER_ONLY = 0o600
DOWNLOAD, UPLOAD = "download", "upload"


def collection_class() -> type[Collection]:
    """The library's Collection; TrainerError if the `anki` package is not installed."""
    try:
        from anki.collection import Collection
    except ImportError:
        raise TrainerError(
            "trainer sync --server needs the official anki package: pip install 'anki>=25.2' "
            "(or install the trainer with its [anki] extra)"
        ) from None
    return Collection


def device_folder(db_path: Path) -> Path:
    return db_path.parent / DEVICE_DIRECTORY


def login_path(db_path: Path) -> Path:
    return device_folder(db_path) / LOGIN_FILE


def endpoint(url: str) -> str:
    """The server's address as the library wants it (ending in /); UsageError if it is no
    http(s) address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--server {url!r}: give the sync server's address, e.g. http://127.0.0.1:8080/"
        )
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Login:
    """What is kept of a login: the session key, the server the user named (`--server`), and
    the address the sync goes to: the same, unless the server moved this account elsewhere
    (AnkiWeb spreads accounts over hosts; its login and syncs may answer with a new one)."""

    hkey: str
    endpoint: str
    server: str

    def auth(self) -> SyncAuth:
        from anki.sync_pb2 import SyncAuth

        return SyncAuth(hkey=self.hkey, endpoint=self.endpoint)


def save_login(db_path: Path, login: Login) -> Path:
    """Writes the login readable by the owner only (created so, never widened after), replacing
    any older one in one rename."""
    path = login_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    scratch = path.with_name(f".{LOGIN_FILE}.{os.getpid()}")
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"hkey": login.hkey, "endpoint": login.endpoint, "server": login.server}, file)
    scratch.replace(path)
    return path


def load_login(db_path: Path, server: str) -> Login:
    """The kept login for `server`; TrainerError if there is none, or it is another server's."""
    path = login_path(db_path)
    again = f"log in first: trainer sync --server {server} --login"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        # a login kept before the server was recorded apart is the endpoint's
        login = Login(
            str(data["hkey"]), str(data["endpoint"]), str(data.get("server", data["endpoint"]))
        )
    except FileNotFoundError:
        raise TrainerError(f"not logged in to an Anki sync server; {again}") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise TrainerError(f"{path}: the kept login cannot be read; {again}") from None
    if login.server != server:
        raise TrainerError(f"logged in to {login.server}, not {server}; {again}")
    return login


def forget_login(db_path: Path) -> bool:
    """Removes the kept login; whether there was one."""
    try:
        login_path(db_path).unlink()
    except FileNotFoundError:
        return False
    return True


def failure(error: Exception, server: str) -> TrainerError:
    """A sync error of the library as one line: what happened and what to do."""
    from anki.errors import NetworkError, SyncError, SyncErrorKind

    if isinstance(error, NetworkError):
        return TrainerError(
            f"cannot reach the sync server at {server} (is it running, and the address right?)"
        )
    if isinstance(error, SyncError) and error.kind == SyncErrorKind.AUTH:
        return TrainerError(
            f"the sync server at {server} refused the user name and password (or the kept "
            f"session); log in again: trainer sync --server {server} --login"
        )
    # The server's own reasons (another device syncing, a clock more than 5 minutes off, a
    # server newer than this library) come in Anki's words, which say what to do.
    text = " ".join(str(error).split()) or type(error).__name__
    return TrainerError(f"the sync with {server} failed: {text}")


def log_in(col: Collection, user: str, password: str, server: str) -> Login:
    from anki.errors import BackendError

    try:
        auth = col.sync_login(user, password, server)
    except BackendError as error:
        raise failure(error, server) from None
    return Login(auth.hkey, auth.endpoint or server, server)


@dataclass(frozen=True)
class Synced:
    """One sync's outcome: what was done ("normal", "download" or "upload"), the login to keep
    (its endpoint moved if the server said so), and the server's message for the user."""

    done: str
    login: Login
    message: str = ""


def sync(col: Collection, login: Login, full_sync: str | None) -> Synced:
    """One sync of the device with the server, as Anki's Sync button. A full sync that would
    lose one side's changes needs `full_sync` (its direction), else TrainerError names the
    choice. As Anki desktop does, a new endpoint the server gives is used from then on (the
    full sync included) and a server message is passed on."""
    from anki.errors import BackendError
    from anki.sync_pb2 import SyncCollectionResponse as Response

    try:
        out = col.sync_collection(login.auth(), sync_media=False)
        if out.new_endpoint:
            login = Login(login.hkey, out.new_endpoint, login.server)
        message = " ".join(out.server_message.split())
        if out.required in (Response.NO_CHANGES, Response.NORMAL_SYNC):
            return Synced("normal", login, message)
        if out.required == Response.FULL_DOWNLOAD:  # this device has no cards
            direction = DOWNLOAD
        elif out.required == Response.FULL_UPLOAD:  # the server has no cards
            direction = UPLOAD
        elif full_sync is None:
            raise _full_sync_needed(login.server)
        else:
            direction = full_sync
        col.close_for_full_sync()
        try:
            col.full_upload_or_download(
                auth=login.auth(), server_usn=out.server_media_usn, upload=direction == UPLOAD
            )
        finally:
            col.reopen(after_full_sync=True)
    except BackendError as error:
        raise failure(error, login.server) from None
    return Synced(direction, login, message)


def _full_sync_needed(server: str) -> TrainerError:
    return TrainerError(
        f"the sync server at {server} needs a one-way full sync (a device changed a note type, "
        "or the trainer last synced with another account): nothing was sent or received. "
        "Choose which side to keep: --full-sync download replaces the trainer's device "
        "collection with the server's (the trainer's answers are kept in its review database "
        "and sent again by this sync; nothing else is kept only there), --full-sync upload "
        "replaces the server's with the trainer's (every "
        "device's changes not yet synced to the trainer are lost, and each device must then "
        "download). Sync your other devices first"
    )
