"""`trainer sync --server` when the server moves the account to another address (AnkiWeb
spreads accounts over hosts and says so in a sync's answer): the trainer follows it at once,
as Anki desktop does, keeps the new address for the next syncs under the name the user gave,
and passes on the server's message. Anki's own sync server on loopback plays the server; the
move is to another name of the same server (`localhost`), so every sync is real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.sync_pb2 import SyncAuth, SyncCollectionResponse

from tests.sync.test_sync_server_device import _log_in, setup  # noqa: F401 (setup is a fixture)
from tests.sync.test_sync_server_round_trip import PASSWORD
from trainer.cli import main
from trainer.sync.server import DEVICE_DIRECTORY, LOGIN_FILE, load_login

MESSAGE = "Your account has moved.\nNothing to do."


def test_a_moved_account_is_followed_and_the_new_address_kept(
    server: str,
    setup: tuple[Path, Path],  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bank, data = setup
    moved = server.replace("127.0.0.1", "localhost")
    asked: list[str] = []
    real = Collection.sync_collection

    def moving(col: Collection, auth: SyncAuth, sync_media: bool) -> SyncCollectionResponse:
        asked.append(auth.endpoint)
        out = real(col, auth, sync_media)
        if auth.endpoint == server:  # the old address answers, and names the new one
            out.new_endpoint, out.server_message = moved, MESSAGE
        return out

    monkeypatch.setattr(Collection, "sync_collection", moving)
    assert _log_in(server, PASSWORD, monkeypatch) == 0
    capsys.readouterr()

    assert main(["sync", str(bank), "--server", server]) == 0
    out = capsys.readouterr().out
    assert "the sync server says: Your account has moved. Nothing to do." in out
    assert asked == [server, moved]  # the sync after the merge goes to the new address
    kept = json.loads((data / DEVICE_DIRECTORY / LOGIN_FILE).read_text(encoding="utf-8"))
    assert (kept["server"], kept["endpoint"]) == (server, moved)

    asked.clear()
    assert main(["sync", str(bank), "--server", server]) == 0  # the name the user knows
    assert asked == [moved, moved]
    assert "the sync server says" not in capsys.readouterr().out


def test_a_login_kept_before_the_server_was_recorded_still_loads(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    (tmp_path / DEVICE_DIRECTORY).mkdir()
    kept = {"hkey": "k", "endpoint": "http://127.0.0.1:8080/"}
    (tmp_path / DEVICE_DIRECTORY / LOGIN_FILE).write_text(json.dumps(kept), encoding="utf-8")
    login = load_login(db, "http://127.0.0.1:8080/")
    assert (login.hkey, login.endpoint, login.server) == ("k", kept["endpoint"], kept["endpoint"])
