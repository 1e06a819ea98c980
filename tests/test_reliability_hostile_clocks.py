"""Hostile clocks: builds with a clock behind the manifest, backups named for the future,
dates the program cannot represent and a run of "Easy" grades past the calendar."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import zipfile
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability_support import record, scaled
from tests.store_support import SMALL_BANK, run_trainer, synthetic_bank, write
from trainer.anki import manifest
from trainer.errors import UsageError
from trainer.session import open_session
from trainer.sm2 import MAX_INTERVAL_DAYS, Sm2State, review
from trainer.store.backup import KEEP_BACKUPS, backup_path, backups

# -- the build manifest ------------------------------------------------------------------------


def test_manifest_stamps_never_go_backwards() -> None:
    tried = 0

    @settings(max_examples=scaled(200, 5000), deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 4_000_000_000),  # any clock, forwards or backwards
                st.dictionaries(st.sampled_from("abcdef"), st.sampled_from(["h1", "h2", "h3"])),
            ),
            min_size=2,
            max_size=8,
        )
    )
    def check(builds: list[tuple[int, dict[str, str]]]) -> None:
        nonlocal tried
        tried += 1
        previous = None
        given_times: set[int] = set()
        given_nids: dict[int, str] = {}
        for now, notes in builds:
            current, changes = manifest.stamp(
                previous,
                identity="Deck",
                name="Deck",
                bank="cards.yaml",
                deck_hash="d",
                model_hashes={"1": "m"},
                notes=[manifest.NoteInput(key, "basic", value) for key, value in notes.items()],
                now=now,
            )
            if previous is not None:
                for note_id in changes.changed + changes.added:  # newer than all Anki holds
                    assert current.notes[note_id].mtime > max(given_times)
                for note_id in changes.added:  # a new id, or a re-added note's own old one
                    assert given_nids.get(current.notes[note_id].nid, note_id) == note_id
            given_times |= {stamp.mtime for stamp in current.notes.values()}
            given_times.add(current.deck.mtime)
            given_nids |= {stamp.nid: note_id for note_id, stamp in current.notes.items()}
            previous = current

    check()
    record("clocks: manifest stamps over random clocks", sequences=tried)


def _import(col: Collection, package: Path):
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package))).log


@pytest.mark.parametrize("behind", [timedelta(seconds=1), timedelta(days=3), timedelta(days=400)])
def test_edits_reach_anki_from_a_build_whose_clock_is_behind(
    behind: timedelta, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    package = tmp_path / "decks" / "small-deck.apkg"
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        start = datetime.now().replace(microsecond=0) - timedelta(days=1)
        monkeypatch.chdir(tmp_path)
        first = run_trainer("build", now=start.isoformat(), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert len(_import(col, package).new) == 4
        for round_ in (1, 2):  # the clock goes back, then further back
            bank.write_text(
                bank.read_text().replace("7 February 2026", f"edit {round_}"), encoding="utf-8"
            )
            built = run_trainer("build", now=(start - behind * round_).isoformat(), cwd=tmp_path)
            assert built.returncode == 0, built.stderr
            assert "1 changed" in built.stdout
            log = _import(col, package)
            assert [entry.fields[0] for entry in log.updated] == ["When were the talks held?"]
            note = col.get_note(col.find_notes("When were the talks held?")[0])
            assert f"edit {round_}" in note["Back"]
            bank.write_text(
                bank.read_text().replace(f"edit {round_}", "7 February 2026"), encoding="utf-8"
            )
    finally:
        col.close()
    record("clocks: build behind the manifest, imported into Anki", inputs=2)


# -- backups -----------------------------------------------------------------------------------


def _plant_backup(db: Path, day: date, made: float) -> Path:
    target = backup_path(db, day)
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(db, target)
    os.utime(target, (made, made))
    return target


@pytest.mark.parametrize(
    "planted",
    [
        ("2099-01-01",),
        ("9999-12-31", "2999-06-30"),
        tuple(f"2100-01-{day:02d}" for day in range(1, KEEP_BACKUPS + 3)),  # more than kept
    ],
    ids=["one future day", "far future days", "a week of future days"],
)
def test_backups_rotate_by_when_they_were_made(
    planted: tuple[str, ...], tmp_path: Path, set_now: Callable[[str], None]
) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    db = tmp_path / "reviews.sqlite3"
    open_session(bank, db).close()
    an_hour_ago = time.time() - 3600
    future = {_plant_backup(db, date.fromisoformat(day), an_hour_ago) for day in planted}
    for day in range(2, 12):
        set_now(f"2026-03-{day:02d}T09:00:00")
        open_session(bank, db).close()
        made = backup_path(db, date(2026, 3, day))
        assert made.exists()  # today's copy is kept, not deleted at once
        stamp = made.stat().st_mtime_ns
        open_session(bank, db).close()
        assert made.stat().st_mtime_ns == stamp  # and not made again at the next open
        assert len(backups(db)) <= KEEP_BACKUPS
    kept = backups(db)
    assert [path.name for path in kept] == [
        f"reviews-2026-03-{day:02d}.sqlite3" for day in range(5, 12)
    ]
    assert not future & set(kept)
    record("clocks: backups named for the future", inputs=len(planted))


# -- dates the program cannot represent --------------------------------------------------------

REFUSED_NOW = (
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "1969-12-31T23:59:59",
    "1970-01-01T00:00:00",
    "9900-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
)
ACCEPTED_NOW = (
    "9899-12-31T23:59:59",
    "1970-01-02T00:00:00",
    "2107-12-31T23:59:59",
    "2108-01-01T00:00:01",
    "2500-06-15T12:00:00+14:00",
    "2026-03-01T09:00:00-12:00",
)


@pytest.mark.parametrize("moment", REFUSED_NOW + ACCEPTED_NOW)
def test_dates_out_of_range_are_a_clear_error_never_a_traceback(
    moment: str, tmp_path: Path
) -> None:
    write(tmp_path / "cards.yaml", synthetic_bank(3))
    env = {"TRAINER_DB": str(tmp_path / "reviews.sqlite3")}
    for command in (("build",), ("due",), ("stats",), ("stats", "--json")):
        result = run_trainer(*command, now=moment, extra_env=env, cwd=tmp_path)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if moment in REFUSED_NOW:
            assert result.returncode == 2, (command, result.stderr)
            assert "outside the dates the trainer supports" in result.stderr
        else:
            assert result.returncode == 0, (command, result.stderr)
    if moment in ACCEPTED_NOW:
        with zipfile.ZipFile(tmp_path / "decks" / "synthetic.apkg") as archive:
            assert archive.testzip() is None
    record("clocks: unrepresentable dates", inputs=1, commands=4)


def test_the_session_refuses_an_unrepresentable_clock_before_the_screen(
    tmp_path: Path, set_now: Callable[[str], None]
) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    for moment in REFUSED_NOW:
        set_now(moment)
        with pytest.raises(UsageError, match="outside the dates"):
            open_session(bank, tmp_path / "reviews.sqlite3")
    record("clocks: unrepresentable dates in review", inputs=len(REFUSED_NOW))


def test_a_run_of_easy_grades_is_capped_at_anki_s_maximum_interval(
    tmp_path: Path, set_now: Callable[[str], None]
) -> None:
    """Each review on its due day, graded Easy: SM-2's interval soon passes the calendar's end;
    the stored schedule stops at 36,500 days, and `review` itself stays exact."""
    bank = write(tmp_path / "cards.yaml", synthetic_bank(1))
    db = tmp_path / "reviews.sqlite3"
    day = date(2026, 3, 1)
    uncapped = Sm2State()
    grades = 0
    while day.year < 9800:
        set_now(f"{day.isoformat()}T09:00:00")
        with open_session(bank, db) as session:
            card = session.current()
            assert card is not None
            assert max(session.intervals(card).values()) <= MAX_INTERVAL_DAYS
            session.grade(card, 5, 1000)
        grades += 1
        uncapped = review(uncapped, 5)
        with closing(sqlite3.connect(db)) as connection:
            interval, due = connection.execute("SELECT interval, due_day FROM items").fetchone()
        assert interval == min(uncapped.interval, MAX_INTERVAL_DAYS)
        assert date.fromisoformat(due) == day + timedelta(days=interval)
        day = date.fromisoformat(due)
    assert uncapped.interval > 100 * MAX_INTERVAL_DAYS  # far past year 9999 from 2026
    result = run_trainer(
        "stats", "--json", str(bank), now=f"{day}T09:00:00", extra_env={"TRAINER_DB": str(db)}
    )
    assert result.returncode == 0, result.stderr
    record("clocks: a run of Easy grades", inputs=grades)
