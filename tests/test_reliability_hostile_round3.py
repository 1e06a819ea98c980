"""Hostile inputs, round three (issue #26): one database, one lock, bounded reads, no traceback.

Each test is one class of the issue's list and records what it tried (`record`), so
`python -m tests.reliability_support` counts them for docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sqlite3
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability_support import record
from tests.store_support import SMALL_BANK, run_trainer, write
from tests.tui_support import SIZE, make_app, sync
from trainer.session import open_session
from trainer.store.guard import DatabaseError
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
        monkeypatch.setattr("trainer.session.sync", disk_full)
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
