"""Fixtures of the sync tests: a bank (its text `bank_yaml`, which a module may give its own)
with the review database in the test's folder, an empty Anki collection in a profile folder
(`User 1/collection.anki2`), and Anki's own sync server on loopback. No TRAINER_NOW: Anki's
scheduler reads the wall clock, so both sides use it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.sync.test_sync_anki import BANK
from tests.sync.test_sync_server_round_trip import PASSWORD, SERVER_START_SECONDS, USER, _free_port


@pytest.fixture
def bank_yaml() -> str:
    return BANK


@pytest.fixture
def bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bank_yaml: str) -> Path:
    monkeypatch.delenv("TRAINER_NOW", raising=False)
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "db" / "reviews.sqlite3"))
    path = tmp_path / "cards.yaml"
    path.write_text(bank_yaml, encoding="utf-8")
    return path


@pytest.fixture
def collection_path(tmp_path: Path) -> Path:
    path = tmp_path / "User 1" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`python -m anki.syncserver` on a free loopback port; its endpoint once it listens."""
    port = _free_port()
    env = os.environ | {
        "SYNC_USER1": f"{USER}:{PASSWORD}",
        "SYNC_HOST": "127.0.0.1",
        "SYNC_PORT": str(port),
        "SYNC_BASE": str(tmp_path / "server"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "anki.syncserver"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        give_up = time.monotonic() + SERVER_START_SECONDS
        while True:
            assert process.poll() is None, "the sync server stopped"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < give_up, "the sync server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)
