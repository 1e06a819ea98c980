"""Two processes on one database: a second review session is refused clearly (exit 1, the
first one undisturbed), and `stats` and `due` read while a session is writing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reliability_support import record, scaled
from tests.store_support import run_trainer, synthetic_bank, write

NOW = "2026-03-01T09:00:00"
READS = scaled(8, 60)
WRITER = """
import sys, time
from pathlib import Path
from trainer.bank import load_bank
from trainer.session import open_session

session = open_session(Path(sys.argv[1]), Path(sys.argv[2]))
print("open", flush=True)
graded = 0
while sys.stdin.readline() == "go\\n":
    for _ in range(25):
        session.grade(session.current(), 4, 500)
        graded += 1
    print(graded, flush=True)
session.close()
"""


def start_writer(bank: Path, db: Path) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(bank), str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"TRAINER_NOW": NOW},
    )
    assert writer.stdout is not None
    assert writer.stdout.readline() == "open\n"
    return writer


def test_a_second_session_is_refused_and_readers_run_during_writes(tmp_path: Path) -> None:
    settings = "  new_per_day: 1000\n"
    bank = write(tmp_path / "cards.yaml", synthetic_bank(1000, deck_settings=settings))
    db = tmp_path / "reviews.sqlite3"
    writer = start_writer(bank, db)
    assert writer.stdin is not None and writer.stdout is not None
    reads = failed_reads = 0
    try:
        second = run_trainer("review", str(bank), "--db", str(db), extra_env={"TRAINER_NOW": NOW})
        assert second.returncode == 1
        assert "another review session is open" in second.stderr
        assert "Traceback" not in second.stderr

        previous, previous_due = -1, 1000
        for _ in range(READS):
            writer.stdin.write("go\n")
            writer.stdin.flush()  # the writer grades 25 cards while the readers run
            stats = run_trainer(
                "stats", "--json", str(bank), "--db", str(db), extra_env={"TRAINER_NOW": NOW}
            )
            due = run_trainer("due", str(bank), "--db", str(db), extra_env={"TRAINER_NOW": NOW})
            graded = int(writer.stdout.readline())
            reads += 2
            failed = [r.stderr for r in (stats, due) if r.returncode != 0]
            failed_reads += len(failed)
            if failed:
                continue
            total = json.loads(stats.stdout)["reviews_total"]
            assert previous <= total <= graded  # a consistent snapshot, never going back
            assert 0 <= int(due.stdout) <= previous_due  # grading only shrinks today's queue
            previous, previous_due = total, int(due.stdout)
        writer.stdin.write("stop\n")
        writer.stdin.flush()
        assert writer.wait(timeout=30) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    final = run_trainer(
        "stats", "--json", str(bank), "--db", str(db), extra_env={"TRAINER_NOW": NOW}
    )
    assert json.loads(final.stdout)["reviews_total"] == READS * 25
    record(
        "concurrency: second session refused, readers work during writes",
        second_sessions_refused=1,
        concurrent_reads=reads,
        failed_reads=failed_reads,
    )
    assert failed_reads == 0
