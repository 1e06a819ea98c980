"""SIGKILL of `trainer sync` at random moments: the next sync completes the job, and nothing is
lost or counted twice (one note per bank card, each answer once in each log).

Each run restores the same starting point (50 answers given in the trainer, 50 in Anki, none
synced yet) and kills a sync somewhere between its start and the time an uninterrupted one
takes; the counts of kills that landed before the end are recorded, not asserted.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from anki.collection import Collection

from tests.reliability_support import record, scaled
from tests.store_support import synthetic_bank
from trainer.session import open_session

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CARDS = 200
ANSWERED_EACH_SIDE = 50
KILL_RUNS = scaled(6, 60)


def trainer_sync(workdir: Path, *options: str) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key != "TRAINER_NOW"}
    env["TRAINER_DB"] = str(workdir / "reviews.sqlite3")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainer",
            "sync",
            str(workdir / "cards.yaml"),
            "--collection",
            str(workdir / "User 1" / "collection.anki2"),
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finish(workdir: Path) -> str:
    process = trainer_sync(workdir)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Notes synced once; then answers on both sides, not yet synced."""
    workdir = tmp_path_factory.mktemp("start")
    (workdir / "cards.yaml").write_text(
        synthetic_bank(CARDS, deck_settings="  new_per_day: 1000\n"), encoding="utf-8"
    )
    collection = workdir / "User 1" / "collection.anki2"
    collection.parent.mkdir()
    Collection(str(collection)).close()
    finish(workdir)
    os.environ.pop("TRAINER_NOW", None)
    with open_session(workdir / "cards.yaml", workdir / "reviews.sqlite3") as session:
        for _ in range(ANSWERED_EACH_SIDE):
            card = session.current()
            assert card is not None
            session.grade(card, 4, 2000)
    col = Collection(str(collection))
    try:
        for n in range(100, 100 + ANSWERED_EACH_SIDE):
            (card_id,) = col.find_cards(f'"Front:Question {n}?"')
            card = col.get_card(card_id)
            card.start_timer()
            col.sched.answerCard(card, 3)
    finally:
        col.close()
    return workdir


def check_synced(workdir: Path) -> None:
    col = Collection(str(workdir / "User 1" / "collection.anki2"))
    try:
        assert col.note_count() == CARDS
        answers = [len(col.get_review_logs(card_id)) for card_id in col.find_cards("")]
        assert sorted(answers)[-2 * ANSWERED_EACH_SIDE :] == [1] * (2 * ANSWERED_EACH_SIDE)
        assert sum(answers) == 2 * ANSWERED_EACH_SIDE
    finally:
        col.close()
    with closing(sqlite3.connect(workdir / "reviews.sqlite3")) as db:
        rows = db.execute("SELECT item_id, count(*) FROM reviews GROUP BY item_id").fetchall()
        assert len(rows) == 2 * ANSWERED_EACH_SIDE and {count for _, count in rows} == {1}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_killed_sync_is_completed_by_the_next(start: Path, tmp_path: Path) -> None:
    timing = tmp_path / "timing"
    shutil.copytree(start, timing)
    began = time.monotonic()
    finish(timing)
    full = time.monotonic() - began
    check_synced(timing)
    chance = random.Random(17)
    landed = 0
    for run in range(KILL_RUNS):
        workdir = tmp_path / f"run-{run}"
        shutil.copytree(start, workdir)
        process = trainer_sync(workdir)
        time.sleep(chance.uniform(0, full))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        landed += process.returncode == -signal.SIGKILL
        finish(workdir)
        check_synced(workdir)
        assert "nothing to do" in finish(workdir)
    record("a killed sync is completed by the next", runs=KILL_RUNS, killed_mid_run=landed)


PROBE = """\
import sys
from anki.collection import Collection
from anki.errors import DBError
try:
    col = Collection(sys.argv[1])
except DBError:
    print("refused")
else:
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"] = "written by a second opener"
    col.add_note(note, 1)
    col.close()
    print("wrote")
"""
KILL_WITH_OPENER_RUNS = scaled(6, 50)


def test_a_second_opener_during_a_killed_sync_is_refused_or_harmless(
    start: Path, tmp_path: Path
) -> None:
    """Anki started at a random moment of a sync that is then killed: refused while the sync
    holds the collection; a note it wrote when the sync did not (before it opened the
    collection, or after its kill) is kept; the collection's integrity holds after every run
    and the next sync completes the job, each answer once."""
    timing = tmp_path / "timing"
    shutil.copytree(start, timing)
    began = time.monotonic()
    finish(timing)
    full = time.monotonic() - began
    chance = random.Random(23)
    refused = wrote = 0
    for run in range(KILL_WITH_OPENER_RUNS):
        workdir = tmp_path / f"run-{run}"
        shutil.copytree(start, workdir)
        collection = workdir / "User 1" / "collection.anki2"
        process = trainer_sync(workdir)
        time.sleep(chance.uniform(0, full))
        opener = subprocess.run(
            [sys.executable, "-c", PROBE, str(collection)],
            capture_output=True,
            text=True,
            check=True,
        )
        synced_meanwhile = process.poll() is not None
        time.sleep(chance.uniform(0, full / 4))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        outcome = opener.stdout.strip()
        assert outcome in ("refused", "wrote")
        refused += outcome == "refused"
        wrote += outcome == "wrote"
        finish(workdir)
        col = Collection(str(collection))
        try:
            assert col.db is not None
            assert col.db.scalar("PRAGMA integrity_check") == "ok"
            probes = col.find_notes('"Front:written by a second opener"')
            assert len(probes) == (outcome == "wrote")
            for note_id in probes:
                col.remove_notes([note_id])  # back to the bank's notes for check_synced
        finally:
            col.close()
        check_synced(workdir)
        assert "nothing to do" in finish(workdir) or synced_meanwhile
    record(
        "a second opener during a killed sync is refused or harmless",
        runs=KILL_WITH_OPENER_RUNS,
        refused=refused,
        wrote=wrote,
    )
