"""`trainer sync --server`: the trainer as one more device on Anki's own sync server, started by
the test on loopback. A phone (a collection synced by the `anki` library, as AnkiDroid syncs)
and the trainer answer over several rounds; then every answer is once on both, every card has
the same due day on both and in the trainer, no sync after the first contact is a full one,
and a full sync the server requires is refused until its direction is chosen.
"""

from __future__ import annotations

import stat
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.sync_pb2 import SyncCollectionResponse

from tests.sync.test_sync_anki import (
    BANK,
    answer_in_anki,
    grade_in_trainer,
    items_by_card,
    items_json,
)
from tests.sync.test_sync_server_round_trip import (
    FULL,
    PASSWORD,
    USER,
    Device,
    _due_days,
    _log,
)
from trainer.cli import main
from trainer.sync.server import DEVICE_DIRECTORY, LOGIN_FILE

ROUNDS = 3
MORE_CARDS = "".join(
    f"""\
  - id: extra-{number}
    type: basic
    tags: [context]
    source: pib
    front: Question {number}
    back: Answer {number}
"""
    for number in range(6)
)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The bank, and the folder of the review database."""
    monkeypatch.delenv("TRAINER_NOW", raising=False)
    data = tmp_path / "trainer"
    monkeypatch.setenv("TRAINER_DB", str(data / "reviews.sqlite3"))
    bank = tmp_path / "cards.yaml"
    bank.write_text(BANK + MORE_CARDS, encoding="utf-8")
    return bank, data


def _log_in(address: str, password: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("builtins.input", lambda _prompt: USER)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: password)
    return main(["sync", "--server", address, "--login"])


def _trainer_device(data: Path, endpoint: str) -> Device:
    """The trainer's private collection, read as a device (never synced by the test)."""
    device = Device.__new__(Device)
    device.path, device.endpoint = data / DEVICE_DIRECTORY / "collection.anki2", endpoint
    return device


def _answer_on_phone(phone: Device) -> None:
    """Answers the first card the phone's scheduler offers today (Good)."""
    col = phone.open()
    try:
        col.decks.select(col.decks.id("Sync Deck"))
        queued = col.sched.get_queued_cards(fetch_limit=1)
        (card_id,) = [entry.card.id for entry in queued.cards]
        answer_in_anki(col, card_id, 3)
    finally:
        col.close()


def test_the_trainer_and_a_phone_through_anki_s_sync_server(  # noqa: PLR0915 (one story)
    server: str,
    setup: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bank, data = setup
    phone = Device(tmp_path / "phone" / "User 1" / "collection.anki2", server)

    def trainer_sync(*options: str) -> int:
        capsys.readouterr()
        return main(["sync", str(bank), "--server", server, *options])

    assert trainer_sync() == 1  # not logged in
    assert "--login" in capsys.readouterr().err
    assert _log_in(server, "wrong", monkeypatch) == 1
    assert not (data / DEVICE_DIRECTORY / LOGIN_FILE).exists()
    assert _log_in(server, PASSWORD, monkeypatch) == 0
    login = data / DEVICE_DIRECTORY / LOGIN_FILE
    assert stat.S_IMODE(login.stat().st_mode) == 0o600
    assert PASSWORD not in login.read_text(encoding="utf-8")

    assert trainer_sync() == 0  # first contact: the server is empty, the bank's notes go up
    assert phone.sync(upload_if_full=False) == SyncCollectionResponse.FULL_DOWNLOAD  # empty
    answers = 0
    for _ in range(ROUNDS):
        _answer_on_phone(phone)
        assert phone.sync(upload_if_full=False) not in FULL
        time.sleep(1)  # the same card answered on both in one second would be one answer
        answers += 1 + len(grade_in_trainer(bank, [4]))
        assert trainer_sync() == 0
        assert "a normal sync, then a normal sync" in capsys.readouterr().out
        assert phone.sync(upload_if_full=False) not in FULL

    trainer = _trainer_device(data, server)
    log = _log(phone)
    assert log == _log(trainer)
    assert len(log) == answers  # each answer once
    phone_days = _due_days(phone)
    assert phone_days == _due_days(trainer)
    schedule, items = items_json(bank), items_by_card(bank)
    for key, day in phone_days.items():
        assert schedule[items[key]]["due"] == day.isoformat()

    # A device changes the schema and uploads: the server now needs a one-way full sync.
    col = phone.open()
    try:
        assert col.db is not None
        col.db.transact(col.set_schema_modified)  # as a note type's change does
    finally:
        col.close()
    assert phone.sync(upload_if_full=True) == SyncCollectionResponse.FULL_SYNC
    _answer_on_phone(phone)
    assert phone.sync(upload_if_full=False) not in FULL
    before = trainer.path.read_bytes()
    assert trainer_sync() == 1
    refusal = capsys.readouterr().err
    assert "--full-sync download" in refusal
    assert "--full-sync upload" in refusal
    assert "Traceback" not in refusal
    assert trainer.path.read_bytes() == before  # nothing sent or received
    time.sleep(1)
    grade_in_trainer(bank, [4])
    assert trainer_sync("--full-sync", "download") == 0
    assert phone.sync(upload_if_full=False) not in FULL
    assert _log(phone) == _log(trainer)
    assert len(_log(phone)) == answers + 2
    assert trainer_sync() == 0  # and normal again
    assert "a normal sync, then a normal sync" in capsys.readouterr().out

    assert main(["sync", "--logout"]) == 0
    assert not login.exists()
    assert trainer_sync() == 1


def test_an_unreachable_server_is_one_line(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bank, data = setup
    from trainer.store.paths import database_path
    from trainer.sync.server import Login, save_login

    save_login(database_path(), Login("key", "http://127.0.0.1:9/", "http://127.0.0.1:9/"))
    assert main(["sync", str(bank), "--server", "http://127.0.0.1:9/"]) == 1
    error = capsys.readouterr().err
    assert "cannot reach" in error
    assert len(error.strip().splitlines()) == 1
    assert (data / "reviews.sqlite3").exists()
    Collection(str(data / DEVICE_DIRECTORY / "collection.anki2")).close()  # left consistent


def test_the_server_s_own_refusals_are_one_line() -> None:
    """Another device syncing, a clock off by more than 5 minutes, a server newer than the
    library: the server's reason, in Anki's words, on one line."""
    from anki.errors import SyncError, SyncErrorKind

    from trainer.sync.server import failure

    reason = "Only one copy of Anki can sync to your account at once.\n\nPlease wait."
    error = failure(SyncError(reason, None, None, None, SyncErrorKind.OTHER), "http://h/")
    assert "\n" not in str(error)
    assert "Only one copy of Anki can sync" in str(error)


@pytest.mark.parametrize(
    "options",
    [
        ["--login"],
        ["--full-sync", "upload"],
        ["--server", "http://h/", "--collection", "c.anki2"],
        ["--server", "http://h/", "--dry-run"],
        ["--server", "ftp://h/"],
        ["--server", "http://h/", "--full-sync", "sideways"],
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(
    setup: tuple[Path, Path], options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    bank, data = setup
    try:
        code = main(["sync", str(bank), *options])
    except SystemExit as refused:  # argparse's own refusal of an unknown choice
        code = refused.code
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (data / DEVICE_DIRECTORY).exists()


ZONES = ("WEST+12", "WEST+6", "UTC0", "EAST-6", "EAST-12", "EAST-14")
"""POSIX time-zone rules from UTC-12 to UTC+14: walked eastwards, the local clock moves 26 hours
forward while the server's (Unix time) does not, so a test lives through two or three study
days without a clock the sync server would refuse."""


def test_several_days_through_the_server_with_the_local_clock_moved_by_time_zone(
    server: str,
    setup: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    time_zone: Callable[[str], None],
) -> None:
    bank, data = setup
    phone = Device(tmp_path / "phone" / "User 1" / "collection.anki2", server)
    assert _log_in(server, PASSWORD, monkeypatch) == 0
    time_zone(ZONES[0])
    assert main(["sync", str(bank), "--server", server]) == 0
    phone.sync(upload_if_full=False)
    answers, days = 0, set()
    for zone in ZONES:
        time_zone(zone)
        col = phone.open()
        days.add(col.sched.today)
        col.close()
        _answer_on_phone(phone)
        assert phone.sync(upload_if_full=False) not in FULL
        time.sleep(1)  # the same card answered on both in one second would be one answer
        answers += 1 + len(grade_in_trainer(bank, [4]))
        assert main(["sync", str(bank), "--server", server]) == 0
        assert phone.sync(upload_if_full=False) not in FULL
    assert len(days) >= 2  # several of Anki's days
    trainer = _trainer_device(data, server)
    log = _log(phone)
    assert max(Counter(card for _, card, _ in log).values()) > 1  # cards answered again
    assert log == _log(trainer)
    assert len(log) == answers
    phone_days = _due_days(phone)
    assert phone_days == _due_days(trainer)
    schedule, items = items_json(bank), items_by_card(bank)
    for key, day in phone_days.items():
        assert schedule[items[key]]["due"] == day.isoformat()
