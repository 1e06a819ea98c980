"""`trainer check` on a large bank begins its quality rules while the bank loads (issue #23): a
child process parses the bank's first lines again and reads their notes on another core. The
warnings are those of one reading, whatever happens to the child."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_quality_work import SIZE, synthetic_text
from trainer import bank, quality
from trainer.bank import first_notes, load_bank
from trainer.cli import main
from trainer.copying import Sources
from trainer.errors import BankError
from trainer.quality import CardWarning

HEADER_SOURCES = "sources:\n  s:\n    title: Work Plan\n    publisher: Review Desk\n"


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> list[range]:
    """A small bank treated as a large one on two cores; the notes read in this process."""
    monkeypatch.setattr(quality, "EARLY_CHARS", 0)
    monkeypatch.setattr(quality, "PART_NOTES", 20)
    monkeypatch.setattr(quality, "cores", lambda: 2)
    here = os.getpid()
    read_here: list[range] = []
    read = quality._read

    def recorded(notes, first, *rest):  # type: ignore[no-untyped-def]
        if os.getpid() == here:
            read_here.append(range(first, first + len(notes)))
        return read(notes, first, *rest)

    monkeypatch.setattr(quality, "_read", recorded)
    return read_here


def checked_while_loading(path: Path, sources: Sources | None = None) -> list[CardWarning]:
    with quality.Check(sources) as checking:
        bank = load_bank(path, checking.begin)
        return checking.warnings(bank)


def one_reading(path: Path, sources: Sources | None = None) -> list[CardWarning]:
    return quality.check(load_bank(path), sources, parts=1)


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_first_notes_are_read_in_a_child_while_the_bank_loads(
    tmp_path: Path, shared: list[range]
):
    text = synthetic_text(SIZE)
    first = text[text.index("  - id: n0\n") : text.index("  - id: n1\n")]
    path = written(tmp_path, text + first.replace("id: n0", "id: copy"))  # the first, copied last
    article = re.sub(r"\{\{c1::(.*?)\}\}", r"\1", load_bank(path).notes[2].text)  # type: ignore[attr-defined]
    sources = Sources.of([("article.txt", article)])
    expected = one_reading(path, sources)
    assert [w.note_id for w in expected if w.rule == "near-duplicate"] == ["copy"]
    assert {"answer-skew", "copied-run"} <= {w.rule for w in expected}
    shared.clear()
    assert checked_while_loading(path, sources) == expected
    first = min(share.start for share in shared)
    assert SIZE // 2 < first < SIZE  # about EARLY_PART of the notes were read by the child
    assert max(share.stop for share in shared) == SIZE + 1


def test_sources_after_the_cards_are_no_start_the_child_can_read(
    tmp_path: Path, shared: list[range]
):
    text = synthetic_text(SIZE).replace(HEADER_SOURCES, "")
    assert text.count("sources:") == 0
    path = written(tmp_path, text + HEADER_SOURCES)
    expected = one_reading(path)
    shared.clear()
    assert checked_while_loading(path) == expected
    assert min(share.start for share in shared) < SIZE // 2  # the child's part, read again


def test_a_part_read_again_is_shared_out_as_the_rest_is(tmp_path: Path, shared: list[range]):
    """Where the child's part cannot be used, reading it again takes both cores too: a bank
    with its sources after its cards is checked no slower than without the early child."""
    text = synthetic_text(SIZE).replace(HEADER_SOURCES, "")
    path = written(tmp_path, text + HEADER_SOURCES)
    expected = one_reading(path)
    shared.clear()
    assert checked_while_loading(path) == expected
    assert sum(map(len, shared)) <= SIZE // 2 + 1  # this process's half, the child's the other


@pytest.mark.parametrize("change", ["one note fewer", "another publisher"])
def test_a_part_that_is_not_the_bank_s_start_is_not_used(
    tmp_path: Path, shared: list[range], monkeypatch: pytest.MonkeyPatch, change: str
):
    """The child's part is used only where it is the bank's first notes, read with its
    sources: otherwise that part is read here."""
    path = written(tmp_path, synthetic_text(SIZE))
    expected = one_reading(path)

    def changed(text: str, path: Path, stop: int) -> bank.FirstNotes | None:
        first = first_notes(text, path, stop)
        assert first is not None
        if change == "one note fewer":
            return first._replace(notes=first.notes[:-1])
        other = replace(first.sources["s"], publisher="Other Desk")
        return first._replace(sources={"s": other})

    monkeypatch.setattr(quality, "first_notes", changed)
    shared.clear()
    assert checked_while_loading(path) == expected
    assert min(share.start for share in shared) < SIZE // 2  # the child's part, read again


def test_a_killed_early_child_has_its_part_read_here(
    tmp_path: Path, shared: list[range], monkeypatch: pytest.MonkeyPatch
):
    path = written(tmp_path, synthetic_text(SIZE))
    expected = one_reading(path)
    here = os.getpid()

    def killed(self: quality.Check, part: object) -> None:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(quality.Check, "_read_first", killed)
    shared.clear()
    assert checked_while_loading(path) == expected
    assert min(share.start for share in shared) < SIZE // 2  # the child's part, read again


def begun_children(
    checking: quality.Check,
) -> tuple[Callable[[str, Path], None], list[int]]:
    """An `early` for `load_bank` that begins `checking`, and the process ids of the children
    it began (filled in as they start)."""
    children: list[int] = []

    def begin(text: str, path: Path) -> None:
        checking.begin(text, path)
        assert checking.begun is not None and checking.begun.child is not None
        children.append(checking.begun.child[0])

    return begin, children


def test_a_wrong_bank_ends_the_early_child(tmp_path: Path, shared: list[range]):
    path = written(tmp_path, synthetic_text(SIZE) + "  - id: n0\n")  # a last card, wrong
    checking = quality.Check()
    begin, children = begun_children(checking)
    with pytest.raises(BankError), checking:
        load_bank(path, begin)
    assert children
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(children[0], 0)


def test_a_short_bank_or_one_core_begins_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = written(tmp_path, synthetic_text(SIZE))
    for limit, cores in ((10**9, 2), (0, 1)):
        monkeypatch.setattr(quality, "EARLY_CHARS", limit)
        monkeypatch.setattr(quality, "cores", lambda cores=cores: cores)
        with quality.Check() as checking:
            load_bank(path, checking.begin)
            assert checking.begun is None


def test_too_little_free_memory_begins_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The child would hold its part of the bank too: where memory would run short, the check
    is slower, not killed."""
    path = written(tmp_path, synthetic_text(SIZE))
    monkeypatch.setattr(quality, "EARLY_CHARS", 0)
    monkeypatch.setattr(quality, "cores", lambda: 2)
    monkeypatch.setattr(quality, "free_memory", lambda: len(path.read_text()) * 2)
    with quality.Check() as checking:
        load_bank(path, checking.begin)
        assert checking.begun is None


def test_the_first_notes_are_those_of_the_cards_starting_before_the_line():
    text = synthetic_text(40)
    lines = text.splitlines()
    stop, early = (lines.index(f"  - id: n{card}") for card in (10, 3))
    first = first_notes(text, Path("bank.yaml"), stop)
    assert first is not None
    assert [note.id for note in first.notes] == [f"n{index}" for index in range(10)]
    assert list(first.sources) == ["s"]
    wrong = text.replace("  - id: n3\n", "  - id: n3\n    bogus: 1\n")
    assert first_notes(wrong, Path("bank.yaml"), stop) is None  # something in the part is wrong
    assert first_notes(wrong, Path("bank.yaml"), early) is not None  # ... but not before it


def test_trainer_check_begins_the_rules_while_the_bank_loads(
    tmp_path: Path, shared: list[range], capsys: pytest.CaptureFixture[str]
):
    path = written(tmp_path, synthetic_text(SIZE))
    expected = [warning.render(str(path)) for warning in one_reading(path)]
    shared.clear()
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().err.splitlines()[:-1] == expected
    assert min(share.start for share in shared) > 0


def test_an_error_while_the_rest_is_read_ends_the_early_child(
    tmp_path: Path, shared: list[range], monkeypatch: pytest.MonkeyPatch
):
    """Reading the rest may fail (a bug, Ctrl-C): leaving the `with` block still stops the
    child and reaps it."""
    path = written(tmp_path, synthetic_text(SIZE))
    checking = quality.Check()
    begin, children = begun_children(checking)

    def interrupted(*_: object) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr(quality, "forked_map", interrupted)
    with pytest.raises(KeyboardInterrupt), checking:
        checking.warnings(load_bank(path, begin))
    assert children
    with pytest.raises(ChildProcessError):  # stopped and reaped
        os.waitpid(children[0], os.WNOHANG)


@pytest.mark.parametrize("card_line", ["the stop line", "the line before it"])
def test_the_child_and_this_process_cut_the_notes_at_the_same_card(
    tmp_path: Path, shared: list[range], monkeypatch: pytest.MonkeyPatch, card_line: str
):
    """A card starting on the line before the child's stop line is the child's; one starting on
    it is not: the child's reading is used, and the notes after it are read here."""
    text = synthetic_text(SIZE)
    path = written(tmp_path, text)
    card = text.splitlines().index("  - id: n200")
    stop = card if card_line == "the stop line" else card + 1
    monkeypatch.setattr(quality, "EARLY_PART", (stop + 0.5) / text.count("\n"))
    monkeypatch.setattr(quality, "PART_NOTES", SIZE)  # the rest read here, in one share
    expected = one_reading(path)
    shared.clear()
    assert checked_while_loading(path) == expected
    assert shared == [range(200 if stop == card else 201, SIZE)]
