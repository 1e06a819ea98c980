"""A week on a phone and in the terminal through Anki's own sync server: both clocks moved a
day at a time together (libfaketime, `tests/faketime_support.py`), answers on both sides each
day. After each day's syncs every answer is once on both devices and in the trainer, every card
is due on the same day on the phone, on the trainer's device and in `trainer cards`, no sync
after the first contact is a full one, a second sync finds nothing to do (and changes no card,
note or answer on the trainer's side), and Check Database finds nothing to fix. With an exam
set, the days the exam plan moves cards to reach the phone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from anki.sync_pb2 import SyncCollectionResponse

from tests.faketime_support import clock_at, library
from tests.sync.test_sync_anki import BANK
from tests.sync_server_support import free_port

FIRST_DAY = datetime(2027, 5, 3, 12, 0)
DAYS = 7
EXAM = "  exam: 2027-05-12\n  exam_window: 5\n"
"""The window opens on the fifth day (2027-05-07): the plan moves cards into it from the first
days on, and brings a share forward on each of the last three."""
MORE_CARDS = "".join(
    f"""\
  - id: extra-{number}
    type: basic
    tags: [context]
    source: pib
    front: Question {number}
    back: Answer {number}
"""
    for number in range(12)
)
PHONE = ((3, 3, 4), (3, 1, 3), (3, 3, 2), (4, 3, 3))
"""The phone's buttons each day (Again 1, Hard 2, Good 3, Easy 4), in turn."""
TRAINER = ((4, 5, 4), (4, 2, 4), (3, 4, 5))
"""The trainer's grades each day, in turn."""
FULL = (
    SyncCollectionResponse.FULL_SYNC,
    SyncCollectionResponse.FULL_DOWNLOAD,
    SyncCollectionResponse.FULL_UPLOAD,
)
STEADY = "a normal sync, then a normal sync"


@pytest.fixture
def faketime() -> str:
    found = library()
    if found is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError(
                "CI must run the several-days tests: install faketime (.ci/run does)"
            )
        pytest.skip("libfaketime is not installed (apt-get install faketime)")
    return found


def _day(number: int, folder: Path, port: int, faketime: str, *, exam_off: bool = False) -> dict:
    config = {
        "folder": str(folder),
        "port": port,
        "phone": PHONE[number % len(PHONE)],
        "trainer": TRAINER[number % len(TRAINER)],
        "exam_off": exam_off,
    }
    env = {key: value for key, value in os.environ.items() if key != "TRAINER_NOW"}
    env |= clock_at(FIRST_DAY + timedelta(days=number), faketime)
    result = subprocess.run(
        [sys.executable, "-m", "tests.faketime_support", json.dumps(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("exam", [False, True], ids=["plain", "exam"])
def test_a_week_on_a_phone_and_in_the_terminal_through_anki_s_sync_server(
    exam: bool, faketime: str, tmp_path: Path
) -> None:
    deck = "deck:\n  name: Sync Deck\n  new_per_day: 4\n" + (EXAM if exam else "")
    (tmp_path / "cards.yaml").write_text(
        BANK.replace("deck:\n  name: Sync Deck\n", deck) + MORE_CARDS, encoding="utf-8"
    )
    port = free_port()
    answers, moved_on_phone, days = 0, 0, []
    for number in range(DAYS):
        facts = _day(number, tmp_path, port, faketime)
        days.append(facts["today"])
        if number == 0:
            assert facts["login"] == 0
            assert facts["first_contact"][0] == 0
            assert facts["phone_first_sync"] == SyncCollectionResponse.FULL_DOWNLOAD
        answers = _check_day(facts, number, answers)
        moved = _moved(facts)
        moved_on_phone += len(moved)
        assert all(facts["phone_due"][key] < facts["plain_due"][key] for key in moved)
    assert days == [(FIRST_DAY + timedelta(days=n)).date().isoformat() for n in range(DAYS)]
    assert (moved_on_phone > 0) == exam  # the exam plan's days reached the phone
    if exam:  # dropped, in the window: the next sync gives every card its plain due day back
        facts = _day(DAYS, tmp_path, port, faketime, exam_off=True)
        assert facts["exam_off"] == 0
        _check_day(facts, DAYS, answers)
        assert not _moved(facts)


def _moved(facts: dict) -> set[str]:
    """The cards due on another day than their plain one in `trainer cards` (and so on the
    phone)."""
    return {key for key, due in facts["cards_due"].items() if due != facts["plain_due"][key]}


def _check_day(facts: dict, number: int, answers: int) -> int:
    """What must hold after each day's syncs; returns the answers given so far."""
    for sync in ("phone_sync", "phone_sync_after", "phone_sync_again"):
        assert facts[sync] not in FULL, (number, sync)
    code, said = facts["sync"]
    assert code == 0 and STEADY in said, said
    code, said = facts["sync_again"]
    assert code == 0 and STEADY in said and "nothing to do" in said, (said, facts["changed_again"])
    assert not facts["changed_again"], facts["changed_again"]  # nor changed a card or answer
    answers += len(facts["phone_answered"]) + len(facts["trainer_answered"])
    assert facts["phone_answered"] and facts["trainer_answered"], number
    # every answer once on both devices and in the trainer
    assert facts["phone_log"] == facts["device_log"], number
    assert len(facts["phone_log"]) == answers == facts["answers"], number
    # one due day for every card, everywhere
    assert facts["phone_due"] == facts["device_due"] == facts["cards_due"], number
    due_now = sorted(key for key, due in facts["phone_due"].items() if due <= facts["today"])
    assert due_now == facts["queued"], number  # the phone's reviews today are the trainer's
    assert facts["check_database"] == [True, True], number
    return answers
