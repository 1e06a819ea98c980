"""trainer.tui.render: card text becomes rich Text literally, each card type natively."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from trainer.model import expand
from trainer.notetypes.basic import BasicNote
from trainer.notetypes.cloze import ClozeNote
from trainer.notetypes.mcq import McqNote
from trainer.notetypes.reverse import ReverseNote
from trainer.tui import render

COMMON = {"tags": ("date",), "sources": ("src",)}


def plain(text: Text) -> str:
    return text.plain


def styled_spans(text: Text, style: str) -> list[str]:
    return [text.plain[span.start : span.end] for span in text.spans if span.style == style]


def printed(text: Text) -> str:
    console = Console(width=60, record=True, color_system=None)
    console.print(text)
    return console.export_text()


@pytest.mark.parametrize(
    "literal",
    ["[red]x[/]", "<b>bold</b> &amp; &", "{{not a cloze}}", "[bold]", "नमस्ते 🇮🇳 日本", "\\[x]"],
)
def test_basic_text_is_literal(literal: str) -> None:
    item = expand(BasicNote(id="b", front=literal, back=literal + "!", **COMMON))[0]
    assert plain(render.question(item)) == literal
    assert printed(render.answer(item)).splitlines()[0] == literal
    assert plain(render.answer(item)) == f"{literal}\n\n{literal}!"


def test_reverse_asks_back_for_ord_1() -> None:
    forward, backward = expand(ReverseNote(id="r", front="Capital", back="Ottawa", **COMMON))
    assert plain(render.question(forward)) == "Capital"
    assert plain(render.question(backward)) == "Ottawa"
    assert styled_spans(render.answer(backward), render.STYLE_RIGHT) == ["Capital"]
    assert render.type_label(backward) == "reverse (back → front)"


def test_cloze_hides_every_deletion_of_the_asked_number_only() -> None:
    note = ClozeNote(
        id="c", text="{{c1::A}} and {{c2::B::letter}} and {{c1::[red]C}}", extra="x", **COMMON
    )
    first, second = expand(note)
    assert plain(render.question(first)) == "[...] and B and [...]"
    assert plain(render.question(second)) == "A and [letter] and [red]C"
    revealed = render.answer(first)
    assert plain(revealed) == "A and B and [red]C"
    assert styled_spans(revealed, render.STYLE_REVEALED) == ["A", "[red]C"]
    assert render.type_label(second) == "cloze c2"


def test_mcq_marks_right_and_wrong_and_suggests_a_grade() -> None:
    note = McqNote(id="m", question="Q?", choices=("<one>", "[two]", "three"), answer=1, **COMMON)
    item = expand(note)[0]
    assert plain(render.question(item)) == "Q?\n\n  a) <one>\n  b) [two]\n  c) three"
    wrong = render.answer(item, picked=0)
    assert "✗ a) <one>" in plain(wrong)
    assert "✓ b) [two]" in plain(wrong)
    assert plain(wrong).endswith("The answer is b).")
    assert plain(render.answer(item, picked=1)).endswith("Right!")
    assert render.suggested_grade(item, 1) == render.MCQ_GRADE_RIGHT
    assert render.suggested_grade(item, 2) == render.MCQ_GRADE_WRONG
    assert render.suggested_grade(item, None) is None


def test_notes_show_extra_and_citation_literally() -> None:
    item = expand(BasicNote(id="b", front="f", back="b", extra="[i]x[/i]", **COMMON))[0]
    assert plain(render.notes(item, 'Pub, "T" & co')) == '[i]x[/i]\nSource: Pub, "T" & co'
    mcq = expand(McqNote(id="m", question="Q", choices=("a", "b"), answer=0, **COMMON))[0]
    assert plain(render.notes(mcq, "S")) == "Source: S"


def test_long_text_wraps() -> None:
    item = expand(BasicNote(id="b", front="word " * 40, back="x", **COMMON))[0]
    assert len(printed(render.question(item)).splitlines()) > 3


@pytest.mark.parametrize(
    ("days", "shown"), [(1, "1d"), (6, "6d"), (89, "89d"), (120, "4mo"), (400, "1.1y")]
)
def test_interval(days: int, shown: str) -> None:
    assert render.interval(days) == shown


def test_grade_label_and_duration() -> None:
    assert render.grade_label(4, 6) == "4 Good · 6d"
    assert render.grade_label(0, None) == "0 Blackout"
    assert render.grade_label(4, 6, suggested=True) == "\u25b6 4 Good · 6d"
    assert render.duration(65) == "1:05"
    assert render.duration(3720) == "1h 02m"
    assert render.percent(None) == "–"
    assert render.percent(0.875) == "88%"
