"""Cloze parsing: deletions, hints, and the text around them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.cloze import ClozeSyntaxError, Deletion, asked, numbers, parse


def test_parse_splits_text_and_deletions():
    assert parse("In {{c1::1947}}, {{c2::India::country}} & [x] {single}") == (
        "In ",
        Deletion(1, "1947"),
        ", ",
        Deletion(2, "India", "country"),
        " & [x] {single}",
    )


def test_answer_ends_at_the_first_separator():
    assert parse("{{c1::a::b::c}}") == (Deletion(1, "a", "b::c"),)


def test_numbers_are_distinct_and_sorted():
    assert numbers("{{c2::a}} {{c1::b}} {{c2::c}}") == (1, 2)


def test_error_offset_points_at_the_problem():
    with pytest.raises(ClozeSyntaxError) as caught:
        parse("ok {{c1::x}} then {{broken")
    assert caught.value.offset == 18


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="ab {}:c1[]", max_size=6).filter(
                lambda t: "{{" not in t and "}}" not in t
            ),
            st.tuples(st.integers(1, 12), st.text(alphabet="xy :{}", min_size=1, max_size=5)),
        ),
        max_size=8,
    )
)
def test_numbers_agrees_with_parse_on_valid_texts(parts):
    text = "".join(
        part if isinstance(part, str) else f"{{{{c{part[0]}::{part[1]}}}}}" for part in parts
    )
    try:
        segments = parse(text)
    except ClozeSyntaxError:
        return  # numbers() is only asked of valid texts
    expected = sorted({s.number for s in segments if isinstance(s, Deletion)})
    assert numbers(text) == tuple(expected)


def test_asked_shows_the_gap_or_hint_and_the_other_deletions_plain() -> None:
    text = "Plan: {{c1::security}}, {{c1::policing}} and {{c2::cyber::domain}}."
    assert asked(text, 1) == "Plan: [...], [...] and cyber."
    assert asked(text, 2) == "Plan: security, policing and [domain]."
