"""`trainer cards`: every card's state and schedule, in agreement with `trainer stats`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.store_support import SMALL_BANK, SMALL_BANK_ITEMS, run_trainer, synthetic_bank, write
from trainer.browse import state_of
from trainer.queue import ItemRecord
from trainer.session import open_session

DAY_1, DAY_2, DAY_9 = "2026-03-01T09:00:00", "2026-03-02T09:00:00", "2026-03-09T09:00:00"


def cards_json(bank: Path, db: Path, now: str, *options: str) -> list[dict]:
    result = run_trainer("cards", str(bank), "--db", str(db), "--json", *options, now=now)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["items"]


def stats_json(bank: Path, db: Path, now: str) -> dict:
    result = run_trainer("stats", str(bank), "--db", str(db), "--json", now=now)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_agrees_with_stats(items: list[dict], stats: dict) -> None:
    states = Counter(item["state"] for item in items)
    queued = Counter(item["queued"] for item in items if item["queued"])
    assert len(items) - states["retired"] == stats["items_total"]
    assert states["retired"] == stats["items_retired"]
    assert states["suspended"] + states["leech"] == stats["items_suspended"]
    assert sum(queued.values()) == stats["due_now"]
    assert (queued["review"], queued["new"], queued["redrill"]) == (
        stats["due_reviews"],
        stats["due_new"],
        stats["due_redrill"],
    )
    scheduled = Counter(
        item["due"] for item in items if item["state"] in ("review", "buried") and item["due"]
    )
    assert {day: scheduled[day] for day in stats["forecast"]} == stats["forecast"]


@pytest.fixture
def studied(tmp_path: Path, set_now) -> tuple[Path, Path]:
    """The small bank after a first day: a pass, a failure, a suspend, a bury."""
    set_now(DAY_1)
    bank, db = write(tmp_path / "cards.yaml", SMALL_BANK), tmp_path / "reviews.sqlite3"
    with open_session(bank, db) as session:
        session.grade(session.current(), 5, 1000)  # talks-date
        session.grade(session.current(), 2, 1000)  # doval: failed, to be re-drilled
        session.suspend(session.current())  # four-areas:c1 (c2, its sibling, stays away)
        session.bury(session.current())  # venue
    return bank, db


def test_states_schedules_and_history(studied: tuple[Path, Path]) -> None:
    bank, db = studied
    items = {item["id"]: item for item in cards_json(bank, db, DAY_1)}
    assert list(items) == list(SMALL_BANK_ITEMS)
    states = {item_id: item["state"] for item_id, item in items.items()}
    assert states == {
        "talks-date": "review",
        "doval": "review",
        "doval:reverse": "new",
        "four-areas:c1": "suspended",
        "four-areas:c2": "new",
        "venue": "buried",
    }
    talks = items["talks-date"]
    assert (talks["due"], talks["interval"], talks["easiness"], talks["repetitions"]) == (
        "2026-03-02",
        1,
        2.6,
        1,
    )
    assert talks["reviews"] == [{"time": DAY_1, "grade": 5, "kind": "new", "interval": 1}]
    assert (items["doval"]["lapses"], items["doval"]["queued"]) == (1, "redrill")
    assert items["four-areas:c1"]["question"] == "Areas include [...] and narcotics."
    assert items["doval:reverse"]["question"] == "India's National Security Advisor"


@pytest.mark.parametrize("now", [DAY_1, DAY_2, DAY_9])
def test_agrees_with_stats(studied: tuple[Path, Path], now: str) -> None:
    bank, db = studied
    assert_agrees_with_stats(cards_json(bank, db, now), stats_json(bank, db, now))


def test_a_card_gone_from_the_bank_is_listed_as_retired(studied: tuple[Path, Path]) -> None:
    bank, db = studied
    write(bank, SMALL_BANK.split("  - id: venue")[0])
    items = cards_json(bank, db, DAY_2)
    assert [item["state"] for item in items if item["id"] == "venue"] == ["retired"]
    assert_agrees_with_stats(items, stats_json(bank, db, DAY_2))


def test_search_and_tag(studied: tuple[Path, Path]) -> None:
    bank, db = studied
    found = cards_json(bank, db, DAY_1, "--search", "NARCOTICS")
    assert [item["id"] for item in found] == ["four-areas:c1", "four-areas:c2"]
    found = cards_json(bank, db, DAY_1, "--search", "ottawa")  # a choice of the mcq
    assert [item["id"] for item in found] == ["venue"]
    tagged = cards_json(bank, db, DAY_1, "--tag", "diplomacy", "--search", "doval")
    assert [item["id"] for item in tagged] == ["doval", "doval:reverse"]


def test_the_table_lists_each_card_on_one_line(studied: tuple[Path, Path]) -> None:
    bank, db = studied
    result = run_trainer("cards", str(bank), "--db", str(db), "--tag", "name", now=DAY_1)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "state", "due", "ivl", "ease", "reps", "lapses", "card", "question"
    ]  # fmt: skip
    assert lines[1].split()[:7] == ["review", "2026-03-02", "1", "2.18", "0", "1", "doval"]
    assert lines[-1] == "2 cards shown"


def test_a_leech_is_a_suspended_card_that_failed_too_often() -> None:
    today = date(2026, 3, 1)
    suspended = ItemRecord("a", 0, "a", date(2026, 3, 2), suspended=True)
    assert state_of(suspended, True, today) == "leech"
    assert state_of(suspended, False, today) == "suspended"
    assert state_of(ItemRecord("a", 0, "a", retired=True, suspended=True), True, today) == (
        "retired"
    )


def test_an_unchanged_bank_lists_without_yaml_or_the_ui(studied: tuple[Path, Path]) -> None:
    bank, db = studied
    probe = (
        "import sys; from trainer.cli import main; code = main(sys.argv[1:]);"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'yaml', 'textual', 'genanki'};"
        "print(sorted(heavy), file=sys.stderr); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "cards", str(bank), "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"TRAINER_NOW": DAY_1},
    )
    assert result.stderr.strip() == "[]"


def test_without_bank_every_known_bank_is_listed_and_agrees_with_stats(
    studied: tuple[Path, Path],
) -> None:
    """As review, due and stats do, `cards` without BANK covers every bank the database knows;
    with BANK only that one."""
    bank, db = studied
    other = write(bank.parent / "other.yaml", synthetic_bank(3))
    assert run_trainer("due", str(other), "--db", str(db), now=DAY_1).returncode == 0
    result = run_trainer("cards", "--db", str(db), "--json", now=DAY_1)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    decks = Counter(item["deck"] for item in items)
    assert decks == {"Small Deck": len(SMALL_BANK_ITEMS), "Synthetic": 3}
    assert {item["bank"] for item in items} == {str(bank.resolve()), str(other.resolve())}
    result = run_trainer("stats", "--db", str(db), "--json", now=DAY_1)
    assert_agrees_with_stats(items, json.loads(result.stdout))
    only = cards_json(other, db, DAY_1)
    assert [item["id"] for item in only] == ["card-0", "card-1", "card-2"]
    table = run_trainer("cards", "--db", str(db), now=DAY_1).stdout.splitlines()
    assert "== Small Deck ==" in table and "== Synthetic ==" in table


def test_an_fsrs_deck_lists_stability_and_difficulty(tmp_path: Path, set_now) -> None:
    set_now(DAY_1)
    fsrs_bank = SMALL_BANK.replace(
        "  name: Small Deck\n", "  name: Small Deck\n  scheduler: fsrs\n"
    )
    bank, db = write(tmp_path / "cards.yaml", fsrs_bank), tmp_path / "reviews.sqlite3"
    with open_session(bank, db) as session:
        session.grade(session.current(), 4, 1000)
    items = {item["id"]: item for item in cards_json(bank, db, DAY_2)}
    assert items["talks-date"]["stability"] > 0
    assert 1 <= items["talks-date"]["difficulty"] <= 10
    assert items["doval"]["stability"] is None
    assert_agrees_with_stats(list(items.values()), stats_json(bank, db, DAY_2))
    assert items["talks-date"]["scheduler"] == "fsrs"
    assert 0 < items["talks-date"]["retrievability"] < 1
    assert items["doval"]["retrievability"] is None
    table = run_trainer("cards", str(bank), "--db", str(db), now=DAY_2).stdout.splitlines()
    assert table[0].split()[:6] == ["state", "due", "ivl", "S", "D", "R"]
    (graded,) = [line for line in table if " talks-date " in line]
    stability, difficulty = items["talks-date"]["stability"], items["talks-date"]["difficulty"]
    recall = items["talks-date"]["retrievability"]
    assert f"S{stability:.0f}d D{difficulty:.1f} R{recall:.0%}" in graded
    assert "2.50" not in "\n".join(table)  # no E-Factor under FSRS


def test_an_sm2_deck_lists_the_e_factor(tmp_path: Path, set_now) -> None:
    set_now(DAY_1)
    bank, db = write(tmp_path / "cards.yaml", SMALL_BANK), tmp_path / "reviews.sqlite3"
    with open_session(bank, db) as session:
        session.grade(session.current(), 5, 1000)
    table = run_trainer("cards", str(bank), "--db", str(db), now=DAY_2).stdout.splitlines()
    assert table[0].split()[:4] == ["state", "due", "ivl", "ease"]
    (graded,) = [line for line in table if " talks-date " in line]
    assert " 2.60 " in graded
    assert {item["scheduler"] for item in cards_json(bank, db, DAY_2)} == {"sm2"}


def test_control_characters_in_bank_text_are_shown_not_obeyed(tmp_path: Path) -> None:
    """C1 controls (the 8-bit CSI here) may be bank text; C0 ones are refused by `check`."""
    hostile = SMALL_BANK.replace("When were the talks held?", '"When\\x9b2J were the talks held?"')
    bank = write(tmp_path / "cards.yaml", hostile)
    db = tmp_path / "reviews.sqlite3"
    table = run_trainer("cards", str(bank), "--db", str(db), now=DAY_1)
    assert table.returncode == 0, table.stderr
    assert "\x9b" not in table.stdout and "When\u241b[2J were" in table.stdout
    found = run_trainer("cards", str(bank), "--db", str(db), "--json", now=DAY_1)
    assert "\x9b" not in found.stdout
    assert json.loads(found.stdout)["items"][0]["question"] == "When\x9b2J were the talks held?"
