"""Hostile values: digits `str.isdigit` accepts and `int` rejects, cloze numbers Anki refuses,
and hand-edited build manifests. Each is a located error or a clear message, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from tests.reliability_support import record
from tests.store_support import SMALL_BANK, run_trainer, write

NUMBERS = (
    "²",  # superscript two: isdigit, not int
    "①",  # circled one
    "𝟓",  # mathematical bold five: int accepts it, Anki-facing settings should not
    "३",  # Devanagari three
    "٣",  # Arabic-Indic three
    "３",  # fullwidth three
    "1e3",
    "-1",
    "+5",
    "0x10",
    "1_000",
    "10000001",
    "9" * 5000,  # past Python's int() digit limit
)


@pytest.mark.parametrize("setting", ["new_per_day", "reviews_per_day", "day_starts_at"])
def test_deck_settings_with_hostile_digits_are_located_errors(setting: str, tmp_path: Path) -> None:
    for value in NUMBERS:
        bank = write(
            tmp_path / "cards.yaml",
            SMALL_BANK.replace(
                "  name: Small Deck\n", f"  name: Small Deck\n  {setting}: {json.dumps(value)}\n"
            ),
        )
        result = run_trainer("check", str(bank))
        assert result.returncode == 1, (value, result.stdout)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"{bank}:3:"), (value, result.stderr)
    record("values: deck settings", inputs=len(NUMBERS))


@pytest.mark.parametrize("option", ["--new-per-day", "--reviews-per-day"])
def test_review_limits_with_hostile_digits_are_usage_errors(option: str, tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    for value in NUMBERS:
        result = run_trainer("review", str(bank), option, value)
        assert result.returncode == 2, (value, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"argument {option}" in result.stderr
    record("values: review limits", inputs=len(NUMBERS))


CLOZE_REFUSED = ("c0", "c000", "c65537", "c99999999999999999999", "c" + "9" * 5000, "c٣", "c²")
CLOZE_ACCEPTED = ("c65536", "c00001", "c1")


def _cloze_bank(number: str) -> str:
    return (
        "deck: {name: Cloze Limits}\nsources:\n  s: {title: T, publisher: P}\ncards:\n"
        f"  - {{id: z, type: cloze, tags: [date], source: s, text: 'A {{{{{number}::x}}}} B'}}\n"
    )


@pytest.mark.parametrize("number", CLOZE_REFUSED + CLOZE_ACCEPTED)
def test_cloze_numbers_anki_refuses_are_located_errors(number: str, tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", _cloze_bank(number))
    checked = run_trainer("check", str(bank))
    built = run_trainer("build", str(bank))
    for result in (checked, built):
        assert "Traceback" not in result.stderr
    if number in CLOZE_REFUSED:
        assert checked.returncode == built.returncode == 1
        assert checked.stderr.startswith(f"{bank}:5:"), checked.stderr
    else:  # what check and build accept, real Anki imports
        assert checked.returncode == built.returncode == 0, built.stderr
        (tmp_path / "anki").mkdir()
        col = Collection(str(tmp_path / "anki" / "collection.anki2"))
        try:
            package = tmp_path / "decks" / "cloze-limits.apkg"
            col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
            assert col.card_count() == 1
        finally:
            col.close()
    record("values: cloze numbers", inputs=1)


MANIFESTS = {
    "not json": "{",
    "null": "null",
    "a list": "[]",
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "text time": '{"format": 1, "created": "now", "deck": {"hash": "h", "mtime": 1},'
    ' "models": {}, "notes": {}}',
    "boolean time": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": true},'
    ' "models": {}, "notes": {}}',
    "infinite time": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": 1e999},'
    ' "models": {}, "notes": {}}',
    "huge time": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": '
    + "9" * 30
    + '}, "models": {}, "notes": {}}',
    "5000-digit number": '{"format": 1, "created": ' + "9" * 5000 + "}",
    "negative id": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": 1}, "models": {},'
    ' "notes": {"talks-date": {"hash": "h", "mtime": 1, "nid": -5}}}',
    "huge id": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": 1}, "models": {},'
    ' "notes": {"talks-date": {"hash": "h", "mtime": 1, "nid": 18446744073709551616}}}',
    "notes a list": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": 1},'
    ' "models": {}, "notes": []}',
    "stamp a number": '{"format": 1, "created": 1, "deck": 5, "models": {}, "notes": {}}',
    "extra key": '{"format": 1, "created": 1, "deck": {"hash": "h", "mtime": 1, "x": 1},'
    ' "models": {}, "notes": {}}',
    "hash a number": '{"format": 1, "created": 1, "deck": {"hash": 5, "mtime": 1},'
    ' "models": {}, "notes": {}}',
    "format 2": '{"format": 2}',
}


@pytest.mark.parametrize("case", MANIFESTS)
def test_hand_edited_manifests_are_a_clear_error(case: str, tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    assert run_trainer("build", str(bank)).returncode == 0
    package = tmp_path / "decks" / "small-deck.apkg"
    before = package.read_bytes()
    write(tmp_path / "decks" / "small-deck.lock.json", MANIFESTS[case])
    result = run_trainer("build", str(bank))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert any(
        phrase in result.stderr
        for phrase in ("malformed build manifest", "cannot read the build manifest", "format 2")
    ), result.stderr
    assert package.read_bytes() == before
    record("values: hand-edited manifests", inputs=1)
