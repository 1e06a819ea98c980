"""The `trainer` command line as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.store_support import SMALL_BANK, write
from tests.store_support import run_trainer as trainer
from tests.test_validate import VALID

ROOT = Path(__file__).resolve().parent.parent


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr


def test_check_prints_a_one_line_summary(tmp_path):
    bank = write(tmp_path / "cards.yaml", VALID)
    result = trainer("check", str(bank))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{bank}: OK, 4 notes (1 basic, 1 reverse, 1 cloze, 1 mcq), "
        "6 cards (1 basic, 2 reverse, 2 cloze, 1 mcq); "
        "by category: 1 date, 1 name, 1 component, 1 context"
    ]


def test_check_counts_one_note_in_the_singular(tmp_path):
    from tests.store_support import synthetic_bank

    bank = write(tmp_path / "cards.yaml", synthetic_bank(1))
    result = trainer("check", str(bank))
    assert result.stdout.startswith(f"{bank}: OK, 1 note (1 basic), 1 card (1 basic);")


def test_check_defaults_to_cards_yaml_in_the_current_directory(tmp_path):
    write(tmp_path / "cards.yaml", VALID)
    result = trainer("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("cards.yaml: OK, 4 notes")


def test_invalid_bank_prints_located_errors_and_exits_1(tmp_path):
    text = VALID.replace("fornt", "front").replace("    front: When", "    fornt: When")
    text = text.replace("answer: b", "answer: e")
    bank = write(tmp_path / "cards.yaml", text)
    result = trainer("check", str(bank))
    assert_clean_failure(result, 1)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bank}:9:5: card 'talks-date': missing required field 'front'",
        f"{bank}:13:5: card 'talks-date': unknown field 'fornt' (did you mean 'front'?)",
        f"{bank}:32:13: card 'practice': answer 'e' is not one of the choices (a-c)",
        "3 problems found",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", ":1:1: the bank is empty"),
        (b"deck:\n  name: \xff\xfe oops\n", ":2:9: not UTF-8 text (byte 0xff)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3:1: binary file (contains NUL bytes)"),
        ("deck: [\n", ":2:1: YAML syntax error: "),
    ],
    ids=["empty", "latin1", "binary", "syntax"],
)
def test_unusable_files_get_one_clear_line(tmp_path, content, message):
    bank = write(tmp_path / "cards.yaml", content)
    result = trainer("check", str(bank))
    assert_clean_failure(result, 1)
    first, count = result.stderr.splitlines()
    assert first.startswith(f"{bank}{message}")
    assert count == "1 problem found"


def test_missing_file_exits_1(tmp_path):
    result = trainer("check", str(tmp_path / "nope.yaml"))
    assert_clean_failure(result, 1)
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}:1:1: no such file")


def test_directory_instead_of_a_file_exits_1(tmp_path):
    result = trainer("check", str(tmp_path))
    assert_clean_failure(result, 1)
    assert "is a directory" in result.stderr


@pytest.mark.parametrize(
    "args", [[], ["chek"], ["check", "--bogus"], ["check", "a.yaml", "b.yaml"]]
)
def test_wrong_usage_exits_2(args):
    result = trainer(*args)
    assert_clean_failure(result, 2)
    assert "usage: trainer" in result.stderr


def test_console_script_and_module_agree(tmp_path):
    script = Path(sys.executable).with_name("trainer")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    bank = write(tmp_path / "cards.yaml", VALID)
    result = subprocess.run(
        [str(script), "check", str(bank)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout == trainer("check", str(bank)).stdout


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from trainer.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'yaml', 'textual', 'genanki', 'sqlite_utils', 'rich', 'anki'}\n"
        "heavy &= set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_reading_a_bank_does_not_import_the_quality_rules():
    """`build`, `limits` and a review that reloads its bank read banks, not the rules: the
    validator checks `quiet:` against the rules' names alone (`trainer.core.rules`)."""
    code = "import sys, trainer.bank; print(sorted(m for m in sys.modules if 'quality' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_shipped_bank_passes_check_strict():
    result = trainer("check", "--strict", str(ROOT / "cards.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


WORDS = ("due", "stats", "check", "--db", "--json", "--js", "-h", "--", "-", "", "a", "b c")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=6))
def test_plain_arguments_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    """`due` and `stats` read their plain arguments without argparse (start-up): whatever
    they accept, argparse accepts and reads the same; everything else is left to argparse."""
    import contextlib
    import io

    from trainer.cli import build_parser, plain_arguments

    plain = plain_arguments(argv)
    if plain is None:
        return
    with contextlib.redirect_stderr(io.StringIO()):
        assert vars(build_parser().parse_args(argv)) == vars(plain)


def test_due_and_stats_take_plain_arguments_without_argparse() -> None:
    from trainer.cli import plain_arguments

    assert plain_arguments(["due", "--db", "x.sqlite3", "cards.yaml"]) is not None
    assert plain_arguments(["stats", "cards.yaml", "--json"]) is not None
    for argv in (["due", "-h"], ["stats", "--db"], ["due", "a", "b"], ["stats", "--js"]):
        assert plain_arguments(argv) is None


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_output_that_is_not_utf8_gets_the_characters_it_lacks_escaped(
    tmp_path: Path, encoding: str
) -> None:
    """A non-UTF-8 locale: the deck name's dash stopped `banks`, `stats` and `cards` with a
    UnicodeEncodeError traceback. Escaped as JSON escapes, `--json` stays exact."""
    name, front = (
        "India\u2013Canada \U0001f1ee\U0001f1f3",
        "When (\u0935\u093e\u0930\u094d\u0924\u093e)?",
    )
    text = SMALL_BANK.replace("Small Deck", name).replace("When were the talks held?", front)
    bank = write(tmp_path / "cards.yaml", text)
    env = {"TRAINER_DB": str(tmp_path / "reviews.sqlite3"), "PYTHONIOENCODING": encoding}
    assert trainer("due", str(bank), extra_env=env).returncode == 0
    for command, shown in (("banks", "\\u2013"), ("cards", "\\u0935"), ("stats", "")):
        result = trainer(command, extra_env=env)
        assert result.returncode == 0, result.stderr
        assert shown in result.stdout
    banks = json.loads(trainer("banks", "--json", extra_env=env).stdout)
    assert [bank["name"] for bank in banks["banks"]] == [name]
    cards = json.loads(trainer("cards", "--json", extra_env=env).stdout)
    assert cards["items"][0]["question"] == front
