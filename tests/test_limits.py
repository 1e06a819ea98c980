"""`trainer limits`: the daily limits changed for good with one command, in the bank's deck,
everything else in the file left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store_support import SMALL_BANK, run_trainer, synthetic_bank, write
from trainer.bankedit import with_deck_settings
from trainer.errors import BankError, TrainerError

NOW = "2026-03-01T09:00:00"
COMMENTED = """\
# my bank
deck:
  name: Small Deck   # the name
  new_per_day: 20    # raised before exams
sources: {}
"""


def test_a_value_is_replaced_where_it_stands_and_a_new_key_added_to_the_deck() -> None:
    changed = with_deck_settings(
        COMMENTED, "cards.yaml", {"new_per_day": 35, "reviews_per_day": 150}
    )
    assert changed == COMMENTED.replace("new_per_day: 20 ", "new_per_day: 35 ").replace(
        "sources:", "  reviews_per_day: 150\nsources:"
    )


def test_a_bank_with_windows_line_endings_keeps_them_on_the_added_lines() -> None:
    """The added keys ended with a bare line feed: one Unix line in a Windows file."""
    crlf = COMMENTED.replace("\n", "\r\n")
    changed = with_deck_settings(crlf, "cards.yaml", {"reviews_per_day": 150, "exam_window": 7})
    assert changed == crlf.replace(
        "sources:", "  reviews_per_day: 150\r\n  exam_window: 7\r\nsources:"
    )


def test_a_bank_that_starts_with_a_byte_order_mark_keeps_it(tmp_path: Path) -> None:
    bank = tmp_path / "cards.yaml"
    bank.write_bytes(b"\xef\xbb\xbf" + SMALL_BANK.encode("utf-8"))
    result = run_trainer("limits", str(bank), "--new-per-day", "5", now=NOW)
    assert result.returncode == 0, result.stderr
    assert bank.read_bytes() == b"\xef\xbb\xbf" + SMALL_BANK.replace(
        "  name: Small Deck\n", "  name: Small Deck\n  new_per_day: 5\n"
    ).encode("utf-8")


def test_a_flow_style_deck_is_left_to_the_editor() -> None:
    with pytest.raises(TrainerError, match=r"cards\.yaml:1:7:"):
        with_deck_settings("deck: {name: D}\n", "cards.yaml", {"new_per_day": 5})


def test_the_command_changes_the_limit_for_every_later_review(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(40))
    db = tmp_path / "reviews.sqlite3"
    assert run_trainer("due", str(bank), "--db", str(db), now=NOW).stdout == "20\n"
    result = run_trainer("limits", str(bank), "--new-per-day", "30")
    assert result.returncode == 0, result.stderr
    assert "new cards per day: 30" in result.stdout
    assert bank.read_text() == synthetic_bank(40, deck_settings="  new_per_day: 30\n")
    assert run_trainer("due", str(bank), "--db", str(db), now=NOW).stdout == "30\n"
    shown = run_trainer("limits", str(bank))
    assert shown.stdout.splitlines()[:2] == [
        "new cards per day: 30",
        "reviews per day: 200 (default)",
    ]


def test_bad_input_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    result = run_trainer("limits", str(bank), "--new-per-day", "many")
    assert result.returncode == 2
    flow = write(
        tmp_path / "flow.yaml",
        SMALL_BANK.replace("deck:\n  name: Small Deck", "deck: {name: Small Deck}"),
    )
    before = flow.read_bytes()
    result = run_trainer("limits", str(flow), "--new-per-day", "5")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert flow.read_bytes() == before


def test_an_invalid_bank_is_not_rewritten(tmp_path: Path) -> None:
    from trainer.bankedit import set_deck_settings

    bank = write(tmp_path / "cards.yaml", SMALL_BANK.replace("type: mcq", "type: mcqq"))
    before = bank.read_bytes()
    with pytest.raises(BankError):
        set_deck_settings(bank, {"new_per_day": 5})
    assert bank.read_bytes() == before
