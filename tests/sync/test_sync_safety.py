"""`trainer sync` never harms the collection: Anki's lock is held for the whole sync (the
backup included), one sync or review at a time, files that are no collection refused, and
every refusal one line that says what is wrong, with the collection left as it was.

The second opener in these tests is the official `anki` library in another process, as Anki
started during a sync would be.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from anki.collection import Collection

from trainer.anki import collection as anki_collection
from trainer.cli import main
from trainer.store.lock import SYNC, SessionLock

PROBE = """\
import sys
from anki.collection import Collection
from anki.errors import DBError
try:
    col = Collection(sys.argv[1])
except DBError:
    print("refused")
else:
    col.add_note(col.new_note(col.models.by_name("Basic")), 1)
    col.close()
    print("opened and wrote")
"""


def second_opener(path: Path) -> str:
    """What Anki started now would manage: 'refused', or 'opened and wrote'."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def collection_path(tmp_path: Path) -> Path:
    """An empty collection as Anki leaves it after its first start (its scheduler has set the
    day's rollover hour, which the library otherwise writes at a sync's first question)."""
    path = tmp_path / "User 1" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    assert col.sched.today >= 0
    col.close()
    return path


def sync(bank: Path, collection: Path, *options: str) -> int:
    return main(["sync", str(bank), "--collection", str(collection), *options])


def trainer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert "DbError" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


# -- the collection's lock, for the whole sync ---------------------------------------------


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A second opener's fate right after the backup and right before the sync closes the
    collection (after its last write)."""
    seen: dict[str, str] = {}
    real_backup, real_open = anki_collection.backup, anki_collection.open_collection

    def backup(col: Collection, path: Path) -> Path:
        made = real_backup(col, path)
        seen["after the backup"] = second_opener(path)
        return made

    def open_collection(path: Path) -> Collection:
        col = real_open(path)
        real_close = col.close

        def close(*args: object, **kwargs: object) -> None:
            seen["after the last write"] = second_opener(path)
            real_close(*args, **kwargs)  # type: ignore[arg-type]

        col.close = close  # type: ignore[method-assign]
        return col

    monkeypatch.setattr(anki_collection, "backup", backup)
    monkeypatch.setattr(anki_collection, "open_collection", open_collection)
    yield seen


def test_anki_cannot_open_the_collection_during_a_sync_even_after_the_backup(
    bank: Path, collection_path: Path, probes: dict[str, str]
) -> None:
    assert sync(bank, collection_path) == 0
    assert probes == {"after the backup": "refused", "after the last write": "refused"}
    col = Collection(str(collection_path))
    try:
        assert col.db is not None
        assert col.db.scalar("PRAGMA integrity_check") == "ok"
        assert col.note_count() == 3
    finally:
        col.close()


def test_the_backup_restores_the_collection_as_it_was_before_the_sync(
    bank: Path, collection_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    col = Collection(str(collection_path))
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "the user's own note"
    col.add_note(note, 1)  # type: ignore[arg-type]
    col.close()
    capsys.readouterr()
    assert sync(bank, collection_path) == 0
    (made,) = (collection_path.parent / "backups").glob("*.colpkg")
    assert str(made) in capsys.readouterr().out
    from anki._backend import RustBackend

    RustBackend().import_collection_package(  # what Anki's Open Backup does
        col_path=str(tmp_path / "restored.anki2"),
        backup_path=str(made),
        media_folder=str(tmp_path / "restored.media"),
        media_db=str(tmp_path / "restored.mdb"),
    )
    restored = Collection(str(tmp_path / "restored.anki2"))
    try:
        assert [restored.get_note(n)["Front"] for n in restored.find_notes("")] == [
            "the user's own note"
        ]
    finally:
        restored.close()


def test_only_the_trainer_s_newest_backups_are_kept_and_anki_s_are_left_alone(
    bank: Path, collection_path: Path
) -> None:
    folder = collection_path.parent / "backups"
    folder.mkdir()
    anki_own = folder / "backup-2020-01-01-10.00.00.colpkg"
    anki_own.write_bytes(b"Anki's")
    old = [folder / f"trainer-sync-2020-01-{day:02}-10.00.00.colpkg" for day in range(1, 16)]
    for path in old:
        path.write_bytes(b"old")
    assert sync(bank, collection_path) == 0
    left = sorted(path.name for path in folder.glob("trainer-sync-*.colpkg"))
    assert len(left) == anki_collection.KEPT_BACKUPS
    assert left[:-1] == [path.name for path in old[-anki_collection.KEPT_BACKUPS + 1 :]]
    assert anki_own.read_bytes() == b"Anki's"


# -- one sync or review at a time, checked before the collection is opened --------------------


def test_a_second_sync_is_refused_before_it_opens_the_collection_and_says_what_runs(
    bank: Path, collection_path: Path
) -> None:
    assert sync(bank, collection_path) == 0
    db = Path(os.environ["TRAINER_DB"])
    lock = SessionLock(db, SYNC)  # the first sync: its lock, then the collection
    col = Collection(str(collection_path))
    try:
        second = trainer("sync", str(bank), "--collection", str(collection_path))
        review = trainer("review", str(bank))
    finally:
        col.close()
        lock.release()
    assert "trainer sync is running" in one_line_error(second)
    assert "Close Anki" not in second.stderr
    assert "trainer sync is running" in review.stderr and review.returncode == 1


def test_a_sync_during_a_review_session_says_a_review_session_is_open(
    bank: Path, collection_path: Path
) -> None:
    db = Path(os.environ["TRAINER_DB"])
    db.parent.mkdir()
    lock = SessionLock(db)
    try:
        result = trainer("sync", str(bank), "--collection", str(collection_path))
    finally:
        lock.release()
    assert "review session is open" in one_line_error(result)
    assert "press q there" in result.stderr


# -- files that are no collection, damaged or read-only -------------------------------------


def _foreign(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
    db.close()


MAKERS: dict[str, Callable[[Path], None]] = {
    "empty": lambda path: path.write_bytes(b""),
    "another program's SQLite": _foreign,
    "text": lambda path: path.write_text("not a database\n" * 200),
}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_a_file_that_is_no_anki_collection_is_refused_untouched(
    bank: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "User 1" / "collection.anki2"
    path.parent.mkdir()
    MAKERS[kind](path)
    before = digest(path)
    for options in ([], ["--dry-run"]):
        result = trainer("sync", str(bank), "--collection", str(path), *options)
        assert "not an Anki collection" in one_line_error(result)
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["collection.anki2"]


def _foreign_with_its_log_left(path: Path) -> None:
    """Another program's WAL database whose last connection was a reader: SQLite leaves its
    write-ahead log beside it, as `trainer due` leaves the trainer's own database."""
    import sqlite3

    _foreign(path)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as reader:
            reader.execute("SELECT * FROM photos").fetchall()
            db.close()
    assert path.with_name(path.name + "-wal").exists()


@pytest.mark.parametrize("kind", ["another program's", "the trainer's review"])
def test_a_database_with_its_log_left_beside_it_is_no_collection_and_stays_untouched(
    bank: Path, tmp_path: Path, kind: str
) -> None:
    """Such a file was opened by the library (which made it a collection, Anki's tables and
    the bank's notes added) or refused as "open in Anki"."""
    if kind == "another program's":
        path = tmp_path / "photos.sqlite3"
        _foreign_with_its_log_left(path)
    else:
        path = Path(os.environ["TRAINER_DB"])
        for _ in range(2):  # the first makes the database; the second, a reader, leaves its log
            assert trainer("due", str(bank)).returncode == 0
    assert path.with_name(path.name + "-wal").exists()
    before = {name: digest(path.with_name(path.name + name)) for name in ("", "-wal")}
    for options in ([], ["--dry-run"]):
        result = trainer("sync", str(bank), "--collection", str(path), *options)
        assert "not an Anki collection" in one_line_error(result)
    assert {name: digest(path.with_name(path.name + name)) for name in before} == before


def test_a_damaged_collection_gets_one_line_that_says_so(bank: Path, tmp_path: Path) -> None:
    path = tmp_path / "User 1" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    data = bytearray(path.read_bytes())
    for position in range(4096, len(data), 7):  # every page but the header's
        data[position] = 0x5A
    path.write_bytes(bytes(data))
    result = trainer("sync", str(bank), "--collection", str(path))
    assert "damaged" in one_line_error(result)
    assert "Check Database" in result.stderr
    assert path.read_bytes() == bytes(data)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_collection_gets_one_line_that_says_so(
    bank: Path, collection_path: Path
) -> None:
    collection_path.chmod(0o444)
    collection_path.parent.chmod(0o555)
    try:
        result = trainer("sync", str(bank), "--collection", str(collection_path))
    finally:
        collection_path.parent.chmod(0o755)
        collection_path.chmod(0o644)
    assert "read-only" in one_line_error(result)


# -- no tracebacks: what is in the way of the backup or the lock -----------------------------


@pytest.mark.parametrize("kind", ["file", "link to nothing"])
def test_a_backups_path_that_is_no_folder_is_a_clear_error_and_changes_nothing(
    bank: Path, collection_path: Path, kind: str
) -> None:
    backups = collection_path.parent / "backups"
    if kind == "file":
        backups.write_text("mine")
    else:
        backups.symlink_to(collection_path.parent / "gone")
    before = digest(collection_path)
    result = trainer("sync", str(bank), "--collection", str(collection_path))
    assert "backups" in one_line_error(result)
    assert digest(collection_path) == before
    col = Collection(str(collection_path))
    try:
        assert col.note_count() == 0
    finally:
        col.close()


@pytest.mark.parametrize("command", ["sync", "review"])
def test_a_session_lock_path_that_is_a_folder_is_a_clear_error(
    bank: Path, collection_path: Path, command: str
) -> None:
    db = Path(os.environ["TRAINER_DB"])
    db.parent.mkdir()
    (db.parent / (db.name + ".session-lock")).mkdir()
    args = ["--collection", str(collection_path)] if command == "sync" else []
    result = trainer(command, str(bank), *args, env=os.environ | {"TERM": "xterm"})
    assert "session-lock" in one_line_error(result)


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_a_disk_that_fills_during_the_backup_leaves_no_partial_backup(
    bank: Path, collection_path: Path
) -> None:
    """The file-size limit stands for a full disk: the collection (filled with 4 MB of notes
    that do not compress) is larger than any file the sync may write."""
    col = Collection(str(collection_path))
    basic = col.models.by_name("Basic")
    for _ in range(400):
        note = col.new_note(basic)  # type: ignore[arg-type]
        note["Front"] = os.urandom(5000).hex()
        col.add_note(note, 1)  # type: ignore[arg-type]
    col.close()
    before = digest(collection_path)
    limit = 1_000_000
    assert collection_path.stat().st_size > 2 * limit
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, "
        f"({limit}, {limit})); from trainer.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "sync", str(bank), "--collection", str(collection_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "cannot back up" in one_line_error(result)
    assert list((collection_path.parent / "backups").iterdir()) == []
    assert digest(collection_path) == before
