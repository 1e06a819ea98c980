"""Shared fixtures. Store/session: `fresh_db`, `small_bank_path`, `small_bank`, `set_now`;
Anki: `col`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.store_support import SMALL_BANK, write
from trainer.bank import load_bank
from trainer.model import Bank
from trainer.store.database import open_memory

if TYPE_CHECKING:
    from anki.collection import Collection


@pytest.fixture
def fresh_db() -> Iterator[sqlite3.Connection]:
    """A migrated, empty review database in memory."""
    connection = open_memory()
    yield connection
    connection.close()


@pytest.fixture
def small_bank_path(tmp_path: Path) -> Path:
    """A 4-note bank (basic, reverse, cloze with 2 deletions, mcq: 6 review items)."""
    return write(tmp_path / "cards.yaml", SMALL_BANK)


@pytest.fixture
def small_bank(small_bank_path: Path) -> Bank:
    return load_bank(small_bank_path)


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """`set_now("2026-03-01T09:00:00")` fixes TRAINER_NOW for the rest of the test."""

    def set_(moment: str) -> None:
        monkeypatch.setenv("TRAINER_NOW", moment)

    set_("2026-03-01T09:00:00")
    return set_


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """An empty Anki collection made by the official `anki` package (imported only here)."""
    from anki.collection import Collection

    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield collection
    collection.close()
