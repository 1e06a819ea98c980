"""Fixtures of the sync tests: a bank (its text `bank_yaml`, which a module may give its own)
with the review database in the test's folder, an empty Anki collection in a profile folder
(`User 1/collection.anki2`), and Anki's own sync server on loopback. No TRAINER_NOW: Anki's
scheduler reads the wall clock, so both sides use it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.sync.test_sync_anki import BANK
from tests.sync_server_support import free_port, sync_server

ANKI_ZONE_RECHECK_SECONDS = 1.1
"""Anki's backend looks at TZ again once its last look is a second old (see `time_zone`)."""


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
    with sync_server(tmp_path / "server", free_port()) as endpoint:
        yield endpoint


@pytest.fixture
def time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """`time_zone("IST-5:30")` moves this process to another time zone (a POSIX TZ rule, no
    zone database needed) until the test ends.

    Anki's backend (Rust's chrono) keeps the zone per thread and looks at TZ again only when
    its last look is a second old: each move waits that second, so Anki sees the zone Python
    sees. Without the wait at the end, the next test's collection could be made in this zone
    (its `creationOffset`), and Anki would then correct `localOffset` in a sync with nothing
    to do: a test comparing the collection before and after failed now and then."""

    def move(rule: str) -> None:
        monkeypatch.setenv("TZ", rule)
        time.tzset()
        time.sleep(ANKI_ZONE_RECHECK_SECONDS)

    yield move
    monkeypatch.undo()
    time.tzset()
    time.sleep(ANKI_ZONE_RECHECK_SECONDS)
