"""`trainer sync` against the floor of its work: the `anki` library reading the same notes
and review-log rows.

    python bench/sync.py [--notes 10000] [--per-card 100] [--repeat 3]

Setup (timed and printed, not part of the comparison): a synthetic bank of `--notes` basic
cards, synced once into a fresh collection; then `--per-card` review-log rows per card, one a
day, inserted with SQL (answering a million cards through the scheduler would take hours; the
rows are what Anki's would be: ids in milliseconds, Good with an Again every fifth answer);
then the first sync, which copies all of them into the trainer's log, and one more, which
reads the trainer's whole log once to keep each item's answer seconds; then that whole log
copied into a fresh collection (a new computer's Anki). Measured, `--repeat`
times, interleaved as child processes: the floor (open the collection, read every note of the
deck and every card's review log through the library) and a steady-state `trainer sync` (both
sides agree); after each, a day's sync: `--day` answers made on the phone copied in (not in
the ratio: it writes). Prints medians and the ratio; writes bench/out/sync.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import report  # noqa: E402
from tests.store_support import synthetic_bank  # noqa: E402

OUT = BENCH / "out"
DAY_SECONDS = 86_400

FLOOR = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
notes = [col.get_note(note_id) for note_id in col.find_notes('"deck:Synthetic"')]
rows = sum(len(col.get_review_logs(card_id)) for card_id in col.find_cards('"deck:Synthetic"'))
col.close()
print(len(notes), rows)
"""


def _environment(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "TRAINER_NOW"}
    env["TRAINER_DB"] = str(workdir / "reviews.sqlite3")
    return env


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - began, result.stdout


def _sync_command(workdir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "trainer",
        "sync",
        str(workdir / "cards.yaml"),
        "--collection",
        str(workdir / "collection.anki2"),
    ]


def _button(day: int) -> int:
    """Good, with an Again every fifth day: a history whose intervals stay short."""
    return 1 if day % 5 == 4 else 3


def _fill_revlog(collection: Path, per_card: int) -> int:
    """`per_card` answers for every card, one a day ending yesterday, written with sqlite3 while
    the collection is closed (the library has no call that adds review-log rows, and its
    database handle takes about 3 ms a row)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(collection)) as db, db:
        card_ids = [cid for (cid,) in db.execute("SELECT id FROM cards ORDER BY id")]
        first = datetime.now().replace(microsecond=0) - timedelta(days=per_card)
        base = int(first.timestamp())
        rows = (
            ((base + day * DAY_SECONDS) * 1000 + index, card_id, _button(day), 1, 1, 2500, 4000, 1)
            for index, card_id in enumerate(card_ids)
            for day in range(per_card)
        )
        db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(card_ids) * per_card


def _answer_a_day(collection: Path, cards: int, day: int) -> None:
    """A day on the phone: `cards` cards answered Good, `day` hours from now (each repeat a new
    hour, so no answer is at the same second as another)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(collection)) as db, db:
        card_ids = [
            cid for (cid,) in db.execute("SELECT id FROM cards ORDER BY id LIMIT ?", (cards,))
        ]
        second = int(time.time()) - 86_400 + day * 3_600
        db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " VALUES (?, ?, -1, 3, 1, 1, 2500, 4000, 1)",
            [((second + index) * 1000, card_id) for index, card_id in enumerate(card_ids)],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--per-card", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--day", type=int, default=100, help="answers on the phone per day sync")
    parser.add_argument("--docs", action="store_true", help="write the figures into docs/")
    args = parser.parse_args()
    load_before = report.load_now()
    from anki.collection import Collection

    workdir = OUT / f"sync-{args.notes}-{args.per_card}"
    if workdir.exists():
        import shutil

        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / "cards.yaml").write_text(synthetic_bank(args.notes), encoding="utf-8")
    Collection(str(workdir / "collection.anki2")).close()
    env = _environment(workdir)
    setup = {}
    setup["notes_sync_s"], _ = _timed(_sync_command(workdir), env)
    began = time.perf_counter()
    rows = _fill_revlog(workdir / "collection.anki2", args.per_card)
    setup["revlog_fill_s"] = time.perf_counter() - began
    setup["first_review_sync_s"], first = _timed(_sync_command(workdir), env)
    # The first sync after the import reads the whole log once, to keep each item's answer
    # seconds (`anki_seconds`); steady syncs read only the items whose log changed since.
    setup["first_unchanged_sync_s"], _ = _timed(_sync_command(workdir), env)
    # The other direction: the trainer's whole log into a fresh collection (a new computer).
    fresh = workdir / "fresh"
    fresh.mkdir()
    Collection(str(fresh / "collection.anki2")).close()
    copy = [*_sync_command(workdir)[:-1], str(fresh / "collection.anki2")]
    setup["first_copy_to_anki_s"], copied = _timed(copy, env)
    assert f"reviews to copy to Anki: {rows}" in copied, copied
    print(f"setup: {json.dumps(setup)}\nfirst review sync:\n{first}")
    floors, syncs, days = [], [], []
    for repeat in range(args.repeat):
        floor, counted = _timed(
            [sys.executable, "-c", FLOOR, str(workdir / "collection.anki2")], env
        )
        steady, output = _timed(_sync_command(workdir), env)
        assert "nothing to do" in output, output
        floors.append(floor)
        syncs.append(steady)
        _answer_a_day(workdir / "collection.anki2", args.day, repeat)
        day, output = _timed(_sync_command(workdir), env)
        assert f"reviews to copy from Anki: {args.day}" in output, output
        days.append(day)
    result = {
        "notes": args.notes,
        "revlog_rows": rows,
        "floor_read_s": statistics.median(floors),
        "steady_sync_s": statistics.median(syncs),
        "ratio": statistics.median(syncs) / statistics.median(floors),
        "day_sync_s": statistics.median(days),
        "day_answers": args.day,
        "floor_counted": counted.strip(),
        "setup": setup,
        "runs": {"floor": floors, "sync": syncs, "day": days},
    }
    (OUT / "sync.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))
    if args.docs:
        report.write_block(
            report.BENCHMARKS,
            "bench/sync.py",
            "python bench/sync.py " + " ".join(sys.argv[1:]),
            _summary(result, args.repeat, load_before),
        )


SYNC_TARGET = 1.8
"""A steady sync within this many times the `anki` library's own read of the same data."""


def _summary(result: dict, repeat: int, load_before: str) -> str:
    runs = result["runs"]
    ratio = result["ratio"]
    return (
        f"{report.stamp(load_before)} {result['notes']:,} notes, "
        f"{result['revlog_rows']:,} review-log rows in Anki, medians of {repeat} runs "
        "interleaved with the floor.\n\n"
        "| measure | ours | floor | ratio | target | met |\n"
        "| --- | ---: | ---: | ---: | ---: | --- |\n"
        f"| steady `trainer sync` (nothing new) vs the `anki` library opening the collection "
        f"and reading those notes and rows | {result['steady_sync_s']:.2f} s "
        f"({min(runs['sync']):.2f}-{max(runs['sync']):.2f}) | {result['floor_read_s']:.2f} s "
        f"({min(runs['floor']):.2f}-{max(runs['floor']):.2f}) | {ratio:.2f}x "
        f"| {SYNC_TARGET}x | {'yes' if ratio <= SYNC_TARGET else 'NO'} |\n"
        f"| a day's sync, {result['day_answers']} answers from the phone copied in, backup "
        f"included | {result['day_sync_s']:.2f} s | | | | |\n"
        f"| first sync, copying every Anki answer into the trainer (setup) "
        f"| {result['setup']['first_review_sync_s']:.1f} s | | | | |\n"
        f"| the sync after it (reads the trainer's whole log once) "
        f"| {result['setup']['first_unchanged_sync_s']:.1f} s | | | | |"
    )


if __name__ == "__main__":
    main()
