"""The bank loader under any input: random YAML, random text and bytes, mutations of the real
cards.yaml, huge files, deep nesting and alias bombs. Every input ends in a `Bank` or a
`BankError` whose problems all point inside the file, never in another exception, and in
bounded time and memory. The CLI exits 0 or 1 on them, without a traceback."""

from __future__ import annotations

import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability_support import REAL_BANK, assert_located, record, scaled
from tests.store_support import run_trainer
from trainer.bank import load_bank, parse_bank
from trainer.errors import BankError
from trainer.model import Bank

EXAMPLES = scaled(300, 5000)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # no wall-clock limit per input: a slower machine is not a failure
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not os.environ.get("TRAINER_SOAK"),
)
REAL_BYTES = REAL_BANK.read_bytes()
REAL_LINES = REAL_BYTES.splitlines(keepends=True)
FILE = Path("cards.yaml")


def line_count(text: str) -> int:
    """Lines as YAML counts them (\\n, \\r\\n, lone \\r, NEL, LS, PS all break lines)."""
    return max(text.count("\n"), len(text.splitlines())) + 1


def outcome_of_text(text: str) -> str:
    try:
        bank = parse_bank(text, FILE)
    except BankError as error:
        assert_located(error, line_count(text))
        return "error"
    assert isinstance(bank, Bank)
    return "bank"


_SCRATCH = Path(tempfile.mkdtemp(prefix="trainer-fuzz-"))


def outcome_of_bytes(data: bytes) -> str:
    path = _SCRATCH / "cards.yaml"
    path.write_bytes(data)
    try:
        bank = load_bank(path)
    except BankError as error:
        text = data.decode("utf-8", errors="replace")
        assert_located(error, line_count(text))
        return "error"
    assert isinstance(bank, Bank)
    return "bank"


# -- random YAML documents ---------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)
FIELD_NAMES = st.sampled_from(
    [
        "id",
        "type",
        "tags",
        "source",
        "front",
        "back",
        "extra",
        "text",
        "question",
        "choices",
        "answer",
        "explanation",
        "name",
        "title",
        "publisher",
        "date",
        "url",
        "fornt",
    ]
)
field_values = (
    st.text(max_size=20)
    | st.sampled_from(
        ["basic", "reverse", "cloze", "mcq", "a", "g", "{{c1::x}}", "{{c0::}}", "date", "hindu"]
    )
    | st.lists(st.text(max_size=8), max_size=7)
    | st.none()
)
cards = st.dictionaries(FIELD_NAMES, field_values, max_size=8)
bank_shaped = st.fixed_dictionaries(
    {
        "deck": st.dictionaries(
            st.sampled_from(["name", "description", "new_per_day", "day_starts_at", "x"]),
            st.text(max_size=10) | st.integers(-5, 30),
        ),
        "sources": st.dictionaries(
            st.sampled_from(["hindu", "pib", "x"]),
            st.dictionaries(st.sampled_from(["title", "publisher", "url", "date"]), st.text()),
        ),
        "cards": st.lists(cards, max_size=6),
    }
)


def dump(document: object, flow: bool | None) -> str:
    return yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, sort_keys=False)


def fuzz(promise: str, inputs: st.SearchStrategy, outcome: Callable[[Any], str]) -> None:
    """Run `outcome` on generated `inputs` and record what the run measured, failures included:
    each input ends in a bank, located problems, or (counted, then raised) anything else."""
    outcomes: Counter[str] = Counter()

    @SETTINGS
    @given(inputs)
    def one(value: Any) -> None:
        try:
            outcomes[outcome(value)] += 1
        except BaseException:
            outcomes["other"] += 1
            raise

    try:
        one()
    finally:
        record(
            f"fuzz: {promise}",
            inputs=sum(outcomes.values()),
            valid=outcomes["bank"],
            refused=outcomes["error"],
            other_exceptions=outcomes["other"],
        )


FLOWS = st.sampled_from([None, False, True])


def test_random_yaml_documents() -> None:
    fuzz("random YAML documents", st.tuples(documents, FLOWS), lambda v: outcome_of_text(dump(*v)))


def test_random_bank_shaped_documents() -> None:
    fuzz(
        "random bank-shaped YAML",
        st.tuples(bank_shaped, FLOWS),
        lambda v: outcome_of_text(dump(*v)),
    )


def test_random_text() -> None:
    fuzz("random text", st.text(), outcome_of_text)


def test_random_bytes() -> None:
    fuzz("random bytes", st.binary(), outcome_of_bytes)


# -- mutations of the real bank ----------------------------------------------------------------

INSERTS = [
    b"'",
    b'"',
    b"[",
    b"]",
    b"{",
    b"}",
    b"\t",
    b"\0",
    b"\xff",
    b"\xc3",
    b":",
    b"- ",
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ",
    b"\n",
    b"  ",
    b"{{c1::",
    b"#",
]


@st.composite
def mutated_bank(draw: st.DrawFn) -> bytes:
    """The real cards.yaml after a few random edits of the kinds a person or a disk makes."""
    data = bytearray(REAL_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS))
        elif kind == "truncate":
            del data[at:]
        else:
            lines = bytes(data).splitlines(keepends=True)
            if len(lines) < 2:
                continue
            i = draw(st.integers(0, len(lines) - 2))
            j = draw(st.integers(i + 1, len(lines) - 1))
            if kind == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(j, lines[i])
            data = bytearray(b"".join(lines))
    return bytes(data)


def test_mutations_of_the_real_bank() -> None:
    fuzz("mutations of the real cards.yaml", mutated_bank(), outcome_of_bytes)


def test_the_real_bank_loads() -> None:
    assert outcome_of_bytes(REAL_BYTES) == "bank"


# -- huge and hostile files, in a subprocess with limits ---------------------------------------

MEMORY_LIMIT = 2 * 1024**3
HANG_GUARD_SECONDS = 600
"""Only to end a hung run: the time each file took is recorded, not judged."""
HEAD = "deck:\n  name: Huge\nsources:\n  s:\n    title: T\n    publisher: P\ncards:\n"
CARD = (
    "  - id: {id}\n    type: basic\n    tags: [date]\n    source: s\n"
    "    front: {front}\n    back: b\n"
)
MB = 1024 * 1024
HUGE = scaled(50, 200)
MANY = scaled(20_000, 200_000)
HOSTILE = {
    # name: (python expression building the text, expected outcome, message fragment)
    "50 MB single-line scalar in a valid card": (
        f"HEAD + CARD.format(id='big', front='x' * ({HUGE} * MB))",
        "bank",
        "",
    ),
    "50 MB single line of brackets": (f"'[' * ({HUGE} * MB)", "error", "nesting deeper"),
    "50 MB single line of text": (f"'y' * ({HUGE} * MB)", "error", "must be a mapping"),
    "50 MB of one unclosed quote": (f"'a: \"' + 'z' * ({HUGE} * MB)", "error", "syntax"),
    "nesting 3,000 mappings deep": (
        "'a:\\n' + ''.join(' ' * i + 'a:\\n' for i in range(1, 3000))",
        "error",
        "nesting deeper",
    ),
    "billion laughs": (
        "'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\\n'"
        " + ''.join(f'{chr(98 + i)}: &{chr(98 + i)} [' + ', '.join([f'*{chr(97 + i)}'] * 9)"
        " + ']\\n' for i in range(12))",
        "error",
        "aliases",
    ),
    f"{MANY} valid cards": (
        f"HEAD + ''.join(CARD.format(id=f'c{{n}}', front=f'q{{n}}') for n in range({MANY}))",
        "bank",
        "",
    ),
    f"{MANY} broken cards": (
        f"HEAD + ''.join('  - {{id: c, fornt: q}}\\n' for n in range({MANY}))",
        "error",
        "card 'c'",
    ),
}
SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from trainer.bank import load_bank
    from trainer.errors import BankError
    HEAD, CARD, MB = {head!r}, {card!r}, {mb}
    path = Path(sys.argv[1])
    path.write_text({expression}, encoding="utf-8")
    lines = path.read_bytes().count(b"\\n") + 1
    started = time.monotonic()
    try:
        bank = load_bank(path)
        print("bank", len(bank.notes))
    except BankError as error:
        bad = [p for p in error.problems if not (1 <= p.line <= lines + 1 and p.column >= 1)]
        assert not bad, bad[:3]
        print("error", len(error.problems), error.problems[0].message)
    print("seconds", round(time.monotonic() - started, 2))
    """
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("name", HOSTILE)
def test_huge_and_hostile_files_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    expression, expected, fragment = HOSTILE[name]
    script = SCRIPT.format(head=HEAD, card=CARD, mb=MB, expression=expression)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "cards.yaml")],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = result.stdout.split()[0]
    assert outcome == expected, result.stdout
    assert fragment in result.stdout
    record(
        f"fuzz: huge/hostile file loads in bounded time ({name})",
        inputs=1,
        milliseconds=int((time.monotonic() - started) * 1000),
    )


# -- the command line on a sample ----------------------------------------------------------------

CLI_SAMPLE = scaled(12, 60)


CLI_EDITS = [b"", b"\xff\xfe", b"\t[", b"\0", b"'", b"  - id: [\n", b"deck: {"]


def damaged_bank(seed: int) -> bytes:
    """A deterministic damaged copy of the real bank: a cut, a bad insert, or a truncation."""
    chance = random.Random(seed)
    data = bytearray(REAL_BYTES)
    at = chance.randrange(len(data))
    if seed % 3 == 0:
        del data[at:]
    else:
        data[at : at + chance.randrange(3)] = chance.choice(CLI_EDITS)
    return bytes(data)


@pytest.mark.parametrize("seed", range(CLI_SAMPLE))
def test_cli_check_exits_0_or_1_without_traceback(seed: int, tmp_path: Path) -> None:
    bank = tmp_path / "cards.yaml"
    bank.write_bytes(damaged_bank(seed))
    result = run_trainer("check", str(bank))
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if result.returncode == 1:
        assert result.stderr.startswith(f"{bank}:"), result.stderr[:300]
    record("fuzz: CLI exits 0/1 without traceback", inputs=1, refused=result.returncode)


# -- literal text round-trips into Anki and onto the screen ------------------------------------

PIECES = [
    "[red]x[/]",
    "[bold]",
    "[/]",
    "<b>",
    "</b>",
    "<script>alert(1)</script>",
    "&amp;",
    "&",
    "&lt;",
    "{{x}}",
    "{{c1::y}}",
    "\\",
    "😀",
    "🇮🇳",
    "שלום",
    "مرحبا",
    "नमस्ते",
    "क्षेत्र",
    "\u200f",
    "'quoted'",
    '"double"',
    "a:b",
    "#hash",
    "%",
    "~",
    "null",
    "1947",
]
ROUND_TRIP_CARDS = scaled(20, 200)


def tricky_text(chance: random.Random) -> str:
    return " ".join(chance.choice(PIECES) for _ in range(chance.randint(1, 6)))


def tricky_bank(count: int, seed: int = 11) -> tuple[str, list[str]]:
    """A bank of basic cards whose front and back are markup and HTML look-alikes."""
    chance = random.Random(seed)
    fronts = [tricky_text(chance) for _ in range(count)]
    cards = [
        {
            "id": f"card-{n}",
            "type": "basic",
            "tags": ["context"],
            "source": "s",
            "front": front,
            "back": tricky_text(chance),
        }
        for n, front in enumerate(fronts)
    ]
    document = {
        "deck": {"name": "Tricky <deck> & [red]"},
        "sources": {"s": {"title": "T", "publisher": "P"}},
        "cards": cards,
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False), fronts


def test_literal_text_reaches_the_screen_unchanged() -> None:
    fuzz(
        "literal text reaches the screen unchanged",
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map(" ".join),
        shown_unchanged,
    )


def shown_unchanged(text: str) -> str:
    from rich.console import Console

    from trainer.tui import render

    document = {
        "deck": {"name": "D"},
        "sources": {"s": {"title": "T", "publisher": "P"}},
        "cards": [
            {
                "id": "c",
                "type": "reverse",
                "tags": ["name"],
                "source": "s",
                "front": text,
                "back": text,
            }
        ],
    }
    bank = parse_bank(yaml.safe_dump(document, allow_unicode=True), FILE)
    for item in bank.items:
        shown = render.question(item)
        assert shown.plain == text
        console = Console(width=400, record=True, file=io.StringIO())
        console.print(render.answer(item))
        assert console.export_text() == f"{text}\n\n{text}\n"
    return "bank"


def test_literal_text_reaches_anki_unchanged(tmp_path: Path, monkeypatch) -> None:
    from anki.collection import Collection

    from tests.test_build_anki_import import import_package, visible_text
    from trainer.cli import main

    text, fronts = tricky_bank(ROUND_TRIP_CARDS)
    bank = tmp_path / "cards.yaml"
    bank.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TRAINER_NOW", "2026-03-01T09:00:00")
    assert main(["build", str(bank)]) == 0
    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        import_package(collection, next((tmp_path / "decks").glob("*.apkg")))
        shown = sorted(
            visible_text(collection.get_card(card_id).question())
            for card_id in collection.find_cards("")
        )
        deck_names = {name.name for name in collection.decks.all_names_and_ids()}
    finally:
        collection.close()
    assert shown == sorted(" ".join(front.split()) for front in fronts)
    assert "Tricky <deck> & [red]" in deck_names
    record("fuzz: literal text round-trips into Anki", inputs=ROUND_TRIP_CARDS)
