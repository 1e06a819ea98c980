"""Build faults: a build killed at any moment leaves a whole package (the previous one
byte-identical, or the new one if the kill came after its rename) and the next build removes
whatever scratch files the killed one left; a full disk or a
read-only output location fails with a clear error and leaves the old package intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability_support import read_only_view, record, scaled, tiny_tmpfs
from tests.store_support import run_trainer, synthetic_bank, write

KILL_RUNS = scaled(8, 60)
NOW_1 = "2026-03-01T09:00:00"
NOW_2 = "2026-03-02T09:00:00"


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(".tmp"))


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A bank of 15,000 cards built once, then edited so the next build rewrites everything."""
    bank = write(tmp_path / "cards.yaml", synthetic_bank(15000))
    first = run_trainer("build", str(bank), extra_env={"TRAINER_NOW": NOW_1})
    assert first.returncode == 0, first.stderr
    package = tmp_path / "decks" / "synthetic.apkg"
    write(bank, synthetic_bank(15000).replace("Answer", "Reply"))
    return bank, package, package.read_bytes()


def test_a_killed_build_leaves_the_old_package_and_the_next_build_cleans_up(
    built, tmp_path: Path
) -> None:
    bank, package, before = built
    manifest = tmp_path / "decks" / "synthetic.lock.json"
    manifest_before = manifest.read_bytes()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = os.environ | {"TRAINER_NOW": NOW_2, "TMPDIR": str(scratch)}
    left_behind = 0
    seen: set[tuple[bytes, bytes]] = set()
    completed = 0
    for run in range(KILL_RUNS):
        process = subprocess.Popen(
            [sys.executable, "-m", "trainer", "build", str(bank)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(random.Random(run).uniform(0.1, 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if process.returncode == 0:
            completed += 1
            continue
        seen.add((package.read_bytes(), manifest.read_bytes()))
        left_behind += len(leftovers(package.parent))
        for temporary in scratch.iterdir():  # nothing in the system temp dir either
            raise AssertionError(f"left in TMPDIR: {temporary}")
    assert completed < KILL_RUNS, "every build finished before its kill: enlarge the bank"
    result = run_trainer("build", str(bank), extra_env={"TRAINER_NOW": NOW_2})
    assert result.returncode == 0, result.stderr
    assert leftovers(package.parent) == []
    after = (package.read_bytes(), manifest.read_bytes())
    assert after[0] != before
    # each kill left the old package, or (killed after the rename) the new one, whole
    damaged = seen - {(before, manifest_before), (after[0], manifest_before), after}
    record(
        "build: kill mid-build leaves the previous package",
        kills=KILL_RUNS - completed,
        scratch_files_left_then_cleaned=left_behind,
        packages_damaged=len(damaged),
    )
    assert not damaged


def test_a_full_disk_fails_clearly_and_keeps_the_old_package(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(3000))
    with tiny_tmpfs(tmp_path / "disk", "256k") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        output = tmp_path / "disk" / "deck.apkg"
        small = write(tmp_path / "small.yaml", synthetic_bank(3))
        assert run_trainer("build", str(small), "-o", str(output)).returncode == 0
        before = output.read_bytes()
        result = run_trainer("build", str(bank), "-o", str(output))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "No space left on device" in result.stderr or "disk is full" in result.stderr
        assert output.read_bytes() == before
        assert leftovers(output.parent) == []
    record("build: full disk or read-only output fails clearly", faults=1)


def test_a_read_only_output_fails_clearly(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(5))
    (tmp_path / "out").mkdir()
    with read_only_view(tmp_path / "out", tmp_path / "view") as mounted:
        if not mounted:
            pytest.skip("cannot make a read-only mount here (needs root)")
        result = run_trainer("build", str(bank), "-o", str(tmp_path / "view" / "deck.apkg"))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "Read-only file system" in result.stderr, result.stderr
    record("build: full disk or read-only output fails clearly", faults=1)


def test_the_next_build_removes_only_its_own_leftovers(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(5))
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / ".synthetic.apkg.k1ll3d.tmp").write_bytes(b"half a zip")
    (decks / ".synthetic.apkg.d1r.tmp").mkdir()
    (decks / ".synthetic.apkg.d1r.tmp" / "collection.anki2").write_bytes(b"half")
    (decks / ".synthetic.lock.json.x.tmp").write_text("{", encoding="utf-8")
    (decks / ".other.apkg.x.tmp").write_bytes(b"not ours")
    assert run_trainer("build", str(bank)).returncode == 0
    assert leftovers(decks) == [".other.apkg.x.tmp"]
