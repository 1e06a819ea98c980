"""The review trainer's bank cache: a hit equals a fresh parse, any change or damage is a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_validate import VALID
from trainer import bankcache
from trainer.bank import load_bank
from trainer.errors import BankError


@pytest.fixture
def bank_path(tmp_path: Path) -> Path:
    path = tmp_path / "cards.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every real parse."""
    calls: list[Path] = []
    real = bankcache.parse_bank

    def counting(text: str, path: Path):
        calls.append(path)
        return real(text, path)

    monkeypatch.setattr(bankcache, "parse_bank", counting)
    return calls


def test_a_hit_equals_a_fresh_parse_without_parsing(bank_path, tmp_path, parses):
    first = bankcache.load_bank_cached(bank_path, tmp_path / "cache")
    again = bankcache.load_bank_cached(bank_path, tmp_path / "cache")
    assert len(parses) == 1
    assert again == first == load_bank(bank_path)
    assert [item.id for item in again.items] == [item.id for item in first.items]
    assert again.notes[3].choices == ("Delhi", "Ottawa", "Toronto")


def test_an_edit_is_a_miss(bank_path, tmp_path, parses):
    bankcache.load_bank_cached(bank_path, tmp_path / "cache")
    bank_path.write_text(VALID.replace("Ottawa", "Ottawa city"), encoding="utf-8")
    bank = bankcache.load_bank_cached(bank_path, tmp_path / "cache")
    assert len(parses) == 2
    assert "Ottawa city" in bank.notes[3].choices


def test_a_damaged_cache_is_a_miss(bank_path, tmp_path, parses):
    bankcache.load_bank_cached(bank_path, tmp_path / "cache")
    (cache_file,) = (tmp_path / "cache").iterdir()
    cache_file.write_bytes(b"\x00garbage")
    assert bankcache.load_bank_cached(bank_path, tmp_path / "cache") == load_bank(bank_path)
    assert len(parses) == 2


def test_invalid_banks_raise_and_are_not_cached(bank_path, tmp_path):
    bank_path.write_text(VALID.replace("type: basic", "type: basik"), encoding="utf-8")
    with pytest.raises(BankError):
        bankcache.load_bank_cached(bank_path, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_location_is_ignored(bank_path, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    assert bankcache.load_bank_cached(bank_path, blocker) == load_bank(bank_path)
