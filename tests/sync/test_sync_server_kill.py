"""SIGKILL of `trainer sync --server` at random moments, against Anki's own sync server on
loopback: after every kill the trainer's private collection is intact and the next run
completes; at the end every answer, from the phone and from the trainer, is once on both and
no sync after the first contact was a full one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.reliability_support import record, scaled
from tests.store_support import synthetic_bank
from tests.sync.test_sync_anki import answer_in_anki, grade_in_trainer
from tests.sync.test_sync_server_round_trip import (
    FULL,
    PASSWORD,
    USER,
    Device,
    _log,
)
from trainer.cli import main
from trainer.sync.server import DEVICE_DIRECTORY

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

KILL_RUNS = scaled(20, 100)
DECK = "Synthetic"


def _trainer_sync(bank: Path, endpoint: str) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key != "TRAINER_NOW"}
    return subprocess.Popen(
        [sys.executable, "-m", "trainer", "sync", str(bank), "--server", endpoint],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(bank: Path, endpoint: str) -> str:
    process = _trainer_sync(bank, endpoint)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


def _answer_on_phone(phone: Device) -> None:
    col = phone.open()
    try:
        col.decks.select(col.decks.id(DECK))
        (entry,) = col.sched.get_queued_cards(fetch_limit=1).cards
        answer_in_anki(col, entry.card.id, 3)
    finally:
        col.close()


def _intact(path: Path) -> None:
    col = Collection(str(path))
    try:
        assert col.db is not None
        assert col.db.scalar("PRAGMA integrity_check") == "ok"
    finally:
        col.close()


def test_a_killed_server_sync_is_completed_by_the_next(
    server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRAINER_NOW", raising=False)
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "trainer" / "reviews.sqlite3"))
    bank = tmp_path / "cards.yaml"
    bank.write_text(synthetic_bank(100, deck_settings="  new_per_day: 1000\n"), encoding="utf-8")
    monkeypatch.setattr("builtins.input", lambda _prompt: USER)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: PASSWORD)
    assert main(["sync", "--server", server, "--login"]) == 0
    assert main(["sync", str(bank), "--server", server]) == 0
    phone = Device(tmp_path / "phone" / "collection.anki2", server)
    phone.sync(upload_if_full=False)  # its first contact: a download
    grade_in_trainer(bank, [4])
    began = time.monotonic()
    _finish(bank, server)  # how long an uninterrupted run takes, start-up included
    full = time.monotonic() - began
    answers = 1
    device = tmp_path / "trainer" / DEVICE_DIRECTORY / "collection.anki2"
    chance = random.Random(29)
    landed = 0
    for _ in range(KILL_RUNS):
        _answer_on_phone(phone)
        assert phone.sync(upload_if_full=False) not in FULL
        time.sleep(1)  # the same card answered on both in one second would be one answer
        answers += 1 + len(grade_in_trainer(bank, [4]))
        process = _trainer_sync(bank, server)
        time.sleep(chance.uniform(0, full))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        landed += process.returncode == -signal.SIGKILL
        _intact(device)
        assert "then a normal sync" in _finish(bank, server)
        _intact(device)
    assert phone.sync(upload_if_full=False) not in FULL
    log = _log(phone)
    assert len(log) == answers
    trainer = Device.__new__(Device)
    trainer.path = device
    assert _log(trainer) == log
    record("a killed server sync is completed by the next", runs=KILL_RUNS, killed_mid_run=landed)
