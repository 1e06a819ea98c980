"""The bank's YAML composer: text only, located, bounded, and safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_validate import VALID, problems
from trainer.bank import parse_bank
from trainer.yamltree import MAX_DEPTH, NULL_TAG, compose


def test_nodes_keep_positions_and_text():
    root = compose("a: 1947\nb: [yes, '', ~]\n")
    (key_a, value_a), (_, value_b) = root.value
    assert (key_a.value, value_a.value, value_a.tag != NULL_TAG) == ("a", "1947", True)
    assert (value_a.start_mark.line, value_a.start_mark.column) == (0, 3)
    assert [node.tag == NULL_TAG for node in value_b.value] == [False, False, True]


def test_empty_document_is_none():
    assert compose("") is None
    assert compose("# nothing\n") is None


def test_aliases_are_refused_where_they_are_used():
    text = VALID.replace("source: [hindu]", "source: &s [hindu]").replace(
        "    source: hindu\n    text:", "    source: *s\n    text:"
    )
    assert problems(text) == [
        "24:13: aliases ('*s') are not supported in a card bank",
    ]


def test_billion_laughs_is_refused_at_once():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 40)]
    (found,) = problems("\n".join(lines))
    assert found.startswith("2:10: aliases ('*a0')")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused_without_crashing(depth):
    (found,) = problems("cards: " + "[" * depth + "]" * depth)
    assert found == f"1:{8 + MAX_DEPTH - 1}: nesting deeper than {MAX_DEPTH} levels"


def test_a_second_document_is_refused():
    (found,) = problems(VALID + "---\nmore: stuff\n")
    assert found.startswith("33:1: a bank is one YAML document")


def test_tags_construct_nothing(tmp_path: Path):
    marker = tmp_path / "pwned"
    text = VALID.replace(
        "back: 7 February 2026",
        f"back: !!python/object/apply:os.system ['touch {marker}']",
    )
    (found,) = problems(text)
    assert "'back' must be text, not a list" in found
    bank = parse_bank(
        VALID.replace("back: 7 February 2026", "back: !!python/name:os.system x"), Path("b")
    )
    assert bank.notes[0].back == "x"
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    ["[" * 5000, "a:\n" + "".join(" " * i + "a:\n" for i in range(1, 3000))],
    ids=["flow", "block"],
)
def test_nesting_beyond_libyamls_own_limit_gets_our_message_at_our_depth(text):
    """libyaml >= 0.2.5 (PyYAML 6.0.4) stops at 1000 levels before our check sees level 65;
    the user still sees our message, where level 65 opens, on every PyYAML version."""
    (found,) = problems(text)
    line = 1 if text.startswith("[") else MAX_DEPTH + 1
    assert found == f"{line}:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels"


def test_composing_can_stop_before_the_items_starting_on_a_line():
    """The start of a bank, for work that begins before the whole is parsed: the items of a
    top-level value before the line, whole, and nothing after them."""
    text = "a: x\ncards:\n  - id: one\n    n: [1,\n      2]\n  - id: two\n  - id: three\nb: y\n"
    for stop in (3, 5):  # inside the first item, on the second's first line
        root = compose(text, stop)
        top = {key.value: value for key, value in root.value}
        assert list(top) == ["a", "cards"]
        assert [item.value[0][1].value for item in top["cards"].value] == ["one"]
    whole = {key.value: value for key, value in compose(text, 99).value}
    assert list(whole) == ["a", "cards", "b"]
    assert len(whole["cards"].value) == 3
