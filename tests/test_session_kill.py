"""A review process killed with SIGKILL right after grading loses no grade and leaves an
intact database (and no stale session lock)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.store_support import synthetic_bank, write
from trainer.session import open_session
from trainer.store.database import integrity_ok

SCRIPT = """
import sys
from pathlib import Path
from trainer.bank import load_bank
from trainer.session import open_session

session = open_session(Path(sys.argv[1]), Path(sys.argv[2]))
graded = 0
while (card := session.current()) is not None:
    session.grade(card, 5 if graded % 3 else 2, 1500)
    graded += 1
    print(f"graded {graded}", flush=True)
"""
KILL_AFTER = 40


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_right_after_grading_loses_nothing(tmp_path: Path, set_now) -> None:
    settings = "  new_per_day: 1000\n  reviews_per_day: 1000\n"
    bank_path = write(tmp_path / "cards.yaml", synthetic_bank(500, deck_settings=settings))
    db = tmp_path / "reviews.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(bank_path), str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),  # with TRAINER_NOW from set_now
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == f"graded {KILL_AFTER}":
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert integrity_ok(db)
    with closing(sqlite3.connect(db)) as connection:
        logged = connection.execute("SELECT count(*) FROM reviews").fetchone()[0]
        assert logged >= KILL_AFTER  # every printed grade was committed
        mismatched = connection.execute(
            "SELECT count(*) FROM reviews r JOIN items i ON i.id = r.item_id"
            " WHERE r.kind = 'new' AND (i.repetitions, i.easiness_hundredths, i.interval,"
            " i.due_day) IS NOT (r.repetitions_after, r.easiness_after, r.interval_after,"
            " r.due_after)"
        ).fetchone()[0]
        assert mismatched == 0  # schedule and log were written together
        new = connection.execute("SELECT count(*) FROM reviews WHERE kind = 'new'").fetchone()[0]
        scheduled = connection.execute("SELECT count(*) FROM items WHERE due_day IS NOT NULL")
        assert scheduled.fetchone()[0] == new  # failures came back as re-drills in between
    with open_session(bank_path, db) as session:  # the lock died with the process
        assert session.counts().new == 500 - new
