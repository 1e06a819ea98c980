"""SIGKILL of a review at random moments: the database always passes `PRAGMA integrity_check`,
holds every acknowledged grade, keeps each item's schedule in step with its log, and opens
again (no stale lock).

Two drivers: the session API in a subprocess that prints after each committed action (many
runs, killed anywhere from start-up to mid-transaction), and the real `trainer review` under
tmux, where a grade counts as acknowledged once the next card is on the screen.
(tests/test_session_kill.py has the single kill right after a printed grade.)
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability_support import record, scaled
from tests.store_support import synthetic_bank, write
from trainer.session import open_session
from trainer.store.database import integrity_ok

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

NOW = "2026-03-01T09:00:00"
CARDS = 300
SETTINGS = "  new_per_day: 1000\n  reviews_per_day: 1000\n"
KILL_RUNS = scaled(30, 300)
PARALLEL = 3
SCRIPT = """
import random, sys
from pathlib import Path
from trainer.bank import load_bank
from trainer.session import open_session

chance = random.Random(int(sys.argv[3]))
session = open_session(Path(sys.argv[1]), Path(sys.argv[2]))
db = session._connection
def ack(action):
    count, last = db.execute("SELECT count(*), coalesce(max(id), 0) FROM reviews").fetchone()
    print("ack", action, count, last, flush=True)
ack("open")
while (card := session.current()) is not None:
    roll = chance.random()
    action = "undo" if roll < 0.1 and session.can_undo() else "bury" if roll < 0.15 else (
        "suspend" if roll < 0.18 else "grade")
    print("do", action, flush=True)
    if action == "undo":
        session.undo()
    elif action == "bury":
        session.bury(card)
    elif action == "suspend":
        session.suspend(card)
    else:
        session.grade(card, chance.choice([1, 2, 3, 4, 5, 5]), 900)
    ack(action)
"""


@dataclass(frozen=True)
class Acknowledged:
    count: int
    last_id: int
    pending: str | None
    grades: int


def parse_output(lines: list[str]) -> Acknowledged:
    count = last_id = grades = 0
    pending = None
    for line in lines:
        if not line.endswith("\n") or not line.strip():  # cut off by the kill
            continue
        words = line.split()
        if words[0] == "ack":
            count, last_id, pending = int(words[2]), int(words[3]), None
            grades += words[1] == "grade"
        else:
            pending = words[1]
    return Acknowledged(count, last_id, pending, grades)


def check_database(db: Path, acknowledged: Acknowledged) -> None:
    """Intact; every acknowledged grade kept; schedules match their latest log rows."""
    assert integrity_ok(db)
    with closing(sqlite3.connect(db)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "reviews" not in tables:  # killed while the database was being created
            assert acknowledged.count == 0
            return
        count, last_id = connection.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM reviews"
        ).fetchone()
        allowed = {acknowledged.count}
        if acknowledged.pending == "grade":
            allowed.add(acknowledged.count + 1)
        if acknowledged.pending == "undo":
            allowed.add(acknowledged.count - 1)
        assert count in allowed, (count, acknowledged)
        if acknowledged.pending != "undo":
            assert last_id >= acknowledged.last_id, (last_id, acknowledged)
        out_of_step = connection.execute(
            """
            SELECT count(*) FROM items i JOIN reviews r ON r.id = (
                SELECT max(id) FROM reviews WHERE item_id = i.id AND kind IN ('new', 'review'))
            WHERE (i.repetitions, i.easiness_hundredths, i.interval, i.due_day)
                IS NOT (r.repetitions_after, r.easiness_after, r.interval_after, r.due_after)
            """
        ).fetchone()[0]
        assert out_of_step == 0
        never_graded = connection.execute(
            "SELECT count(*) FROM items i WHERE i.due_day IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM reviews WHERE item_id = i.id AND kind IN ('new', 'review'))"
        ).fetchone()[0]
        assert never_graded == 0


def read_lines(stream, into: list[str]) -> None:
    for line in stream:
        into.append(line)


def kill_run(run: int, directory: Path, bank: Path) -> Acknowledged:
    """Start a session process, kill it at a random moment, check the database."""
    chance = random.Random(run)
    db = directory / f"run-{run}" / "reviews.sqlite3"
    db.parent.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(bank), str(db), str(run)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"TRAINER_NOW": NOW},
    )
    lines: list[str] = []
    reader = threading.Thread(target=read_lines, args=(process.stdout, lines))
    reader.start()
    if run % 3 == 0:  # anywhere from start-up (creation, migration, sync) on
        time.sleep(chance.uniform(0.0, 1.0))
    else:  # mid-session: some grades in, then a random instant
        deadline = time.monotonic() + 30
        while not lines and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.005)
        time.sleep(chance.uniform(0.0, 0.4))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    reader.join(timeout=30)
    assert process.returncode == -signal.SIGKILL, "finished before the kill: raise CARDS"
    acknowledged = parse_output(lines)
    if db.exists() and db.stat().st_size:
        check_database(db, acknowledged)
    else:
        assert acknowledged.count == 0
    return acknowledged


def _lost(acknowledged: Acknowledged, db: Path) -> int:
    """Acknowledged log rows missing from the database (an acknowledged undo removes one)."""
    logged = 0
    if db.exists() and db.stat().st_size:
        with closing(sqlite3.connect(db)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "reviews" in tables:
                logged = connection.execute("SELECT count(*) FROM reviews").fetchone()[0]
    undone = 1 if acknowledged.pending == "undo" else 0
    return max(0, acknowledged.count - undone - logged)


def test_sigkill_at_random_moments_loses_no_acknowledged_grade(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(CARDS, deck_settings=SETTINGS))
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda run: kill_run(run, tmp_path, bank), range(KILL_RUNS)))
    lost = sum(
        _lost(result, tmp_path / f"run-{run}" / "reviews.sqlite3")
        for run, result in enumerate(results)
    )
    # and every killed database opens again: the lock died with its process
    os.environ["TRAINER_NOW"] = NOW
    try:
        for run in range(KILL_RUNS):
            db = tmp_path / f"run-{run}" / "reviews.sqlite3"
            with open_session(bank, db) as session:
                card = session.current()
                assert card is not None
                session.grade(card, 4, 1000)
    finally:
        del os.environ["TRAINER_NOW"]
    assert sum(result.grades for result in results) > KILL_RUNS  # kills landed mid-session
    record(
        "kill: SIGKILL of the session at random moments",
        kills=KILL_RUNS,
        acknowledged_grades=sum(result.grades for result in results),
        grades_lost=lost,
    )
    assert lost == 0


# -- the real `trainer review` under tmux ------------------------------------------------------

TMUX_RUNS = scaled(3, 20)
SCREEN_TIMEOUT = 20.0


class Pane:
    def __init__(self, name: str, command: str) -> None:
        self.name = name
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
            check=True,
        )
        self.pid = int(self._tmux("display", "-p", "-t", name, "#{pane_pid}"))

    def _tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, predicate, what: str) -> str:
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-session", "-t", self.name)


def question_on(screen: str) -> str | None:
    for line in screen.splitlines():
        if line.strip().startswith("Question "):
            return line.strip()
    return None


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.parametrize("run", range(TMUX_RUNS))
def test_kill_of_the_real_review_screen_keeps_every_shown_grade(run: int, tmp_path: Path) -> None:
    chance = random.Random(1000 + run)
    bank = write(tmp_path / "cards.yaml", synthetic_bank(60, deck_settings=SETTINGS))
    db = tmp_path / "reviews.sqlite3"
    command = f"exec env TRAINER_NOW={NOW} {sys.executable} -m trainer review {bank} --db {db}"
    pane = Pane(f"trainer-kill-{os.getpid()}-{run}", command)
    acknowledged = 0
    try:
        shown = question_on(pane.wait_for(question_on, "the first card"))
        for _ in range(chance.randint(1, 6)):
            pane.keys("space")
            pane.wait_for(lambda screen: "Blackout" in screen, "the answer")
            pane.keys(str(chance.choice([2, 3, 4, 5])))
            previous = shown
            shown = question_on(
                pane.wait_for(
                    lambda screen, before=previous: question_on(screen) not in (None, before),
                    "the next card",
                )
            )
            acknowledged += 1
        pane.keys("space")
        pane.keys(str(chance.choice([3, 4, 5])))  # one more grade, maybe not yet committed
        time.sleep(chance.uniform(0.0, 0.2))
        os.kill(pane.pid, signal.SIGKILL)
    finally:
        pane.close()
    assert integrity_ok(db)
    with closing(sqlite3.connect(db)) as connection:
        logged = connection.execute("SELECT count(*) FROM reviews").fetchone()[0]
    record(
        "kill: SIGKILL of `trainer review` under tmux",
        kills=1,
        acknowledged_grades=acknowledged,
        grades_lost=max(0, acknowledged - logged),
    )
    assert logged in (acknowledged, acknowledged + 1)
    check_database(db, Acknowledged(acknowledged, 0, "grade", acknowledged))
