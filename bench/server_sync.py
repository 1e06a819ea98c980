"""`trainer sync --server` against the floor of its work: the `anki` library's own normal sync of a
device with the same server.

    python bench/server_sync.py [--notes 10000] [--per-card 100] [--repeat 3] [--docs]

Setup (timed and printed, not part of the comparison): Anki's sync server started on a free
loopback port; a phone collection with a synthetic bank of `--notes` basic cards (put there by
`trainer sync --collection`) and `--per-card` review-log rows per card (as `bench/sync.py`
writes them), uploaded to the server; the trainer logged in with the session key the server
gave the phone (the bench has no terminal to ask a password on), then its first `trainer sync
--server` (a full download, and every answer copied into the trainer) and one more (which reads
the trainer's whole log once). Measured, `--repeat` times, interleaved as child processes: the
floor (the phone, opened by the library, syncing with nothing new: a normal sync) and a steady
`trainer sync --server` (nothing new); after each, a day: `--day` answers on the phone, its
sync, then the trainer's (timed, not in the ratio). Prints medians and the ratio; writes
bench/out/server_sync.json, and with `--docs` the figures into docs/phone-and-terminal.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import report  # noqa: E402
from bench.sync import _answer_a_day, _fill_revlog, _timed  # noqa: E402
from tests.store_support import synthetic_bank  # noqa: E402
from tests.sync_server_support import PASSWORD, USER, free_port, sync_server  # noqa: E402

OUT = BENCH / "out"
DOC = report.DOCS / "phone-and-terminal.md"

PHONE_SYNC = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
auth = col.sync_login(sys.argv[3], sys.argv[4], sys.argv[2])
out = col.sync_collection(auth, sync_media=False)
if out.required not in (out.NO_CHANGES, out.NORMAL_SYNC):
    raise SystemExit(f"the phone was asked for a full sync ({out.required})")
col.close()
"""
UPLOAD = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
auth = col.sync_login(sys.argv[3], sys.argv[4], sys.argv[2])
col.sync_collection(auth, sync_media=False)
col.close_for_full_sync()
col.full_upload_or_download(auth=auth, server_usn=None, upload=True)
col.reopen(after_full_sync=True)
col.close()
print(auth.hkey)
"""


def _environment(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "TRAINER_NOW"}
    env["TRAINER_DB"] = str(workdir / "trainer" / "reviews.sqlite3")
    return env


def main() -> None:  # noqa: PLR0915 (one setup, one measure, in order)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--per-card", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--day", type=int, default=100, help="answers on the phone per day")
    parser.add_argument("--docs", action="store_true", help="write the figures into docs/")
    args = parser.parse_args()
    load_before = report.load_now()
    from anki.collection import Collection

    from trainer.sync.server import Login, save_login

    workdir = OUT / f"server-sync-{args.notes}-{args.per_card}"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    bank = workdir / "cards.yaml"
    bank.write_text(synthetic_bank(args.notes), encoding="utf-8")
    phone = workdir / "phone" / "collection.anki2"
    phone.parent.mkdir()
    Collection(str(phone)).close()
    env = _environment(workdir)
    trainer = [sys.executable, "-m", "trainer", "sync", str(bank)]
    setup = {}
    setup["notes_into_phone_s"], _ = _timed([*trainer, "--collection", str(phone)], env)
    # the phone's notes and rows, not the trainer's: its database starts again empty
    shutil.rmtree(workdir / "trainer")
    rows = _fill_revlog(phone, args.per_card)
    with sync_server(workdir / "server", free_port()) as endpoint:
        account = [endpoint, USER, PASSWORD]
        setup["phone_upload_s"], hkey = _timed(
            [sys.executable, "-c", UPLOAD, str(phone), *account], env
        )
        save_login(Path(env["TRAINER_DB"]), Login(hkey.strip(), endpoint, endpoint))
        server_sync = [*trainer, "--server", endpoint]
        setup["first_server_sync_s"], first = _timed(server_sync, env)
        assert "the server's collection downloaded" in first, first
        setup["second_server_sync_s"], _ = _timed(server_sync, env)
        print(f"setup: {json.dumps(setup)}\nfirst server sync:\n{first}")
        floors, syncs, days = [], [], []
        for repeat in range(args.repeat):
            floor, _ = _timed([sys.executable, "-c", PHONE_SYNC, str(phone), *account], env)
            steady, output = _timed(server_sync, env)
            assert "nothing to do" in output, output
            floors.append(floor)
            syncs.append(steady)
            _answer_a_day(phone, args.day, repeat)
            _timed([sys.executable, "-c", PHONE_SYNC, str(phone), *account], env)
            day, output = _timed(server_sync, env)
            assert f"reviews to copy from Anki: {args.day}" in output, output
            days.append(day)
    result = {
        "notes": args.notes,
        "revlog_rows": rows,
        "floor_normal_sync_s": statistics.median(floors),
        "steady_server_sync_s": statistics.median(syncs),
        "ratio": statistics.median(syncs) / statistics.median(floors),
        "day_server_sync_s": statistics.median(days),
        "day_answers": args.day,
        "load_before": load_before,
        "setup": setup,
        "runs": {"floor": floors, "sync": syncs, "day": days},
    }
    (OUT / "server_sync.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))
    if args.docs:
        command = "python bench/server_sync.py " + " ".join(sys.argv[1:])
        report.write_block(DOC, "bench/server_sync.py", command.strip(), _summary(result))


def _summary(result: dict) -> str:
    runs, setup = result["runs"], result["setup"]
    return (
        f"{report.stamp(result['load_before'])} {result['notes']:,} notes, "
        f"{result['revlog_rows']:,} review-log rows on the phone, Anki's sync server on "
        f"loopback, medians of {len(runs['sync'])} runs interleaved with the floor.\n\n"
        "| measure | trainer | floor | ratio |\n"
        "| --- | ---: | ---: | ---: |\n"
        "| a `trainer sync --server` with nothing new, against the `anki` library's own normal "
        f"sync of the phone with nothing new | {result['steady_server_sync_s']:.2f} s "
        f"({min(runs['sync']):.2f}-{max(runs['sync']):.2f}) "
        f"| {result['floor_normal_sync_s']:.2f} s "
        f"({min(runs['floor']):.2f}-{max(runs['floor']):.2f}) | {result['ratio']:.2f}x |\n"
        f"| a day's sync, {result['day_answers']} answers made on the phone copied in "
        f"| {result['day_server_sync_s']:.2f} s | | |\n"
        "| first contact: the collection downloaded, every answer copied into the trainer "
        f"| {setup['first_server_sync_s']:.1f} s | | |\n"
        "| the sync after it (reads the trainer's whole log once) "
        f"| {setup['second_server_sync_s']:.1f} s | | |"
    )


if __name__ == "__main__":
    main()
