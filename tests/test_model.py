"""Notes expand into review items with stable ids and Anki card ordinals."""

from __future__ import annotations

from pathlib import Path

from trainer.bank import parse_bank
from trainer.model import expand, slugify
from trainer.notetypes.basic import BasicNote
from trainer.notetypes.cloze import ClozeNote
from trainer.notetypes.mcq import McqNote
from trainer.notetypes.reverse import ReverseNote

COMMON = {"tags": ("date",), "sources": ("src",)}


def ids_and_ords(note):
    return [(item.id, item.ord) for item in expand(note)]


def test_basic_and_mcq_have_one_item_with_the_note_id():
    basic = BasicNote(id="talks", front="Q", back="A", **COMMON)
    mcq = McqNote(id="quiz", question="Q", choices=("x", "y"), answer=1, **COMMON)
    assert ids_and_ords(basic) == [("talks", 0)]
    assert ids_and_ords(mcq) == [("quiz", 0)]
    assert mcq.answer_letter == "b"


def test_reverse_has_two_items_and_keeps_the_forward_id():
    note = ReverseNote(id="doval", front="Ajit Doval", back="NSA", **COMMON)
    assert ids_and_ords(note) == [("doval", 0), ("doval:reverse", 1)]
    assert [item.is_reverse for item in expand(note)] == [False, True]


def test_cloze_has_one_item_per_distinct_number_in_order():
    note = ClozeNote(id="areas", text="{{c3::a}} {{c1::b}} {{c3::c::hint}} {{c10::d}}", **COMMON)
    assert ids_and_ords(note) == [("areas:c1", 0), ("areas:c3", 2), ("areas:c10", 9)]
    assert [item.cloze_number for item in expand(note)] == [1, 3, 10]


def test_item_ids_do_not_depend_on_text():
    before = ReverseNote(id="doval", front="Ajit Doval", back="NSA", **COMMON)
    after = ReverseNote(id="doval", front="Ajit Doval (NSA)", back="India's NSA", **COMMON)
    assert ids_and_ords(before) == ids_and_ords(after)


def test_bank_items_are_in_bank_order(tmp_path: Path):
    text = """\
deck: {name: "India–Canada Work Plan 2026"}
sources: {s: {title: T, publisher: P}}
cards:
  - {id: one, type: reverse, tags: [name], source: s, front: F, back: B}
  - {id: two, type: cloze, tags: [component], source: s, text: "{{c2::x}} {{c1::y}}"}
  - {id: three, type: basic, tags: [date], source: s, front: F, back: B}
"""
    bank = parse_bank(text, tmp_path / "cards.yaml")
    assert [item.id for item in bank.items] == [
        "one",
        "one:reverse",
        "two:c1",
        "two:c2",
        "three",
    ]
    assert bank.deck.slug == "india-canada-work-plan-2026"
    assert bank.notes[0].category == "name"
    assert bank.citation(bank.notes[0]) == "P, \u201cT\u201d"


def test_slugify_is_ascii_and_never_empty():
    assert slugify("UPSC: Current Affairs — Feb 2026!") == "upsc-current-affairs-feb-2026"
    assert slugify("भारत") == "deck"
