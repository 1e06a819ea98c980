"""`trainer due`: one number, equal to the session's queue, cheap on an unchanged bank."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.store_support import SMALL_BANK, run_trainer, synthetic_bank, write
from trainer.session import open_session

NOW = "2026-03-01T09:00:00"
HEAVY = ("yaml", "textual", "genanki", "rich", "sqlite_utils")
PROBE = f"""
import sys
from trainer.cli import main
code = main(sys.argv[1:])
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
heavy += sorted({{"trainer.model"}} & set(sys.modules))  # the bank's model: only to read it
print("loaded:", ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def due(bank: Path, db: Path, now: str = NOW) -> str:
    result = run_trainer("due", str(bank), "--db", str(db), now=now)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_prints_one_number(small_bank_path: Path, tmp_path: Path) -> None:
    assert due(small_bank_path, tmp_path / "reviews.sqlite3") == "4\n"


def test_agrees_with_the_session(small_bank_path: Path, tmp_path: Path, set_now) -> None:
    db = tmp_path / "reviews.sqlite3"
    with open_session(small_bank_path, db) as session:
        for quality in (5, 2, 4):
            session.grade(session.current(), quality, 100)
        total = session.counts().total
    assert due(small_bank_path, db) == f"{total}\n" == "2\n"  # 1 new left + 1 re-drill
    # next day: 3 reviews, and of the new items only venue (the others are their siblings)
    assert due(small_bank_path, db, now="2026-03-02T09:00:00") == "4\n"
    stats = run_trainer("stats", str(small_bank_path), "--db", str(db), "--json", now=NOW)
    assert json.loads(stats.stdout)["due_now"] == 2


def test_unchanged_bank_is_not_parsed(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(50))
    db = tmp_path / "reviews.sqlite3"
    args = [sys.executable, "-c", PROBE, "due", str(bank), "--db", str(db)]

    def probe() -> tuple[str, str]:
        import os
        import subprocess

        env = os.environ | {"TRAINER_NOW": NOW}
        result = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
        return result.stdout, result.stderr.strip()

    assert probe() == ("20\n", "loaded: sqlite_utils,yaml,trainer.model")  # parse and sync
    before = db.read_bytes()
    assert probe() == ("20\n", "loaded:")  # unchanged: nothing heavy imported
    assert db.read_bytes() == before  # and nothing written
    write(bank, synthetic_bank(50).replace("Question 7?", "Question seven?"))
    assert probe() == ("20\n", "loaded: sqlite_utils,yaml,trainer.model")  # edited: parsed again
    assert probe() == ("20\n", "loaded:")


def test_new_cards_in_the_bank_are_counted(tmp_path: Path) -> None:
    bank = write(tmp_path / "cards.yaml", synthetic_bank(3))
    db = tmp_path / "reviews.sqlite3"
    assert due(bank, db) == "3\n"
    write(bank, synthetic_bank(3) + synthetic_bank(2, start=3).split("cards:\n")[1])
    assert due(bank, db) == "5\n"


def test_database_location(tmp_path: Path, small_bank_path: Path) -> None:
    env_db = tmp_path / "env" / "reviews.sqlite3"
    result = run_trainer("due", str(small_bank_path), extra_env={"TRAINER_DB": str(env_db)})
    assert result.returncode == 0 and env_db.is_file()
    option_db = tmp_path / "option.sqlite3"
    result = run_trainer(
        "due", str(small_bank_path), "--db", str(option_db), extra_env={"TRAINER_DB": str(env_db)}
    )
    assert result.returncode == 0 and option_db.is_file()
    data_home = tmp_path / "data"
    result = run_trainer(
        "due",
        str(small_bank_path),
        extra_env={"XDG_DATA_HOME": str(data_home), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0
    assert (data_home / "trainer" / "reviews.sqlite3").is_file()


def test_bank_problems_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    result = run_trainer("due", str(tmp_path / "missing.yaml"), "--db", str(db))
    assert result.returncode == 1
    assert "no such file" in result.stderr
    broken = write(tmp_path / "cards.yaml", SMALL_BANK.replace("type: mcq", "type: quiz"))
    result = run_trainer("due", str(broken), "--db", str(db))
    assert result.returncode == 1
    assert result.stdout == ""


LEAN_PROBE = """
import builtins, sys
compiled = []
_compile = builtins.compile
def compile(source, *args, **kwargs):
    if isinstance(source, str):  # not the import system's source bytes (bytecode not cached)
        compiled.append(repr(source)[:60])
    return _compile(source, *args, **kwargs)
builtins.compile = compile
from trainer.cli import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)), file=sys.stderr)
print(*compiled, sep=", ", file=sys.stderr)
sys.exit(code)
"""
START_UP_HEAVY = {
    "argparse",
    "dataclasses",
    "inspect",
    "threading",
    "shlex",
    "trainer.model",
    "trainer.exam",
}
"""What `due` and `stats --json` on unchanged banks do without (callgrind, instructions on top
of a bare python's 99M): dataclasses 42M (it imports inspect, dis, ast, tokenize) and 3.8M more
for each frozen dataclass defined; the bank's model (trainer.model) 90M; argparse 24M with one
command's parser built (`trainer.cli.plain_arguments`); the exam plan (trainer.exam) 4.5M for
decks without an exam. And no call of the builtin `compile()`: the first costs 9.4M (it sets
up the AST's types), each string annotation in a NamedTuple calls it (typing.ForwardRef);
`from __future__ import annotations` in the record modules on this path made that 19M."""
MODULES_BUDGET = 50
"""Modules `trainer due` or `stats --json` may import beyond a bare `python -c 'import sqlite3'`
(40 and 41 when set; each one costs start-up time in a shell prompt)."""


def _start_up(*argv: str) -> tuple[set[str], str]:
    """The modules imported, and what the builtin compile() was called on (LEAN_PROBE)."""
    import os
    import subprocess

    env = os.environ | {"TRAINER_NOW": NOW}
    result = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env=env, check=True
    )
    modules, compiled = [*result.stderr.splitlines(), ""][:2]
    return set(modules.split()), compiled


def test_due_and_stats_on_unchanged_banks_start_lean(tmp_path: Path, set_now) -> None:
    """Counted, not timed: the modules `due` and `stats --json` import, with and without BANK,
    with hard cards of every kind to name in the statistics."""
    bank = write(tmp_path / "cards.yaml", SMALL_BANK)
    db = tmp_path / "reviews.sqlite3"
    set_now(NOW)
    with open_session(bank, db) as session:
        while (card := session.current()) is not None:
            session.grade(card, 1 if card.kind != "redrill" else 4, 100)
    stats = run_trainer("stats", str(bank), "--db", str(db), "--json", now=NOW)
    assert len(json.loads(stats.stdout)["hardest"]) >= 4
    bare, _ = _start_up("-c", "import sqlite3, sys; print(' '.join(sys.modules), file=sys.stderr)")
    for command in (["due"], ["stats", "--json"]):
        for argv in ([*command, str(bank), "--db", str(db)], [*command, "--db", str(db)]):
            modules, compiled = _start_up("-c", LEAN_PROBE, *argv)
            imported = modules - bare
            assert not imported & START_UP_HEAVY, argv
            assert len(imported) <= MODULES_BUDGET, sorted(imported)
            assert compiled == "", f"{argv}: compile() called on {compiled}"
