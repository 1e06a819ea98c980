"""`bench/schedulers.py`: the metrics are the srs-benchmark's, and the script reads a log and
prints both schedulers' log loss and RMSE(bins) (the real log stays in ../shared/data)."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bench.schedulers import (
    Prediction,
    bin_key,
    first_of_each_day,
    log_loss,
    predictions,
    rmse_bins,
)
from tests.store_support import write
from trainer.schedulers import Settings

DAY = date(2024, 3, 1)
SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "schedulers.py"


def prediction(recalled: bool, probability: float, elapsed: int = 1, number: int = 2):
    return Prediction(DAY, recalled, probability, elapsed, number, 0)


def test_log_loss() -> None:
    results = [prediction(True, 0.8), prediction(False, 0.8)]
    assert log_loss(results) == pytest.approx(-(math.log(0.8) + math.log(0.2)) / 2)


def test_rmse_bins_compares_each_bins_averages_weighted_by_answers() -> None:
    same_bin = [prediction(True, 0.9), prediction(False, 0.7)]  # mean 0.8, recalled 0.5
    other_bin = [prediction(True, 0.6, elapsed=30)]  # 0.6 against 1
    expected = math.sqrt((2 * 0.3**2 + 1 * 0.4**2) / 3)
    assert rmse_bins(same_bin + other_bin) == pytest.approx(expected)


def test_bins_are_the_srs_benchmarks_log_scales() -> None:
    assert bin_key(Prediction(DAY, True, 0.5, 1, 2, 0)) == (2.48, 4.0, 0.0)
    assert bin_key(Prediction(DAY, True, 0.5, 4, 3, 1)) == (8.98, 4.0, 2.0)
    assert bin_key(Prediction(DAY, True, 0.5, 14, 4, 2)) == (32.5, 7.0, 3.0)


def test_only_the_first_answer_of_a_study_day_is_scheduled() -> None:
    day, next_day = date(2024, 3, 1), date(2024, 3, 2)
    answers = [(day, 1), (day, 3), (next_day, 3), (next_day, 1)]
    assert first_of_each_day(answers) == [(day, 1), (next_day, 3)]


def test_sm2_is_given_ninety_percent_at_its_interval() -> None:
    answers = [(date(2024, 3, 1), 3), (date(2024, 3, 2), 3), (date(2024, 3, 8), 1)]
    got = predictions(Settings("sm2"), answers)
    assert [(p.probability, p.recalled, p.elapsed_days) for p in got] == [
        (pytest.approx(0.9), True, 1),
        (pytest.approx(0.9), False, 6),
    ]
    assert [p.lapses for p in got] == [0, 0]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def synthetic_log() -> str:
    rows = ["card_id,review_rating,review_time,review_duration"]
    for card in range(20):
        for day, rating in ((1, 3), (2, 3 if card % 3 else 1), (5, 3), (14, 1 if card % 4 else 3)):
            rows.append(f"{card},{rating},2024-03-{day:02d}T10:00:00+00:00,5000")
    return "\n".join(rows) + "\n"


def test_the_script_prints_both_schedulers_figures(tmp_path: Path) -> None:
    log = write(tmp_path / "log.csv", synthetic_log())
    result = run("--log", str(log))
    assert result.returncode == 0, result.stderr
    assert "80 answers of 20 cards" in result.stdout
    for name in ("SM-2", "FSRS-6, default parameters"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(f"| {name} |"))
        loss, rmse = (float(cell) for cell in line.split("|")[2:4])
        assert loss > 0 and 0 <= rmse <= 1


def test_without_the_optimizer_the_optimised_run_is_said_not_run(tmp_path: Path) -> None:
    if importlib.util.find_spec("torch") is not None:
        pytest.skip("fsrs[optimizer] is installed here")
    log = write(tmp_path / "log.csv", synthetic_log())
    result = run("--log", str(log))
    assert "FSRS-6, optimised parameters: not run (needs fsrs[optimizer]" in result.stdout


def test_with_the_optimizer_all_are_scored_on_the_later_half(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    log = write(tmp_path / "log.csv", synthetic_log())
    result = run("--log", str(log))
    assert result.returncode == 0, result.stderr
    later = result.stdout.split("Parameters fitted on the scheduled answers before")[1]
    assert "| FSRS-6, optimised parameters |" in later and "| SM-2 |" in later


def test_a_broken_log_is_a_clear_error(tmp_path: Path) -> None:
    log = write(tmp_path / "log.csv", "card_id,review_rating,review_time\n1,3,yesterday\n")
    result = run("--log", str(log))
    assert result.returncode == 1
    assert f"{log}:2: not a review row" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("--log", str(tmp_path / "missing.csv"))
    assert result.returncode == 1 and "cannot read the review log" in result.stderr
