"""Hostile inputs, round three (issue #26): one database, one lock, bounded reads, no traceback.

Each test is one class of the issue's list and records what it tried (`record`), so
`python -m tests.reliability_support` counts them for docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sqlite3
import stat
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from tests.reliability_support import record
from tests.store_support import SMALL_BANK, run_trainer, write
from tests.tui_support import SIZE, make_app, sync
from trainer.errors import TrainerError
from trainer.session import open_session
from trainer.store.guard import DatabaseError
from trainer.tui.screens.browser import BrowserScreen, DueDayScreen
from trainer.tui.screens.review import ReviewScreen

DAY_1 = "2026-03-01T09:00:00"


@pytest.fixture(autouse=True)
def day_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", DAY_1)
    monkeypatch.delenv("TRAINER_DB", raising=False)


def _env(db: Path) -> dict[str, str]:
    return {"TRAINER_DB": str(db)}


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def _made(tmp_path: Path) -> tuple[Path, Path]:
    """A bank and its database after one graded card (the session closed)."""
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    db = tmp_path / "reviews.sqlite3"
    with open_session(bank, db) as session:
        card = session.current()
        assert card is not None
        session.grade(card, 4, 1000)
    return bank, db


def _reviews(db: Path) -> int:
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT count(*) FROM reviews").fetchone()[0]


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """`chattr +i` on `path` (root cannot write it either), or skip where not supported."""
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)


# -- 1. a hard link to the database -------------------------------------------------------


def test_a_database_with_a_hard_link_is_refused_through_every_name(tmp_path: Path) -> None:
    bank, db = _made(tmp_path)
    other = tmp_path / "elsewhere" / "same.sqlite3"
    other.parent.mkdir()
    os.link(db, other)
    before = db.read_bytes()
    runs = 0
    for name in (db, other):
        with pytest.raises(DatabaseError, match="hard links"):
            open_session(bank, name)
        for command in ("due", "stats", "cards"):
            result = run_trainer(command, str(bank), extra_env=_env(name))
            assert result.returncode == 1, (command, result.stderr)
            assert "hard links" in result.stderr
            _no_traceback(result)
            runs += 1
    assert db.read_bytes() == before
    assert not (tmp_path / "elsewhere" / "same.sqlite3-wal").exists()
    record("round 3: hard-linked database", names=2, command_runs=runs)


# -- 2. a failed save after `e` -------------------------------------------------------------

EDIT_SCRIPT = """\
import sys
path = sys.argv[-1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace("Themselves", "Still themselves"))
"""


@sync
async def test_a_failed_save_after_an_edit_is_a_message_and_the_review_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = write(tmp_path / "edit.py", EDIT_SCRIPT)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = make_app(tmp_path)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise DatabaseError("cannot save to the review database: database or disk is full")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        monkeypatch.setattr("trainer.session.mirror_bank", disk_full)
        await pilot.press("e")
        await pilot.pause()
        errors = [note for note in app._notifications if note.severity == "error"]
        assert len(errors) == 1 and "disk is full" in errors[0].message
        assert isinstance(app.screen, ReviewScreen) and app.screen.card is not None
        await pilot.press("space", "4")  # the review goes on, and the grade is kept
        await pilot.pause()
    assert _reviews(tmp_path / "reviews.sqlite3") == 1
    record("round 3: failed save after an edit", inputs=1)


# -- 3. a damaged previous package, the manifest lost ---------------------------------------


def _rewrite_collection(package: Path, change: str) -> None:
    """Run the SQL `change` on the package's collection, in place."""
    scratch = package.with_name("scratch.anki2")
    with zipfile.ZipFile(package) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    scratch.write_bytes(entries["collection.anki2"])
    with closing(sqlite3.connect(scratch)) as connection:
        connection.execute(change)
        connection.commit()
    entries["collection.anki2"] = scratch.read_bytes()
    scratch.unlink()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def _zip_bomb(package: Path, size: int) -> None:
    """A zip of a few MB whose collection.anki2 inflates to `size` bytes of zeros. Deflate with
    a full flush after each MB makes every MB's compressed bytes the same, so it is built fast."""
    chunk = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = first + again * (size // chunk - 1) + compressor.flush()
    name = b"collection.anki2"
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, 0, len(data), size, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0x21,
        0,
        len(data),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    offset = len(local) + len(name) + len(data)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), offset, 0)
    package.write_bytes(local + name + data + central + name + end)


DAMAGE = {
    "models JSON invalid": "UPDATE col SET models = '{not json'",
    "a model's mod 'abc'": "UPDATE col SET models = json_set(models, '$.' || "
    "(SELECT key FROM json_each(models) LIMIT 1) || '.mod', 'abc')",
    "a model's mod missing": "UPDATE col SET models = json_remove(models, '$.' || "
    "(SELECT key FROM json_each(models) LIMIT 1) || '.mod')",
    "a model's mod 1e999": 'UPDATE col SET models = replace(models, \'"mod":\', \'"mod":1e999,'
    '"x":\')',
    "crt 'abc'": "UPDATE col SET crt = 'abc'",
    "crt -5": "UPDATE col SET crt = -5",
    "a note's mod 'abc'": "UPDATE notes SET mod = 'abc'",
    "a note's id past 2**53": "UPDATE notes SET id = 9007199254740993 WHERE id = "
    "(SELECT min(id) FROM notes)",
    "decks JSON a list": "UPDATE col SET decks = '[1, 2]'",
    "no col table": "DROP TABLE col",
}
BOMB_BYTES = 2 << 30
MEMORY_LIMIT = 1 << 30
"""The build runs under this address-space limit: reading the bomb whole would exceed it."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _build(bank: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", "build", str(bank)],
        capture_output=True,
        text=True,
        env=os.environ | {"TRAINER_NOW": DAY_1},
        preexec_fn=_limit_memory,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("damage", [*DAMAGE, "a 2 GB collection in a small zip"])
def test_a_damaged_package_is_not_used_to_rebuild_the_manifest(damage: str, tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    assert _build(bank).returncode == 0
    package = tmp_path / "decks" / "small-deck.apkg"
    (tmp_path / "decks" / "small-deck.lock.json").unlink()
    if damage in DAMAGE:
        _rewrite_collection(package, DAMAGE[damage])
    else:
        _zip_bomb(package, BOMB_BYTES)
        assert package.stat().st_size < 8 << 20
    result = _build(bank)
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "cannot be rebuilt from it" in result.stdout
    assert (tmp_path / "decks" / "small-deck.lock.json").exists()
    record("round 3: damaged package, manifest lost", inputs=1)


# -- 4. control characters in card text ------------------------------------------------------

CONTROLS = {
    "NUL": "\\0",
    "ESC": "\\e",
    "record separator": "\\x1e",
    "unit separator": "\\x1f",
    "DEL": "\\x7f",
    "BEL": "\\a",
    "carriage return": "\\r",
    "vertical tab": "\\v",
}


@pytest.mark.parametrize("name", CONTROLS)
def test_control_characters_in_bank_text_are_located_errors_for_build_and_sync(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRAINER_NOW")  # `sync` refuses it
    escape = CONTROLS[name]
    text = SMALL_BANK.replace("back: 7 February 2026", f'back: "7 Feb{escape}ruary 2026"')
    assert text != SMALL_BANK
    bank = write(tmp_path / "cards.yaml", text)
    line = text.splitlines().index(f'    back: "7 Feb{escape}ruary 2026"') + 1
    runs = 0
    for args, now in (
        (("check",), DAY_1),
        (("build",), DAY_1),
        (("sync", "--collection", str(tmp_path / "collection.anki2")), None),
    ):
        result = run_trainer(*args, str(bank), now=now, extra_env=_env(tmp_path / "r.sqlite3"))
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert f"{bank}:{line}:11: card 'talks-date': 'back' holds the control character U+" in (
            result.stderr
        )
        _no_traceback(result)
        runs += 1
    assert not (tmp_path / "decks").exists()
    record("round 3: control characters in card text", inputs=1, command_runs=runs)


# -- 5. the browser's "Due in how many days?" -----------------------------------------------

DUE_ANSWERS = {
    "99999999": None,
    "36501": None,
    "2900000": None,
    "1.5": None,
    "-3": None,
    "1e3": None,
    "²": None,
    "٣": None,
    "9" * 40: None,
    "36500": 36500,
    "0": 0,
    "007": 7,
}


@sync
async def test_the_due_day_question_takes_0_to_36500_days_only(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "5")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        for answer, days in DUE_ANSWERS.items():
            chosen = browser.selected()
            assert chosen is not None
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DueDayScreen)
            await pilot.press(*answer, "enter")
            await pilot.pause()
            if days is None:
                assert isinstance(app.screen, DueDayScreen), answer
                assert "0 to 36,500" in list(app._notifications)[-1].message
                await pilot.press("escape")
                await pilot.pause()
            else:
                row = next(row for row in browser.shown if row.id == chosen.id)
                assert row.due == app.session.today() + timedelta(days=days), answer
    record("round 3: due-day answers", inputs=len(DUE_ANSWERS))


# -- 6. banks that are not regular files, or too large ---------------------------------------


def _check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args, str(path)],
        capture_output=True,
        text=True,
        env=os.environ | {"TRAINER_NOW": DAY_1, "TRAINER_DB": str(path.parent / "r.sqlite3")},
        preexec_fn=_limit_memory,
        timeout=60,
        check=False,
    )


def test_a_bank_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate((256 << 20) + 1)  # sparse: larger than any bank, nothing written
    cases = {
        Path("/dev/zero"): "is a device",
        Path("/dev/urandom"): "is a device",
        fifo: "is a FIFO",
        big: "is larger than 256 MB",
    }
    runs = 0
    for path, message in cases.items():
        for command in ("check", "build", "due"):
            result = _check(path, command)
            _no_traceback(result)
            assert result.returncode == 1, (path, command, result.stderr)
            assert f"{path}:1:1: {message}" in result.stderr, (command, result.stderr)
            runs += 1
    record("round 3: banks that are not regular files", inputs=len(cases), command_runs=runs)


def test_a_known_bank_replaced_by_a_fifo_is_reported_not_waited_on(tmp_path: Path) -> None:
    bank, db = _made(tmp_path)
    bank.unlink()
    os.mkfifo(bank)
    result = subprocess.run(  # no BANK: every bank the database knows
        [sys.executable, "-m", "trainer", "due"],
        capture_output=True,
        text=True,
        env=os.environ | {"TRAINER_NOW": DAY_1, "TRAINER_DB": str(db)},
        timeout=30,
        check=False,
    )
    _no_traceback(result)
    assert result.returncode == 0
    assert str(bank) in result.stderr
    record("round 3: a known bank replaced by a FIFO", inputs=1)


# -- 7. a damaged older database ----------------------------------------------------------------


@pytest.mark.parametrize("table", ["reviews", "notes", "undo_steps", "category_tallies"])
def test_a_damaged_older_database_is_refused_before_backup_or_migration(
    table: str, tmp_path: Path
) -> None:
    bank, db = _made(tmp_path)
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(f"DROP TABLE {table}")
        connection.execute("PRAGMA user_version = 13")
        connection.commit()
    assert not (tmp_path / "backups").exists()
    before = db.read_bytes()
    runs = 0
    with pytest.raises(DatabaseError, match="left untouched"):
        open_session(bank, db)
    for command in ("review", "due"):
        result = run_trainer(command, str(bank), now="2026-03-02T09:00:00", extra_env=_env(db))
        _no_traceback(result)
        assert result.returncode == 1
        runs += 1
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 13
    record("round 3: damaged older database", inputs=1, command_runs=runs + 1)


# -- 8. the session lock never fails open ------------------------------------------------------


def test_an_unwritable_lock_file_refuses_the_session(tmp_path: Path) -> None:
    bank, db = _made(tmp_path)
    lock = tmp_path / "reviews.sqlite3.session-lock"
    assert lock.exists()
    with _immutable(lock), pytest.raises(TrainerError, match="cannot lock the review session"):
        open_session(bank, db)
    record("round 3: unwritable lock file", inputs=1)


def test_a_deleted_lock_file_stops_the_first_session_writing(tmp_path: Path) -> None:
    bank, db = _made(tmp_path)
    with open_session(bank, db, new_per_day=10) as first:
        card = first.current()
        assert card is not None
        (tmp_path / "reviews.sqlite3.session-lock").unlink()
        with open_session(bank, db, new_per_day=10) as second:  # meets no lock: starts
            with pytest.raises(TrainerError, match="lock file was deleted"):
                first.grade(card, 4, 1000)
            with pytest.raises(TrainerError, match="lock file was deleted"):
                first.bury(card)
            now = second.current()
            assert now is not None
            second.grade(now, 4, 1000)
    assert _reviews(db) == 2  # the first session's grade before, and the second's
    record("round 3: deleted lock file", inputs=1)


# -- 9. a reader after a crash -----------------------------------------------------------------

HOLDER = """\
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT count(*) FROM items").fetchall()
print("ready", flush=True)
time.sleep(120)
"""


@contextlib.contextmanager
def _wal_needing_recovery(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A database whose WAL index a crash left damaged while another connection holds it
    open, its -shm file unwritable to the reader (SQLite then answers a read-only
    connection with SQLITE_READONLY_RECOVERY)."""
    bank, db = _made(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        shm = Path(f"{db}-shm")
        with shm.open("r+b") as file:
            file.write(b"\xff" * 136)  # both copies of the index header, garbled
        with _immutable(shm):
            yield bank, db
    finally:
        holder.kill()
        holder.wait()


def test_a_reader_that_cannot_recover_says_so_and_does_not_call_the_file_corrupt(
    tmp_path: Path,
) -> None:
    with _wal_needing_recovery(tmp_path) as (bank, db):
        result = run_trainer("due", str(bank), extra_env=_env(db))
    _no_traceback(result)
    assert result.returncode == 1
    assert "needs the recovery SQLite makes after a crash" in result.stderr
    assert "restore a copy" not in result.stderr
    assert run_trainer("due", str(bank), extra_env=_env(db)).stdout.strip().isdigit()
    record("round 3: reader needing recovery", inputs=1, command_runs=2)


def test_a_reader_retries_while_the_recovery_cannot_be_made(tmp_path: Path) -> None:
    with _wal_needing_recovery(tmp_path) as (bank, db):
        reader = subprocess.Popen(
            [sys.executable, "-m", "trainer", "due", str(bank)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ | _env(db),
        )
        time.sleep(1.5)  # the reader starts meanwhile and finds the index damaged
        subprocess.run(["chattr", "-i", f"{db}-shm"], check=True)
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert out.strip() == "3"
    record("round 3: reader retrying a recovery", inputs=1)


# -- 10. backup rotation and glob characters -----------------------------------------------------


def test_backups_of_a_database_with_glob_characters_rotate_and_touch_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    names = ("a.sqlite3", "r[1]?.sqlite3", "[ab].sqlite3", "*.sqlite3")
    opened = 0
    for day in range(1, 11):
        monkeypatch.setenv("TRAINER_NOW", f"2026-03-{day:02d}T09:00:00")
        for name in names:
            with open_session(bank, tmp_path / name):
                opened += 1
            time.sleep(0.01)  # rotation goes by file time
    made = sorted(path.name for path in (tmp_path / "backups").iterdir())
    for name in names:
        stem = name.removesuffix(".sqlite3")
        own = [backup for backup in made if backup.startswith(f"{stem}-2026-")]
        assert len(own) == 7, (name, own)
    record("round 3: backup names with glob characters", names=len(names), opens=opened)


# -- 11. `trainer limits` keeps the bank's mode and links -----------------------------------------


def test_limits_keeps_the_bank_s_permissions_and_its_hard_links(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    bank.chmod(0o600)
    result = run_trainer("limits", str(bank), "--new-per-day", "5")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(bank.stat().st_mode) == 0o600
    linked = tmp_path / "linked.yaml"
    os.link(bank, linked)
    inode = bank.stat().st_ino
    result = run_trainer("limits", str(bank), "--new-per-day", "7")
    assert result.returncode == 0, result.stderr
    assert bank.stat().st_ino == inode and bank.stat().st_nlink == 2
    assert "new_per_day: 7" in linked.read_text(encoding="utf-8")
    assert stat.S_IMODE(bank.stat().st_mode) == 0o600
    record("round 3: limits on a private and a hard-linked bank", inputs=2)


# -- 12. `build -o /dev/stdout` ----------------------------------------------------------------


def test_build_to_standard_output_is_a_clear_error(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    result = run_trainer("build", str(bank), "-o", "/dev/stdout")  # stdout: a pipe
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith("trainer: error: cannot write /dev/stdout: it is a FIFO")
    assert "/proc/" not in result.stderr
    record("round 3: build -o /dev/stdout", inputs=1)
