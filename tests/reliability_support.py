"""Shared pieces of the reliability suite: quick/soak sizes, the count log, mounts, checks.

The suite runs quickly by default (CI). `TRAINER_SOAK=1` raises every example count and
kill run. Each test records what it tried with `record(...)`: the counts are printed (see
them with `pytest -s`) and, when `TRAINER_RELIABILITY_COUNTS` names a file, appended to it as
JSON lines. `python -m tests.reliability_support [pytest args]` runs the suite that way and
prints the totals that docs/reliability.md quotes.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from trainer.errors import BankError

SOAK = os.environ.get("TRAINER_SOAK") == "1"
COUNTS_VARIABLE = "TRAINER_RELIABILITY_COUNTS"
ROOT = Path(__file__).resolve().parent.parent
REAL_BANK = ROOT / "cards.yaml"


def scaled(quick: int, soak: int) -> int:
    """`quick` in CI, `soak` with TRAINER_SOAK=1."""
    return soak if SOAK else quick


def record(promise: str, **counts: int) -> None:
    """Log what a test tried for `promise` (e.g. inputs=500, problems=0). Tests call it after
    their assertions, so a count logged is a count that passed."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[0]
    entry = {"promise": promise, **counts, "file": test}
    print(f"RELIABILITY {json.dumps(entry)}")
    target = os.environ.get(COUNTS_VARIABLE)
    if target:
        with Path(target).open("a", encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")


def assert_located(error: BankError, text_or_lines: str | int) -> None:
    """Every problem points inside the file: 1 <= line <= lines + 1, column >= 1."""
    lines = text_or_lines if isinstance(text_or_lines, int) else text_or_lines.count("\n") + 1
    assert error.problems, "a BankError without problems"
    for problem in error.problems:
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.column >= 1, problem
        assert problem.message.strip(), problem


def _mount(*args: str) -> bool:
    try:
        result = subprocess.run(["mount", *args], capture_output=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False, timeout=10)


@contextlib.contextmanager
def tiny_tmpfs(path: Path, size: str = "64k") -> Iterator[bool]:
    """A `size` tmpfs mounted at `path` (True), or False where mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    try:
        yield mounted
    finally:
        if mounted:
            _umount(path)


@contextlib.contextmanager
def read_only_view(source: Path, target: Path) -> Iterator[bool]:
    """`source` bind-mounted read-only at `target` (True), or False where not allowed.

    The tests run as root, which ignores file modes, so chmod cannot make a location
    read-only; a read-only mount stops root too.
    """
    target.mkdir(parents=True, exist_ok=True)
    mounted = _mount("--bind", str(source), str(target))
    if mounted and not _mount("-o", "remount,ro,bind", str(target)):
        _umount(target)
        mounted = False
    try:
        yield mounted
    finally:
        if mounted:
            _umount(target)


def _totals(lines: list[str]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        entry = json.loads(line)
        promise = entry.pop("promise")
        entry.pop("file", None)
        for key, value in entry.items():
            totals[promise][key] += value
    return {promise: dict(counts) for promise, counts in totals.items()}


def _files(lines: list[str]) -> dict[str, str]:
    return {entry["promise"]: entry.get("file", "") for entry in map(json.loads, lines)}


DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- counts: begin -->", "<!-- counts: end -->"


def counts_table(lines: list[str], exit_code: int, seconds: float) -> str:
    """The Markdown table of what a run tried, one row per class, written from its log."""
    totals, files = _totals(lines), _files(lines)
    mode = "soak" if SOAK else "quick"
    rows = [
        f"Written by `python -m tests.reliability_support --write-doc` from a {mode} run of"
        f" {seconds:.0f} s (pytest exit {exit_code}; every row was logged by a test after its"
        " assertions held, so a failed test adds none).",
        "",
        "| class tried | counts | test file |",
        "| --- | --- | --- |",
    ]
    for promise in sorted(totals):
        counts = ", ".join(f"{key} {value:,}" for key, value in totals[promise].items())
        rows.append(f"| {promise} | {counts} | `{files[promise]}` |")
    return "\n".join(rows)


def write_doc(table: str) -> None:
    """Replace the text between the count markers of docs/reliability.md with `table`."""
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(f"{text[:start]}\n{table}\n{text[end:]}", encoding="utf-8")


def main(pytest_args: list[str]) -> int:
    """Run the reliability suite and print the totals per promise; with `--write-doc` first,
    also write them into docs/reliability.md."""
    write = pytest_args[:1] == ["--write-doc"]
    pytest_args = pytest_args[1:] if write else pytest_args
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as directory:
        counts = Path(directory) / "counts.jsonl"
        counts.touch()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", *pytest_args]
            + (
                []
                if pytest_args
                else sorted(str(p) for p in ROOT.glob("tests/test_reliability_*.py"))
            ),
            env=os.environ | {COUNTS_VARIABLE: str(counts)},
            cwd=ROOT,
            check=False,
        )
        lines = counts.read_text(encoding="utf-8").splitlines()
    print(json.dumps({"soak": SOAK, "exit": result.returncode, "totals": _totals(lines)}, indent=2))
    if write:
        write_doc(counts_table(lines, result.returncode, time.monotonic() - started))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
