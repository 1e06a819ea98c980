"""Benchmark every command against the floor of its work, side by side in one run.

    python bench/run.py [--quick] [--sizes 1000,10000,100000] [--repeat N] [--svg PATH]
                        [--only 'due,stats --json']

For each bank size: generate (once, cached in bench/out/) a synthetic bank and a review
database with its history; then, `--repeat` times, run each command and its floor as child
processes, interleaved (floor, ours, ours, floor, ...) so that a noisy machine hurts both alike.
Prints medians of wall time and of peak memory (the child's max RSS, from wait4), their ratios,
and the time per card; writes bench/out/results.json (and an SVG chart with --svg). Then the
several-banks case: `due` and `stats --json` without BANK over five banks of 2,000 cards, each
with its history, in one database (`--no-library` skips it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import banks, report  # noqa: E402
from bench.chart import write_chart  # noqa: E402

OUT = BENCH / "out"
PROBES = str(BENCH / "probes.py")
PYTHON = sys.executable
FULL_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
FULL_REPEAT = 3
QUICK_REPEAT = 3
GRADES = 50
"""Grades timed per grade benchmark (each one a committed transaction)."""
TIMEOUT_SECONDS = 600
UNSET_VARIABLES = ("TRAINER_DB", "PYTHONDONTWRITEBYTECODE")
"""An installed package has its bytecode compiled; without it every run of ours would compile
our modules from source (the floors' stdlib modules come precompiled). Bytecode is cached in
bench/out/pycache, for ours and the floors alike, and the warm-up run fills it."""


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def memory_mib(self) -> float:
        return statistics.median(self.rss_kib) / 1024


@dataclass
class Row:
    size: int
    command: str
    floor_name: str
    ours: Measure = field(default_factory=Measure)
    floor: Measure = field(default_factory=Measure)


def run_child(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds from spawn to exit, and the child's peak RSS in KiB; fails loudly."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            output.seek(0)
            raise RuntimeError(f"{argv} exited {child.returncode}:\n{output.read().decode()}")
    return elapsed, usage.ru_maxrss


def trainer(*args: str) -> list[str]:
    return [PYTHON, "-m", "trainer", *args]


def probe(*args: str) -> list[str]:
    return [PYTHON, PROBES, *args]


BARE_PYTHON = [PYTHON, "-c", "import sqlite3"]


@dataclass(frozen=True)
class Benchmark:
    command: str
    floor_name: str
    ours: Callable[[], list[str]]
    floor: Callable[[], list[str]]
    before: Callable[[], None] = lambda: None
    """Runs before each measurement of ours (not timed), e.g. to remove a database."""


def benchmarks(data: banks.Dataset, work: Path) -> list[Benchmark]:
    bank, db = str(data.bank), str(data.db)
    fresh_db = work / "fresh.sqlite3"

    def remove_fresh_db() -> None:
        for path in work.glob("fresh.sqlite3*"):
            path.unlink()

    edited_bank, edited_db = work / "edited.yaml", work / "edited.sqlite3"
    edits = itertools.count(1)

    def edit_bank() -> None:
        """A different bank text each run (one comment line), on a copy of the database."""
        if not edited_db.exists():
            shutil.copyfile(data.db, edited_db)
            with sqlite3.connect(edited_db) as copy:  # its bank lives at edited.yaml, no move
                copy.execute("UPDATE banks SET path = ?", (str(edited_bank.resolve()),))
            copy.close()
        shutil.copyfile(data.bank, edited_bank)  # never read here: this process stays small,
        with edited_bank.open("a") as bank_file:  # as children report its peak RSS as theirs
            bank_file.write(f"\n# edit {next(edits)}\n")

    return [
        Benchmark(
            "check", "libyaml parse", lambda: trainer("check", bank), lambda: probe("yaml", bank)
        ),
        Benchmark(
            "check (the quality rules' cost)",
            "check without the quality rules",
            lambda: trainer("check", bank),
            lambda: probe("check-rules-off", bank),
        ),
        Benchmark(
            "build",
            "libyaml parse + plain genanki",
            lambda: trainer("build", bank, "-o", str(work / "ours.apkg")),
            lambda: probe("genanki", bank, str(work / "floor.apkg")),
        ),
        Benchmark(
            "due",
            "python -c 'import sqlite3'",
            lambda: trainer("due", bank, "--db", db),
            lambda: BARE_PYTHON,
        ),
        Benchmark(
            "stats --json",
            "python -c 'import sqlite3'",
            lambda: trainer("stats", bank, "--db", db, "--json"),
            lambda: BARE_PYTHON,
        ),
        Benchmark(
            "due, first sync (new db)",
            "libyaml parse",
            lambda: trainer("due", bank, "--db", str(fresh_db)),
            lambda: probe("yaml", bank),
            before=remove_fresh_db,
        ),
        Benchmark(
            "review: first card",
            "one-label Textual app",
            lambda: probe("review", bank, db),
            lambda: probe("textual"),
        ),
        Benchmark(
            "review: first card, bank edited",
            "libyaml parse",
            lambda: probe("review", str(edited_bank), str(edited_db)),
            lambda: probe("yaml", bank),
            before=edit_bank,
        ),
    ]


LIBRARY_BANKS, LIBRARY_CARDS = 5, 2_000
"""The several-banks case: `due` and `stats` without BANK over five banks of 2,000 cards."""


def library_benchmarks(data: banks.Library) -> list[Benchmark]:
    db = str(data.db)
    label = f"{LIBRARY_BANKS} banks of {LIBRARY_CARDS:,}"
    return [
        Benchmark(
            f"due, {label} (no BANK)",
            "python -c 'import sqlite3'",
            lambda: trainer("due", "--db", db),
            lambda: BARE_PYTHON,
        ),
        Benchmark(
            f"stats --json, {label} (no BANK)",
            "python -c 'import sqlite3'",
            lambda: trainer("stats", "--db", db, "--json"),
            lambda: BARE_PYTHON,
        ),
    ]


def selected(command: str, only: tuple[str, ...] | None) -> bool:
    """`--only`: a benchmark runs if its command starts with one of the names given."""
    return only is None or command.startswith(only)


def measure_library(repeat: int, env: dict[str, str], only: tuple[str, ...] | None) -> list[Row]:
    generate = [PYTHON, str(BENCH / "banks.py"), str(OUT), str(LIBRARY_BANKS), str(LIBRARY_CARDS)]
    subprocess.run(generate, env=env, check=True)
    data = banks.library(OUT, LIBRARY_BANKS, LIBRARY_CARDS)
    size = LIBRARY_BANKS * LIBRARY_CARDS
    marks = [mark for mark in library_benchmarks(data) if selected(mark.command, only)]
    return measure(size, marks, repeat, env)


def measure(size: int, marks: list[Benchmark], repeat: int, env: dict[str, str]) -> list[Row]:
    """Each benchmark and its floor, `repeat` times, interleaved, after a warm-up."""
    rows = [Row(size, mark.command, mark.floor_name) for mark in marks]
    for mark in marks:  # warm-up: page cache, build manifest, today's database backup
        mark.before()
        run_child(mark.ours(), env)
        run_child(mark.floor(), env)
    for round_ in range(repeat):
        for mark, row in zip(marks, rows, strict=True):
            order = ("floor", "ours") if round_ % 2 == 0 else ("ours", "floor")
            for which in order:
                if which == "ours":
                    mark.before()
                    seconds, rss = run_child(mark.ours(), env)
                    row.ours.seconds.append(seconds)
                    row.ours.rss_kib.append(rss)
                else:
                    seconds, rss = run_child(mark.floor(), env)
                    row.floor.seconds.append(seconds)
                    row.floor.rss_kib.append(rss)
    return rows


def measure_size(
    size: int, repeat: int, env: dict[str, str], only: tuple[str, ...] | None
) -> tuple[list[Row], dict | None]:
    subprocess.run([PYTHON, str(BENCH / "banks.py"), str(OUT), str(size)], env=env, check=True)
    data = banks.dataset(OUT, size)  # generated by the child: this process stays small
    work = OUT / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    marks = [mark for mark in benchmarks(data, work) if selected(mark.command, only)]
    graded = grade(data, work, env) if selected("grade", only) else None
    return measure(size, marks, repeat, env), graded


def grade(data: banks.Dataset, work: Path, env: dict[str, str]) -> dict:
    """Session.grade on a copy of the database vs a raw transaction on another copy."""
    copies = []
    for name in ("grade", "grade-floor"):
        target = work / f"{name}.sqlite3"
        shutil.copyfile(data.db, target)
        copies.append(str(target))
    result = subprocess.run(
        probe("grade", str(data.bank), *copies, str(GRADES)),
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    return {"size": data.cards, **json.loads(result.stdout)}


def machine() -> dict[str, str]:
    import yaml

    cpu = "unknown"
    with Path("/proc/cpuinfo").open(encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from yaml import _yaml

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "libyaml": _yaml.get_version_string(),
        "pyyaml": yaml.__version__,
        "sqlite": __import__("sqlite3").sqlite_version,
        "load_average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def table(rows: list[Row], grades: list[dict]) -> str:
    lines = [
        "| cards | command | ours s | floor s | ratio | ours MiB | floor MiB | mem ratio "
        "| µs/card | floor |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        ours, floor = row.ours, row.floor
        lines.append(
            f"| {row.size:,} | {row.command} | {ours.time:.3f} | {floor.time:.3f} "
            f"| {ours.time / floor.time:.2f} | {ours.memory_mib:.0f} | {floor.memory_mib:.0f} "
            f"| {ours.memory_mib / floor.memory_mib:.2f} | {ours.time / row.size * 1e6:.0f} "
            f"| {row.floor_name} |"
        )
    for result in grades:
        lines.append(
            f"| {result['size']:,} | grade ({result['reviews_logged']:,} reviews logged) "
            f"| {result['grade_ms'] / 1000:.4f} | {result['floor_ms'] / 1000:.4f} "
            f"| {result['grade_ms'] / result['floor_ms']:.2f} | | | "
            f"| | raw insert+update transaction (grade + next card: "
            f"{result['grade_and_next_card_ms']:.1f} ms) |"
        )
    return "\n".join(lines)


TARGET_SIZE = 10_000
"""The bank size the issue's targets are set at (1,000,000 answers logged)."""
RATIO_TARGETS = (
    (TARGET_SIZE, "due", 2.0),
    (TARGET_SIZE, "stats --json", 2.0),
    (
        LIBRARY_BANKS * LIBRARY_CARDS,
        f"due, {LIBRARY_BANKS} banks of {LIBRARY_CARDS:,} (no BANK)",
        2.5,
    ),
    (
        LIBRARY_BANKS * LIBRARY_CARDS,
        f"stats --json, {LIBRARY_BANKS} banks of {LIBRARY_CARDS:,} (no BANK)",
        2.5,
    ),
    (TARGET_SIZE, "review: first card", 1.3),
    (100_000, "check (the quality rules' cost)", 1.25),
)
"""(cards, command, the highest ratio to its floor that meets the target)."""
GRADE_TARGET_MS = 15.0
"""A grade plus the next card at 1,000,000 answers logged."""


def targets(rows: list[Row], grades: list[dict]) -> str:
    """The targets' table: each measured figure beside its floor and its limit."""
    lines = [
        "| target | ours | floor | ratio | limit | met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for size, command, limit in RATIO_TARGETS:
        row = next((r for r in rows if r.size == size and r.command == command), None)
        if row is None:
            lines.append(f"| {command} at {size:,} cards | not run | | | {limit}x | |")
            continue
        ratio = row.ours.time / row.floor.time
        met = "yes" if ratio <= limit else "NO"
        lines.append(
            f"| {command} at {size:,} cards vs {row.floor_name} | {row.ours.time:.3f} s "
            f"| {row.floor.time:.3f} s | {ratio:.2f}x | {limit}x | {met} |"
        )
    for result in grades:
        if result["size"] != TARGET_SIZE:
            continue
        ms = result["grade_and_next_card_ms"]
        lines.append(
            f"| grade + next card, {result['reviews_logged']:,} answers logged | {ms:.1f} ms "
            f"| {result['floor_ms']:.1f} ms (raw transaction) | | {GRADE_TARGET_MS:.0f} ms "
            f"| {'yes' if ms <= GRADE_TARGET_MS else 'NO'} |"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 cards, 3 runs")
    parser.add_argument("--sizes", help="comma-separated bank sizes (default 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, help="runs per measurement (median reported)")
    parser.add_argument("--svg", type=Path, help="write a chart of time against bank size")
    parser.add_argument(
        "--no-library", action="store_true", help="skip the five-bank case (due, stats)"
    )
    parser.add_argument(
        "--docs", action="store_true", help="write the tables into docs/benchmarks.md"
    )
    parser.add_argument(
        "--only",
        help="comma-separated commands to run, e.g. 'due,stats,review: first card,grade': a "
        "benchmark runs if its command starts with one of them (default: all)",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = tuple(int(size.replace("_", "")) for size in args.sizes.split(","))
    else:
        args.sizes = QUICK_SIZES if args.quick else FULL_SIZES
    args.repeat = args.repeat or (QUICK_REPEAT if args.quick else FULL_REPEAT)
    args.only = tuple(args.only.split(",")) if args.only else None
    if args.only and args.docs:
        parser.error("--docs writes every benchmark: not with --only")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["TRAINER_NOW"] = banks.NOW
    env = {key: value for key, value in os.environ.items() if key not in UNSET_VARIABLES}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    started = time.perf_counter()
    load_before = report.load_now()
    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"libyaml {info['libyaml']}, SQLite {info['sqlite']}, load {info['load_average']}"
    )
    rows: list[Row] = []
    grades: list[dict] = []
    for size in args.sizes:
        print(f"{size:,} cards ...", file=sys.stderr, flush=True)
        size_rows, graded = measure_size(size, args.repeat, env, args.only)
        rows += size_rows
        if graded is not None:
            grades.append(graded)
    chart_rows = list(rows)
    if not args.no_library:
        print(f"{LIBRARY_BANKS} banks of {LIBRARY_CARDS:,} cards ...", file=sys.stderr, flush=True)
        rows += measure_library(args.repeat, env, args.only)
    print(f"medians of {args.repeat} runs; wall {time.perf_counter() - started:.0f} s")
    print(table(rows, grades))
    print(targets(rows, grades))
    if args.docs:
        command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
        body = (
            f"{report.stamp(load_before)} Medians of {args.repeat} runs, ours and the floor "
            f"interleaved; wall {time.perf_counter() - started:.0f} s.\n\n"
            f"**Targets**\n\n{targets(rows, grades)}\n\n**Every command**\n\n"
            f"{table(rows, grades)}"
        )
        report.write_block(report.BENCHMARKS, "bench/run.py", command.strip(), body)
    results = {
        "machine": info,
        "repeat": args.repeat,
        "rows": [
            {**asdict(row), "ours_median": row.ours.time, "floor_median": row.floor.time}
            for row in rows
        ],
        "grades": grades,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    if args.svg:
        write_chart(args.svg, chart_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
