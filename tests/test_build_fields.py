"""Bank text becomes Anki field HTML that shows as itself; cloze syntax survives escaping."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from trainer import cloze
from trainer.anki.notes import cloze_to_html, render, source_html, text_to_html, user_tags
from trainer.model import Citation
from trainer.notetypes.basic import BasicNote
from trainer.notetypes.cloze import ClozeNote
from trainer.notetypes.mcq import McqNote
from trainer.notetypes.reverse import ReverseNote

COMMON = {"tags": ("name", "extra-tag"), "sources": ("src",)}
CITATION = "Pub, \u201cA & B\u201d, 1 Mar 2026"
CITED = (Citation(CITATION),)

plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r{}"),
    max_size=40,
)


def test_markup_characters_are_escaped() -> None:
    assert text_to_html("<b>x</b> & [sound:a.mp3]") == (
        "&lt;b&gt;x&lt;/b&gt; &amp; &#91;sound:a.mp3&#93;"
    )


def test_backslashes_are_escaped_so_math_delimiters_are_not_math() -> None:
    assert text_to_html(r"\(x\) \[y\]") == "&#92;(x&#92;) &#92;&#91;y&#92;&#93;"


def test_line_breaks_become_br_and_unicode_stays() -> None:
    assert text_to_html("Ünï — ✓\nnext\nlast") == "Ünï — ✓<br>next<br>last"


@given(plain_text)
def test_escaped_text_reads_back_as_the_original(text: str) -> None:
    escaped = text_to_html(text)
    assert not re.search(r"<(?!br>)|[\[\]\\]", escaped)
    assert html.unescape(escaped.replace("<br>", "\n")) == text


def test_cloze_syntax_survives_and_its_text_is_escaped() -> None:
    text = "{{c1::<Doval>::who & why?}} met {{c2::[Drouin]}} & <b>"
    assert cloze_to_html(text) == (
        "{{c1::&lt;Doval&gt;::who &amp; why?}} met {{c2::&#91;Drouin&#93;}} &amp; &lt;b&gt;"
    )


@given(st.lists(st.one_of(plain_text, st.tuples(st.integers(1, 3), plain_text)), max_size=5))
def test_cloze_html_keeps_every_deletion(parts: list) -> None:
    text = "".join(
        f"{{{{c{part[0]}::x{part[1]}}}}}" if isinstance(part, tuple) else part for part in parts
    )
    rendered = cloze_to_html(text)
    assert cloze.numbers(rendered) == cloze.numbers(text)


def test_basic_and_reverse_fields() -> None:
    note = BasicNote(id="n", front="Q <1>", back="A & B", extra=None, **COMMON)
    rendered = render(note, CITED)
    assert rendered.kind == "basic"
    assert rendered.fields == (
        "Q &lt;1&gt;",
        "A &amp; B",
        "",
        "Pub, \u201cA &amp; B\u201d, 1 Mar 2026",
    )
    assert rendered.tags == ("name", "extra-tag")
    reverse = ReverseNote(id="n", front="Q", back="A", extra="E", **COMMON)
    assert render(reverse, CITED).kind == "reverse"
    assert render(reverse, CITED).fields[2] == "E"


def test_cloze_fields() -> None:
    note = ClozeNote(id="c", text="{{c1::a}} & b", extra="x<y", **COMMON)
    assert render(note, CITED).fields[:2] == ("{{c1::a}} &amp; b", "x&lt;y")


def test_mcq_fields_letter_the_choices_and_mark_the_answer() -> None:
    note = McqNote(id="m", question="Which?", choices=("<one>", "two"), answer=1, **COMMON)
    question, choices, answer, explanation, _ = render(note, CITED).fields
    assert question == "Which?"
    assert "a)</span> &lt;one&gt;" in choices
    assert "b)</span> two" in choices
    assert "\u2713" in answer
    assert "b)</span> two" in answer
    assert "one" not in answer
    assert explanation == ""


def test_content_hash_follows_content_only() -> None:
    note = BasicNote(id="n", front="Q", back="A", **COMMON)
    same = BasicNote(id="n", front="Q", back="A", line=99, **COMMON)
    edited = BasicNote(id="n", front="Q", back="A.", **COMMON)
    retagged = BasicNote(id="n", front="Q", back="A", tags=("date",), sources=("src",))
    hashes = [render(n, CITED).content_hash for n in (note, same, edited, retagged)]
    assert hashes[0] == hashes[1]
    assert len(set(hashes)) == 3
    assert render(note, (Citation("Other source"),)).content_hash != hashes[0]


def test_user_tags_are_the_ones_the_bank_neither_gives_nor_gave() -> None:
    in_anki = ("Name", "marked", "old-bank-tag", "mine")
    assert user_tags(in_anki, ("name", "date"), ("old-bank-tag",)) == ("marked", "mine")
    assert user_tags((), ("name",), ()) == ()


def test_a_citation_links_to_its_source_s_web_address() -> None:
    cited = (
        Citation("PIB, \u201cTalks\u201d", "https://pib.gov.in/Press?id=1&lang=en"),
        Citation("The Hindu, \u201c<b>\u201d", None),
    )
    assert source_html(cited) == (
        '<a href="https://pib.gov.in/Press?id=1&amp;lang=en">PIB, \u201cTalks\u201d</a>; '
        "The Hindu, \u201c&lt;b&gt;\u201d"
    )
    note = BasicNote(id="n", front="Q", back="A", **COMMON)
    assert render(note, cited).fields[-1] == source_html(cited)
    assert render(note, cited).content_hash != render(note, (Citation(cited[0].text),)).content_hash


def test_only_a_web_address_becomes_a_link_and_it_stays_inside_its_attribute() -> None:
    refused = [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org/a",
        "https://",
        "https:///path",
        "pib.gov.in/page",
        "https://exa mple.org/",
        "https://example.org/\x1b[31m",
        "https://example.org/\u202e",
        "",
    ]
    for url in refused:
        assert source_html((Citation("C", url),)) == "C", url
    linked = source_html((Citation("C", 'http://a.org/"onmouseover="x[sound:y]\\(z\\)'),))
    assert linked == (
        '<a href="http://a.org/&quot;onmouseover=&quot;x&#91;sound:y&#93;&#92;(z&#92;)">C</a>'
    )
