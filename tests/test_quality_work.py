"""The card-quality rules' work grows with the bank, never with its square (issue #23): counted,
not timed, so that the guard holds on any machine. A bank of SIZE notes and one of 10 x SIZE
are checked; the work (Python calls made, pairs of notes compared) may grow at most
GROWTH_BOUND times where the notes grew 10 times. A quadratic rule would grow it ~100 times:
the last test shows the guard catching one."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from trainer import quality
from trainer.bank import parse_bank
from trainer.copying import Sources
from trainer.model import Bank
from trainer.quality import duplicates

SIZE = 300
GROWTH_BOUND = 13.0
"""10 x the notes may cost at most this many times the work: linear work gives 10 (a little
less, as caches warm), n log n about 14 at these sizes, quadratic 100."""
COMMON_WORDS = tuple(f"common{letter}" for letter in "abcde")
"""Every note holds two of these: each is in far more notes than near-duplicate pairs on."""


def synthetic_bank(size: int, seed: int = 7) -> Bank:
    """`size` notes of the four types, each with two common words and words of a vocabulary
    that grows with the bank (each in a handful of notes), some notes near copies of others."""
    return parse_bank(synthetic_text(size, seed), Path("work.yaml"))


def synthetic_text(size: int, seed: int = 7) -> str:
    """The text of `synthetic_bank`."""
    rng = random.Random(seed)
    vocabulary = [f"word{index}" for index in range(size)]

    def words(count: int) -> str:
        picked = rng.sample(COMMON_WORDS, 2) + rng.sample(vocabulary, count)
        return " ".join(picked)

    cards = []
    for index in range(size):
        head = f"  - id: n{index}\n    tags: [context]\n    source: s\n"
        kind = index % 4
        if kind == 0:
            card = f'    type: basic\n    front: "{words(5)}?"\n    back: "{words(2)}"\n'
        elif kind == 1:
            card = f'    type: reverse\n    front: "{words(3)}"\n    back: "{words(4)}"\n'
        elif kind == 2:
            card = f'    type: cloze\n    text: "{words(4)} {{{{c1::{words(1)}}}}} {words(2)}"\n'
        else:
            choices = "".join(f'      - "{words(2)} {n}"\n' for n in range(4))
            card = f'    type: mcq\n    question: "{words(5)}?"\n    choices:\n{choices}'
            card += "    answer: b\n"
        cards.append(head + card)
    header = (
        "deck:\n  name: Work\nsources:\n  s:\n    title: Work Plan\n    publisher: Review Desk\n"
        "cards:\n"
    )
    return header + "".join(cards)


def calls_made(run: Callable[[], object]) -> int:
    """The Python and built-in function calls `run` makes: its work, on any machine."""
    calls = 0

    def count(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


@pytest.fixture(scope="module")
def banks() -> tuple[Bank, Bank]:
    return synthetic_bank(SIZE), synthetic_bank(10 * SIZE)


def compared(bank: Bank, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many pairs of notes near-duplicate detection compares on `bank`."""
    pairs = 0
    similarity = duplicates.similarity

    def counted(a: set[str], b: set[str]) -> float:
        nonlocal pairs
        pairs += 1
        return similarity(a, b)

    monkeypatch.setattr(duplicates, "similarity", counted)
    quality.check(bank)
    return pairs


def test_each_note_is_read_once(banks: tuple[Bank, Bank], monkeypatch: pytest.MonkeyPatch):
    read = []
    analyse = quality.analyse
    monkeypatch.setattr(quality, "analyse", lambda note: read.append(note.id) or analyse(note))
    for bank in banks:
        read.clear()
        quality.check(bank)
        assert sorted(read) == sorted(note.id for note in bank.notes)


def test_the_rules_work_grows_with_the_bank_not_its_square(banks: tuple[Bank, Bank]):
    small, large = (calls_made(lambda bank=bank: quality.check(bank)) for bank in banks)
    assert large / small <= GROWTH_BOUND, (small, large)


def test_near_duplicates_compare_pairs_in_proportion_to_the_bank(
    banks: tuple[Bank, Bank], monkeypatch: pytest.MonkeyPatch
):
    small, large = (compared(bank, monkeypatch) for bank in banks)
    assert small >= SIZE  # rare words do pair notes: the count is not trivially zero
    assert large / small <= GROWTH_BOUND, (small, large)


def test_the_guard_catches_a_quadratic_near_duplicate_search(monkeypatch: pytest.MonkeyPatch):
    """Pairing notes on every shared word (common ones too) compares every pair: the bound
    above then fails. Counted as the candidate pairs (each is compared once), on a third of the
    guard's sizes, so as not to make millions of pairs."""
    monkeypatch.setattr(duplicates, "COMMON_WORD_NOTES", sys.maxsize)
    small, large = (len(candidates(synthetic_bank(size))) for size in (SIZE // 3, SIZE * 10 // 3))
    assert large / small > 5 * GROWTH_BOUND, (small, large)


def candidates(bank: Bank) -> list[tuple[int, int]]:
    facts = [quality.analyse(note).fact for note in bank.notes]
    return duplicates.candidates(bank.notes, facts)


@pytest.mark.parametrize("parts", [2, 3])
def test_notes_read_in_shares_on_several_cores_give_the_same_warnings(parts: int):
    """Shares read in forked children (`trainer.forking`), then merged, warn exactly as one
    reading does: quiet cards, answer skew, near-duplicates across shares and text copied from
    the articles included."""
    bank = synthetic_bank(SIZE)
    copies = [
        replace(bank.notes[0], id="copy"),  # the first share's note, copied into the last
        replace(bank.notes[4], id="quiet copy", quiet={"near-duplicate": "a reason"}),
    ]
    bank = replace(bank, notes=[*bank.notes, *copies])
    copied = [bank.notes[2], bank.notes[SIZE - 2]]  # an article repeats a cloze of each end
    texts = (re.sub(r"\{\{c1::(.*?)\}\}", r"\1", note.text) for note in copied)  # type: ignore[attr-defined]
    article = " ".join(f"{text}." for text in texts)
    sources = Sources.of([("article.txt", article)])
    alone = quality.check(bank, sources, parts=1)
    duplicates = [warning.note_id for warning in alone if warning.rule == "near-duplicate"]
    assert duplicates == ["copy"]
    assert "answer-skew" in {warning.rule for warning in alone}
    copies_found = {warning.note_id for warning in alone if warning.rule == "copied-run"}
    assert copies_found == {note.id for note in copied}
    assert quality.check(bank, sources, parts=parts) == alone


def test_a_large_bank_is_read_on_every_core(monkeypatch: pytest.MonkeyPatch):
    shares = []
    forked_map = quality.forked_map
    monkeypatch.setattr(quality, "cores", lambda: 2)
    monkeypatch.setattr(quality, "PART_NOTES", SIZE // 2)
    monkeypatch.setattr(
        quality, "forked_map", lambda work, items: shares.extend(items) or forked_map(work, items)
    )
    quality.check(synthetic_bank(SIZE))
    assert shares == [range(0, SIZE // 2), range(SIZE // 2, SIZE)]
