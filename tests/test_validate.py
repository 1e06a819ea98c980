"""Every validation rule reports a located problem, and all problems are reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.bank import parse_bank
from trainer.errors import BankError

VALID = """\
deck:
  name: Test Deck
sources:
  hindu:
    title: India-Canada Security Cooperation
    publisher: The Hindu
    date: 2026-02-09
cards:
  - id: talks-date
    type: basic
    tags: [date, diplomacy]
    source: hindu
    front: When were the talks held?
    back: 7 February 2026
  - id: doval
    type: reverse
    tags: [name]
    source: [hindu]
    front: Ajit Doval
    back: India's National Security Advisor
  - id: four-areas
    type: cloze
    tags: [component]
    source: hindu
    text: Areas include {{c1::cyber}} and {{c2::narcotics::drugs}}.
  - id: practice
    type: mcq
    tags: [context]
    source: hindu
    question: Which city hosted the talks?
    choices: [Delhi, Ottawa, Toronto]
    answer: b
"""


def problems(text: str) -> list[str]:
    """The problems of a bank text as 'LINE:COL: message' strings (file name dropped)."""
    with pytest.raises(BankError) as caught:
        parse_bank(text, Path("bank.yaml"))
    for problem in caught.value.problems:
        assert problem.file == "bank.yaml"
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def edit(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_valid_bank_parses_into_typed_notes():
    bank = parse_bank(VALID, Path("bank.yaml"))
    assert [note.type for note in bank.notes] == ["basic", "reverse", "cloze", "mcq"]
    assert bank.deck.name == "Test Deck"
    assert bank.sources["hindu"].date == "2026-02-09"  # YAML dates stay text
    mcq = bank.notes[3]
    assert mcq.choices == ("Delhi", "Ottawa", "Toronto")
    assert mcq.answer == 1
    assert [note.line for note in bank.notes] == [9, 15, 21, 26]


def test_scalars_stay_text_whatever_yaml_would_resolve():
    bank = parse_bank(edit("back: 7 February 2026", "back: 1947"), Path("b.yaml"))
    assert bank.notes[0].back == "1947"
    bank = parse_bank(edit("back: 7 February 2026", "back: yes"), Path("b.yaml"))
    assert bank.notes[0].back == "yes"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: the bank is empty"),
        ("# only a comment\n", "1:1: the bank is empty"),
        ("- a\n- b\n", "1:1: the bank must be a mapping of fields, not a list"),
        ("just text\n", "1:1: the bank must be a mapping of fields, not text"),
    ],
)
def test_bank_that_is_not_a_mapping(text, expected):
    assert problems(text) == [expected]


def test_yaml_syntax_error_is_located():
    (found,) = problems(edit("    front: When were the talks held?", '    front: "unclosed'))
    assert found.startswith("13:12: YAML syntax error: ")  # at the opening quote


def test_tab_indentation_is_a_located_syntax_error():
    (found,) = problems(edit("    back: 7 February 2026", "\tback: 7 February 2026"))
    assert found.startswith("14:1: YAML syntax error: ")


def test_cards_must_be_a_list():
    text = VALID.split("cards:", maxsplit=1)[0] + "cards:\n  id: x\n"
    assert problems(text) == ["9:3: 'cards' must be a list of cards, not a mapping"]


def test_missing_top_level_sections():
    assert problems("deck:\n  name: X\n") == [
        "1:1: the bank: missing required field 'cards'",
        "1:1: the bank: missing required field 'sources'",
    ]


def test_unknown_field_suggests_the_right_one():
    assert (
        problems(edit("    front: When", "    fornt: When"))
        == [
            "13:5: card 'talks-date': unknown field 'fornt' (did you mean 'front'?)",
            "9:5: card 'talks-date': missing required field 'front'",
        ][::-1]
    )


def test_field_of_another_type_is_named_as_such():
    text = edit("    back: 7 February 2026", "    back: 7 February 2026\n    choices: [a, b]")
    assert problems(text) == [
        "15:5: card 'talks-date': field 'choices' belongs to mcq cards, not this type"
    ]


def test_unknown_top_level_and_deck_fields():
    text = edit("deck:\n  name: Test Deck", "deck:\n  name: Test Deck\n  nmae: x") + "card: []\n"
    assert problems(text) == [
        "3:3: deck: unknown field 'nmae' (did you mean 'name'?)",
        "34:1: the bank: unknown field 'card' (did you mean 'cards'?)",
    ]


def test_duplicate_field_in_a_card():
    text = edit("    back: 7 February 2026", "    back: 7 February 2026\n    back: again")
    assert problems(text) == ["15:5: card 'talks-date': duplicate field 'back' (first on line 14)"]


@pytest.mark.parametrize("value", [" ", ' ""', " '   '", " ~"])
def test_empty_required_field(value):
    (found,) = problems(edit("back: 7 February 2026", f"back:{value}"))
    assert found.startswith("14:1")  # an empty plain value sits right after the colon
    assert found.endswith(": card 'talks-date': 'back' must not be empty")


def test_field_that_must_be_text():
    assert problems(edit("back: 7 February 2026", "back: [a, b]")) == [
        "14:11: card 'talks-date': 'back' must be text, not a list"
    ]


def test_duplicate_ids_point_at_the_second_card():
    text = edit("id: doval", "id: talks-date")
    assert problems(text) == ["15:5: card 'talks-date': duplicate id (first used on line 9)"]


@pytest.mark.parametrize("bad_id", ["Talks", "talks date", "talks--date", "-talks", "1talks"])
def test_ids_must_be_slugs(bad_id):
    (found,) = problems(edit("id: talks-date", f"id: '{bad_id}'"))
    assert found.startswith("9:9: card #1: id ")
    assert "is not a slug" in found


def test_missing_id_and_type():
    text = edit("  - id: talks-date\n    type: basic\n    tags", "  - tags")
    assert problems(text) == [
        "9:5: card #1: missing required field 'id'",
        "9:5: card #1: missing required field 'type'",
    ]


def test_unknown_type_suggests():
    assert problems(edit("type: basic", "type: basik")) == [
        "10:11: card 'talks-date': unknown type 'basik' (did you mean 'basic'?); "
        "expected one of basic, reverse, cloze, mcq"
    ]


@pytest.mark.parametrize(
    ("cloze_text", "message"),
    [
        ("No deletion here.", "cloze text has no deletion like '{{c1::answer}}'"),
        ("Areas {{c1::cyber.", "unclosed cloze deletion '{{c1::cyber.': missing '}}'"),
        ("Areas {{cyber}}.", "malformed cloze deletion '{{cyber}}.': expected '{{c1::...}}'"),
        ("Areas {{c1:cyber}}.", "malformed cloze deletion '{{c1:cyber}}.': expected"),
        ("Areas cyber}} here {{c1::x}}", "'}}' without an opening '{{'"),
        ("Areas {{c1::}}.", "empty cloze deletion '{{c1::}}.'"),
        ("Areas {{c0::cyber}}.", "cloze numbers start at 1"),
        ("Areas {{c1::a {{c2::b}} }}.", "nested cloze deletions are not supported"),
    ],
)
def test_malformed_cloze(cloze_text, message):
    (found,) = problems(
        edit(
            "text: Areas include {{c1::cyber}} and {{c2::narcotics::drugs}}.",
            f"text: '{cloze_text}'",
        )
    )
    assert found.startswith("25:11: card 'four-areas': ")
    assert message in found


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("[Ottawa]", "an mcq needs 2 to 6 choices, not 1"),
        ("[a, b, c, d, e, f, g]", "an mcq needs 2 to 6 choices, not 7"),
        ("Ottawa", "'choices' must be a list of 2-6"),
        ("[Delhi, Delhi, Ottawa]", "choice 'Delhi' is listed twice"),
    ],
)
def test_mcq_choices(choices, message):
    (found,) = problems(edit("choices: [Delhi, Ottawa, Toronto]", f"choices: {choices}"))
    assert found.startswith("31:")
    assert message in found


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("d", "answer 'd' is not one of the choices (a-c)"),
        ("g", "'answer' must be one letter a-f, not 'g'"),
        ("ab", "'answer' must be one letter a-f, not 'ab'"),
        ("2", "'answer' must be one letter a-f, not '2'"),
    ],
)
def test_mcq_answer_outside_choices(answer, message):
    assert problems(edit("answer: b", f"answer: {answer}")) == [
        f"32:13: card 'practice': {message}"
    ]


def test_mcq_answer_letter_is_case_insensitive():
    bank = parse_bank(edit("answer: b", "answer: B"), Path("b.yaml"))
    assert bank.notes[3].answer_letter == "b"


def test_undefined_source_key_suggests():
    assert problems(edit("source: [hindu]", "source: [hindoo]")) == [
        "18:14: card 'doval': source 'hindoo' is not defined under 'sources' "
        "(did you mean 'hindu'?)"
    ]


def test_source_needs_title_and_publisher():
    undefined = "source 'hindu' is not defined under 'sources'"
    assert problems(edit("    publisher: The Hindu\n", "")) == [
        "5:5: source 'hindu': missing required field 'publisher'",
        f"11:13: card 'talks-date': {undefined}",
        f"17:14: card 'doval': {undefined}",
        f"23:13: card 'four-areas': {undefined}",
        f"28:13: card 'practice': {undefined}",
    ]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("date", "'tags' must be a list, e.g. [date, cyber]"),
        ("[date, cyber security]", "tag 'cyber security' contains a space; use a hyphen"),
        ("[date, [x]]", "a tag must be text, not a list"),
        (
            "[cyber]",
            "needs exactly one category tag out of date, name, figure, component, "
            "context (it has none)",
        ),
        (
            "[date, figure]",
            "needs exactly one category tag out of date, name, figure, "
            "component, context (it has date, figure)",
        ),
        ("[date, date]", "duplicate tag 'date'"),
    ],
)
def test_tags(tags, message):
    (found,) = problems(edit("tags: [date, diplomacy]", f"tags: {tags}"))
    assert found.startswith("11:")
    assert message in found


def test_deck_settings_must_be_whole_numbers():
    text = edit("  name: Test Deck", "  name: Test Deck\n  new_per_day: ten\n  day_starts_at: 25")
    assert problems(text) == [
        "3:16: deck: 'new_per_day' must be a whole number 0-1000000, not 'ten'",
        "4:18: deck: 'day_starts_at' is an hour 0-23, not 25",
    ]


def test_every_problem_is_reported_at_once_in_file_order():
    text = edit("type: basic", "type: basik")
    text = edit("source: [hindu]", "source: [nope]", text)
    text = edit("answer: b", "answer: z", text)
    found = problems(text)
    assert [line.split(":")[0] for line in found] == ["10", "18", "32"]


def test_card_that_is_not_a_mapping():
    text = VALID + "  - just a string\n"
    assert problems(text) == ["33:5: card #5 must be a mapping of fields, not text"]


def test_deck_id_is_the_identity_when_given():
    unnamed = parse_bank(VALID, Path("cards.yaml")).deck
    assert (unnamed.id, unnamed.identity) == (None, "Test Deck")
    text = edit("  name: Test Deck", "  name: Renamed Deck\n  id: Test Deck")
    deck = parse_bank(text, Path("cards.yaml")).deck
    assert (deck.id, deck.name, deck.identity) == ("Test Deck", "Renamed Deck", "Test Deck")


@pytest.mark.parametrize(
    ("value", "message"),
    [("''", "3:7: deck: 'id' must not be empty"), ("[a, b]", "3:7: deck: 'id' must be text")],
)
def test_deck_id_must_be_non_empty_text(value, message):
    (found,) = problems(edit("  name: Test Deck", f"  name: Test Deck\n  id: {value}"))
    assert found.startswith(message)
