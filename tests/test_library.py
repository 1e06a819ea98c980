"""Many banks, one database: independent histories, commands from any folder, moved, vanished,
renamed and broken banks, and the upgrade of a one-bank database made by the trainer of today."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.store_support import SMALL_BANK, run_trainer, synthetic_bank, write
from tests.tui_support import SIZE, screen_text
from trainer import bank as bank_module
from trainer.errors import BankError
from trainer.library import open_library, read_library
from trainer.schedulers import Schedule, Settings, intervals
from trainer.session import open_session
from trainer.store.banks import all_banks
from trainer.store.reports import due_count
from trainer.tui.app import ReviewApp
from trainer.tui.screens.stats import overview
from trainer.tui.widgets.progress_header import ProgressHeader

NOW = "2026-03-01T09:00:00"
SCHEMA6 = Path(__file__).parent / "data" / "schema6"


def deck(name: str, *, count: int = 3, settings: str = "") -> str:
    """A bank of `count` basic cards `card-0`... named `name` (so every bank shares ids)."""
    return synthetic_bank(count, deck_settings=settings).replace("name: Synthetic", f"name: {name}")


def make_banks(root: Path) -> list[Path]:
    """Three banks in three folders, each with the card ids card-0, card-1, card-2."""
    paths = []
    for name in ("Polity", "Economy", "Current affairs"):
        folder = root / name.lower().replace(" ", "-")
        folder.mkdir()
        paths.append(write(folder / "cards.yaml", deck(name)))
    return paths


def register(paths: list[Path], db: Path) -> None:
    """Make the database know these banks, as a first `trainer due BANK` does."""
    for path in paths:
        assert run_trainer("due", str(path), "--db", str(db), now=NOW).returncode == 0


def review_all(bank: Path | None, db: Path, grade: int = 4) -> list[tuple[str, str]]:
    """Answer today's queue with `grade` (re-drills with 5); returns (deck, item id) shown."""
    shown = []
    with open_session(bank, db) as session:
        while (card := session.current()) is not None:
            shown.append((card.bank.name, card.item.id))
            session.grade(card, 5 if card.kind == "redrill" else grade, 1000)
    return shown


def history(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT b.name, r.item_id, r.grade FROM reviews r JOIN banks b ON b.id = r.bank_id"
            " ORDER BY r.id"
        ).fetchall()


def test_three_banks_keep_independent_histories_with_a_shared_card_id(
    tmp_path: Path, set_now
) -> None:
    polity, economy, affairs = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    assert review_all(polity, db, grade=5) == [("Polity", f"card-{n}") for n in range(3)]
    assert review_all(economy, db, grade=3)[:3] == [("Economy", f"card-{n}") for n in range(3)]
    open_session(affairs, db).close()  # known, never reviewed
    with sqlite3.connect(db) as connection:
        items = connection.execute(
            "SELECT b.name, i.id, i.retired, i.interval, i.easiness_hundredths FROM items i"
            " JOIN banks b ON b.id = i.bank_id WHERE i.id = 'card-0' ORDER BY b.id"
        ).fetchall()
    assert items == [  # using one bank retired none of another's items
        ("Polity", "card-0", 0, 1, 260),
        ("Economy", "card-0", 0, 1, 236),
        ("Current affairs", "card-0", 0, 0, 250),
    ]
    assert {(name, grade) for name, item, grade in history(db) if item == "card-0"} == {
        ("Polity", 5),
        ("Economy", 3),
        ("Economy", 5),  # its re-drill
    }
    stats = json.loads(run_trainer("stats", "--db", str(db), "--json", now=NOW).stdout)
    assert stats["banks"]["Polity"]["reviews_total"] == 3
    assert stats["banks"]["Economy"]["reviews_total"] == 3
    assert stats["banks"]["Current affairs"]["reviews_total"] == 0
    assert stats["banks"]["Current affairs"]["due_now"] == 3
    assert stats["reviews_total"] == 6 and stats["items_total"] == 9 and stats["due_now"] == 3


def test_due_stats_and_review_from_an_unrelated_folder(
    tmp_path: Path, set_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    polity, economy, affairs = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    review_all(polity, db)
    register([economy, affairs], db)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"TRAINER_DB": str(db)}
    due = run_trainer("due", now=NOW, cwd=elsewhere, extra_env=env)
    assert (due.returncode, due.stdout, due.stderr) == (0, "6\n", "")  # two unreviewed banks
    stats = run_trainer("stats", "--json", now=NOW, cwd=elsewhere, extra_env=env)
    assert stats.returncode == 0, stats.stderr
    assert sorted(json.loads(stats.stdout)["banks"]) == ["Current affairs", "Economy", "Polity"]
    only = run_trainer("due", str(economy), now=NOW, cwd=elsewhere, extra_env=env)
    assert only.stdout == "3\n"  # BANK limits it to that bank
    monkeypatch.chdir(elsewhere)
    shown = review_all(None, db)
    assert {name for name, _ in shown} == {"Economy", "Current affairs"}
    assert run_trainer("due", now=NOW, cwd=elsewhere, extra_env=env).stdout == "0\n"


def test_due_sums_each_banks_own_limits(tmp_path: Path, set_now) -> None:
    db = tmp_path / "reviews.sqlite3"
    small = write(tmp_path / "small.yaml", deck("Small", count=10, settings="  new_per_day: 2\n"))
    large = write(tmp_path / "large.yaml", deck("Large", count=10, settings="  new_per_day: 5\n"))
    for path in (small, large):
        assert run_trainer("due", str(path), "--db", str(db), now=NOW).returncode == 0
    assert run_trainer("due", "--db", str(db), now=NOW).stdout == "7\n"
    with open_session(None, db) as session:
        assert session.counts().new == 7
        assert session.header(session.current()) == "Small \u00b7 2 left here \u00b7 2 banks"


def test_a_moved_bank_keeps_its_history(tmp_path: Path, set_now) -> None:
    polity, *others = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    review_all(polity, db)
    register(others, db)
    before = history(db)
    moved = tmp_path / "moved" / "polity.yaml"
    moved.parent.mkdir()
    polity.rename(moved)
    result = run_trainer("due", "--db", str(db), now="2026-03-02T09:00:00")
    assert result.stdout == "6\n"  # the other two banks; Polity is left out...
    assert "no longer at" in result.stderr and "polity" in result.stderr
    again = run_trainer("due", "--db", str(db), now="2026-03-02T09:00:00")
    assert (again.stdout, again.stderr) == ("6\n", "")  # ...and reported once
    used = run_trainer("due", str(moved), "--db", str(db), now="2026-03-02T09:00:00")
    assert used.stdout == "3\n" and "now read from" in used.stderr  # reviews due: history kept
    assert run_trainer("due", "--db", str(db), now="2026-03-02T09:00:00").stdout == "9\n"
    assert history(db) == before
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM banks").fetchone()[0] == 3


def test_a_bank_with_errors_beside_good_ones(tmp_path: Path, set_now) -> None:
    polity, *others = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    review_all(polity, db)
    register(others, db)
    write(polity, deck("Polity").replace("type: basic", "type: quiz", 1))
    result = run_trainer("due", "--db", str(db), now=NOW)
    assert result.returncode == 0 and result.stdout == "6\n"
    assert f"{polity}:" in result.stderr and "unknown" in result.stderr
    assert f"(`trainer check {polity}` lists them)" in result.stderr  # works from any folder
    stats = run_trainer("stats", "--db", str(db), "--json", now=NOW)
    assert stats.returncode == 0 and stats.stderr == ""  # reported once
    assert json.loads(stats.stdout)["banks"]["Polity"]["reviews_total"] == 3
    tables = run_trainer("stats", "--db", str(db), now=NOW)
    assert tables.returncode == 0 and "Polity" in tables.stdout
    with open_session(None, db) as session:  # the others can be reviewed
        assert session.counts().new == 6
    with pytest.raises(BankError):  # but reviewing that bank by name wants it fixed
        open_session(polity, db)
    write(polity, deck("Polity", count=4))
    assert run_trainer("due", "--db", str(db), now=NOW).stdout == "7\n"


def test_a_renamed_deck_without_an_id_keeps_its_history(tmp_path: Path, set_now) -> None:
    (polity, *_) = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    review_all(polity, db)
    write(polity, deck("Indian Polity"))
    result = run_trainer("stats", str(polity), "--db", str(db), "--json", now=NOW)
    assert "add `id: Polity` under `deck:`" in result.stderr
    assert json.loads(result.stdout)["banks"]["Indian Polity"]["reviews_total"] == 3
    write(polity, deck("Indian Polity", count=4))
    assert run_trainer("due", str(polity), "--db", str(db), now=NOW).stderr == ""  # told once
    write(polity, deck("Indian Polity").replace("name:", "id: Polity\n  name:"))
    assert run_trainer("due", str(polity), "--db", str(db), now=NOW).stdout == "0\n"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT identity, name FROM banks").fetchall() == [
            ("Polity", "Indian Polity")
        ]


def test_a_bank_used_from_a_copy_is_read_from_there(tmp_path: Path, set_now) -> None:
    """The database remembers where each bank was last used: a copy (same deck) takes over."""
    (polity, *_) = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    review_all(polity, db)
    copy = write(tmp_path / "copy.yaml", deck("Polity", count=4))
    result = run_trainer("due", str(copy), "--db", str(db), now=NOW)
    assert result.returncode == 0 and result.stdout == "1\n"  # only the new card-3
    assert "is now read from" in result.stderr and str(polity) in result.stderr
    assert run_trainer("due", "--db", str(db), now=NOW).stdout == "1\n"
    write(copy, deck("Polity").replace("name:", "id: polity-copy\n  name:"))
    assert run_trainer("due", str(copy), "--db", str(db), now=NOW).stdout == "3\n"  # a new bank


def test_a_database_of_todays_schema_is_upgraded_keeping_every_review(
    tmp_path: Path, set_now
) -> None:
    """`data/schema6` was made by the trainer before this change (see its make.py)."""
    db = shutil.copy(SCHEMA6 / "reviews.sqlite3", tmp_path / "reviews.sqlite3")
    bank = shutil.copy(SCHEMA6 / "cards.yaml", tmp_path / "cards.yaml")
    log_columns = "id, item_id, reviewed_at, study_day, kind, grade, answer_ms"
    schedule = "id, repetitions, easiness_hundredths, interval, due_day, buried_until, suspended"
    with sqlite3.connect(db) as old:
        reviews = old.execute(f"SELECT {log_columns} FROM reviews ORDER BY id").fetchall()
        items = old.execute(f"SELECT {schedule} FROM items ORDER BY id").fetchall()
        undo_steps = old.execute("SELECT item_id, log_id FROM undo_steps ORDER BY id").fetchall()
        tallies = old.execute("SELECT * FROM daily_tallies ORDER BY 1, 2").fetchall()
        # where the bank was when the database was made, a folder since gone
        made_in = str(tmp_path / "gone" / "cards.yaml")
        old.execute("UPDATE meta SET value = ? WHERE key = 'bank_path'", (made_in,))
    assert len(reviews) == 20 and len(undo_steps) == 6
    set_now("2026-03-04T09:00:00")
    before = run_trainer("stats", str(bank), "--db", str(db), "--json", now="2026-03-04T09:00:00")
    assert before.returncode == 0, before.stderr
    assert "now read from" in before.stderr  # the bank was made in another folder
    with sqlite3.connect(db) as new:
        # m014: the bank was read again, its notes' citations kept for Anki's links
        assert new.execute("SELECT count(*) FROM notes WHERE citations IS NULL").fetchone() == (0,)
        assert new.execute(f"SELECT {log_columns} FROM reviews ORDER BY id").fetchall() == reviews
        assert new.execute(f"SELECT {schedule} FROM items ORDER BY id").fetchall() == items
        assert new.execute("SELECT item_id, log_id FROM undo_steps ORDER BY id").fetchall() == (
            undo_steps
        )
        assert (
            new.execute(
                "SELECT study_day, kind, answers, correct FROM daily_tallies ORDER BY 1, 2"
            ).fetchall()
            == tallies
        )
        assert new.execute("SELECT DISTINCT bank_id FROM reviews").fetchall() == [(1,)]
        assert new.execute("SELECT id, identity, name FROM banks").fetchall() == [
            (1, "Small Deck", "Small Deck")
        ]
    stats = json.loads(before.stdout)
    assert stats["reviews_total"] == sum(kind in ("new", "review") for *_, kind, _, _ in reviews)
    assert stats["practice_total"] == 8  # 5 re-drills and 3 cram answers
    assert stats["banks"]["Small Deck"]["reviews_total"] == stats["reviews_total"]
    with open_session(None, db) as session:  # and studying goes on from the same schedules
        card = session.current()
        assert card is not None and card.bank.name == "Small Deck"


def test_an_edit_saved_during_a_sync_is_read_by_the_next_command(
    tmp_path: Path, set_now, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = write(tmp_path / "cards.yaml", deck("Polity", count=3))
    db = tmp_path / "reviews.sqlite3"
    parse = bank_module.parse_bank

    def parse_then_save_an_edit(text: str, path: Path, read=None):  # the bytes were read
        parsed = parse(text, path, read)
        write(bank, deck("Polity", count=5))
        return parsed

    monkeypatch.setattr(bank_module, "parse_bank", parse_then_save_an_edit)
    assert read_library(db, bank, due_count) == 3  # what was parsed
    monkeypatch.setattr(bank_module, "parse_bank", parse)
    assert read_library(db, bank, due_count) == 5  # the edit was not taken for synced


def test_unchanged_banks_are_read_only(tmp_path: Path, set_now) -> None:
    make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    for path in tmp_path.glob("*/cards.yaml"):
        open_library(db, path)[0].close()
    connection, banks = open_library(db, None)
    with connection:
        assert len(banks) == 3 == len(all_banks(connection))
        with pytest.raises(sqlite3.OperationalError):
            connection.execute("DELETE FROM banks")


def test_a_new_database_uses_cards_yaml_in_the_current_folder(tmp_path: Path) -> None:
    write(tmp_path / "cards.yaml", SMALL_BANK)
    db = tmp_path / "reviews.sqlite3"
    assert run_trainer("due", "--db", str(db), now=NOW, cwd=tmp_path).stdout == "4\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_trainer("due", "--db", str(tmp_path / "new.sqlite3"), now=NOW, cwd=empty)
    assert result.returncode == 1 and "cards.yaml:1:1: no such file" in result.stderr


def test_the_review_header_names_the_cards_deck_and_whats_left_in_each_bank(
    tmp_path: Path, set_now
) -> None:
    polity, economy, _ = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    register([polity, economy], db)

    async def run() -> list[str]:
        app = ReviewApp(open_session(None, db), timer=lambda: 0.0)
        headers = []
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(4):
                await pilot.pause()
                headers.append(app.screen.query_one(ProgressHeader).deck_line)
                await pilot.press("space", "4")
        app.session.close()
        return headers

    assert asyncio.run(run()) == [
        "Polity \u00b7 3 left here \u00b7 2 banks",
        "Polity \u00b7 2 left here \u00b7 2 banks",
        "Polity \u00b7 1 left here \u00b7 2 banks",
        "Economy \u00b7 3 left here \u00b7 2 banks",
    ]


LONG_DECK = "India\u2013Canada Security Work Plan 2026"


@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=["80x24", "60x15"])
def test_at_80_columns_the_header_cuts_a_long_deck_name_never_its_figures(
    tmp_path: Path, set_now, size: tuple[int, int]
) -> None:
    polity, economy, _ = make_banks(tmp_path)
    write(polity, deck(LONG_DECK))
    db = tmp_path / "reviews.sqlite3"
    register([polity, economy], db)

    async def run() -> tuple[str, str]:
        app = ReviewApp(open_session(None, db), timer=lambda: 0.0)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            top = screen_text(app).splitlines()[0]
            counts = app.screen.query_one(ProgressHeader).counts.plain
        app.session.close()
        return top, counts

    top, counts = asyncio.run(run())
    figures = "\u00b7 3 left here \u00b7 2 banks" if size[0] == 80 else "\u2026 \u00b7 3New"
    assert figures in top  # this bank's cards left (the counts beside: every bank's)
    assert "India\u2013Can" in top and "\u2026" in top  # the name is what gives way
    assert counts.split()[:2] == ["New", "6"]


def test_each_bank_keeps_its_own_scheduler(tmp_path: Path, set_now) -> None:
    db = tmp_path / "reviews.sqlite3"
    sm2 = write(tmp_path / "sm2.yaml", deck("Polity", count=2))
    fsrs = write(tmp_path / "fsrs.yaml", deck("Economy", count=2, settings="  scheduler: fsrs\n"))
    register([sm2, fsrs], db)
    with open_session(None, db) as session:
        shown = {}
        while (card := session.current()) is not None:
            shown[card.bank.name] = session.intervals(card)
            session.grade(card, 5 if card.kind == "redrill" else 4, 1000)
    day = date(2026, 3, 1)
    assert shown["Polity"] == intervals(Settings("sm2"), Schedule(), day)
    assert shown["Economy"] == intervals(Settings("fsrs"), Schedule(), day)
    assert shown["Polity"] != shown["Economy"]
    stats = json.loads(run_trainer("stats", "--db", str(db), "--json", now=NOW).stdout)
    assert stats["scheduler"] == "mixed"
    assert (stats["banks"]["Polity"]["scheduler"], stats["banks"]["Economy"]["scheduler"]) == (
        "sm2",
        "fsrs",
    )
    assert stats["predicted_retention"] == stats["banks"]["Economy"]["predicted_retention"]
    with open_session(None, db) as session:  # the statistics screen's overview line
        assert "FSRS predicts" in overview(session.stats()).plain
    with sqlite3.connect(db) as connection:
        polity = "SELECT id, interval, due_day FROM items WHERE bank_id = 1 ORDER BY id"
        before = connection.execute(polity).fetchall()
    write(fsrs, deck("Economy", count=2))  # back to SM-2: Economy's log is replayed, only it
    assert run_trainer("due", "--db", str(db), now=NOW).returncode == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute(polity).fetchall() == before
        economy = connection.execute(
            "SELECT count(*) FROM items WHERE bank_id = 2 AND stability IS NULL"
            " AND due_day = '2026-03-02'"
        )
        assert economy.fetchone()[0] == 2  # SM-2's one day after a first pass


def test_undo_takes_back_only_the_banks_under_review(tmp_path: Path, set_now) -> None:
    """`trainer review B` never undoes an answer given that day in bank A."""
    polity, economy, _ = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    with open_session(polity, db) as session:
        card = session.current()
        assert card is not None
        session.grade(card, 4, 1000)
    with open_session(economy, db) as session:
        assert not session.can_undo()
        assert session.undo() is None
    with open_session(None, db) as session:  # every bank: the answer in Polity is undone
        undone = session.undo()
        assert undone is not None and undone.id == card.item.id
    assert history(db) == []


def test_a_one_bank_session_counts_only_that_banks_answers(tmp_path: Path, set_now) -> None:
    """Progress and the "Done for today" box are the session's banks' figures alike."""
    polity, economy, _ = make_banks(tmp_path)
    db = tmp_path / "reviews.sqlite3"
    review_all(polity, db, grade=5)  # three answers in another bank today
    with open_session(economy, db) as session:
        assert session.answered_today() == 0  # the progress bar starts empty
        card = session.current()
        session.grade(card, 2, 1000)
        while (card := session.current()) is not None:
            session.grade(card, 5, 1000)
        summary = session.summary()
        assert session.answered_today() == summary.reviewed_today == summary.reviewed == 4
        assert summary.retention_today == 2 / 3  # Economy's 3 scheduled answers, one failed
        assert summary.seconds_today == 4
    with open_session(None, db) as both:
        assert both.answered_today() == both.summary().reviewed_today == 7
