"""Card-quality warnings: each rule trips on a small bank made to break it, and stays quiet on
one that keeps it; a card's `quiet:` silences a rule only with a reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.store_support import run_trainer as trainer
from tests.store_support import write
from tests.test_validate import problems
from trainer import quality
from trainer.bank import parse_bank
from trainer.quality.text import IGNORECASE_EXTRAS, key_words

HEADER = """\
deck:
  name: Quality
sources:
  hindu:
    title: India-Canada Security Cooperation
    publisher: NEXT IAS
  portal:
    title: Work Plan 2026
    publisher: Kamaraj IAS Academy
cards:
"""


def basic(card_id: str, front: str, back: str, extra: str = "") -> str:
    card = (
        f"  - id: {card_id}\n    type: basic\n    tags: [context]\n    source: hindu\n"
        f'    front: "{front}"\n    back: "{back}"\n'
    )
    return card + (f"    {extra}\n" if extra else "")


def mcq(card_id: str, question: str, choices: list[str], answer: str, extra: str = "") -> str:
    listed = "".join(f'      - "{choice}"\n' for choice in choices)
    card = (
        f"  - id: {card_id}\n    type: mcq\n    tags: [context]\n    source: hindu\n"
        f'    question: "{question}"\n    choices:\n{listed}    answer: {answer}\n'
    )
    return card + (f"    {extra}\n" if extra else "")


def cloze(card_id: str, text: str) -> str:
    return (
        f"  - id: {card_id}\n    type: cloze\n    tags: [component]\n    source: hindu\n"
        f'    text: "{text}"\n'
    )


def warnings(*cards: str) -> list[str]:
    """The bank's warnings as 'LINE:COL: message [rule]' strings."""
    bank = parse_bank(HEADER + "".join(cards), Path("bank.yaml"))
    return [w.render("bank.yaml").removeprefix("bank.yaml:") for w in quality.check(bank)]


def rules(*cards: str) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in warnings(*cards)]


SHORT = basic("venue", "In which city were the talks held?", "Ottawa")


def test_a_clean_bank_has_no_warnings():
    assert warnings(SHORT, cloze("areas", "Areas: {{c1::cyber}} and {{c2::narcotics}}.")) == []


# -- long-answer ------------------------------------------------------------------------------

LONG_BACK = " ".join(["word"] * quality.LONG_ANSWER_WORDS)


def test_an_answer_of_18_words_is_too_long_and_the_warning_points_at_it():
    lines = warnings(basic("wordy", "What did the plan say?", LONG_BACK))
    assert lines == [
        "16:11: warning: card 'wordy': the answer has 18 words; keep one fact per card "
        "(under 18 words), or split it [long-answer]"
    ]


def test_an_answer_of_17_words_is_not_too_long():
    back = " ".join(["word"] * (quality.LONG_ANSWER_WORDS - 1))
    assert "long-answer" not in rules(basic("wordy", "What did the plan say?", back))


def test_a_long_reverse_back_is_too_long_too():
    card = basic("wordy", "Ajit Doval", LONG_BACK).replace("type: basic", "type: reverse")
    assert rules(card) == ["long-answer"]


# -- list-answer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "back",
    [
        "Propaganda, fundraising and intimidation",
        "Drugs; organised crime; extremist financing; document fraud",
        "G20, Commonwealth (since 1947), UN or International Solar Alliance.",
    ],
)
def test_a_list_shaped_answer_suggests_a_cloze(back):
    lines = warnings(basic("listy", "What does the plan cover?", back))
    assert len(lines) == 1
    assert "make it a cloze with one deletion per item [list-answer]" in lines[0]


@pytest.mark.parametrize(
    "back",
    [
        "Legal and logistical loopholes between India and Canada",  # 'and' inside one item
        "Democratic values and the Commonwealth",  # two items
        "A point of contact, so agencies can talk directly and act quickly",  # a sentence
        "USD 8.55 billion",
    ],
)
def test_a_sentence_or_a_pair_is_not_a_list(back):
    assert rules(basic("plain", "What does the plan cover?", back)) == []


# -- long-option ------------------------------------------------------------------------------


def test_an_option_much_longer_than_the_others_is_flagged_at_that_option():
    card = mcq(
        "lengths",
        "Where were the talks held?",
        ["Delhi", "Ottawa, the Canadian capital, on the seventh of February", "Toronto", "Goa"],
        "b",
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert lines[0].startswith("18:9: warning: card 'lengths': option b is much longer")
    assert lines[0].endswith("[long-option]")


def test_options_of_similar_length_are_not_flagged():
    card = mcq("lengths", "Which year?", ["1998", "2008", "2013", "2020 (Covid year)"], "b")
    assert rules(card) == []


# -- stem-echo --------------------------------------------------------------------------------


def test_a_key_word_only_the_right_option_shares_with_the_stem_is_a_giveaway():
    card = mcq(
        "echo",
        "Which body coordinates India's response to cyber threats?",
        ["National Cyber Coordination Centre", "ANTRIX", "NCPOR", "Ministry of External Affairs"],
        "a",
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert "only the right option repeats the question's 'cyber'" in lines[0]
    assert lines[0].startswith("17:9: warning: card 'echo': only the right option repeats")
    assert lines[0].endswith("[stem-echo]")


def test_a_key_word_a_distractor_shares_too_is_no_giveaway():
    card = mcq(
        "echo",
        "Which body coordinates India's response to cyber threats?",
        ["National Cyber Coordination Centre", "Cyber Appellate Tribunal", "NCPOR", "ANTRIX"],
        "a",
    )
    assert rules(card) == []


def test_a_key_word_only_a_wrong_option_shares_is_not_this_rule():
    card = mcq("echo", "Which city hosted the talks?", ["Ottawa", "Host city Delhi"], "a")
    assert rules(card) == []


# -- hedged-option ----------------------------------------------------------------------------


def test_a_right_option_that_alone_is_hedged_is_a_giveaway():
    card = mcq(
        "hedge",
        "What will liaison officers do about extradition?",
        ["End every delay", "Remove the courts", "Possibly speed up paperwork", "Change the law"],
        "c",
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert lines[0].startswith("19:9: warning: card 'hedge': only the right option is hedged")
    assert lines[0].endswith("[hedged-option]")


def test_a_hedge_a_distractor_shares_or_a_hedged_distractor_is_no_giveaway():
    both = mcq("both", "What now?", ["May end delays", "Remove courts", "Possibly speed up"], "c")
    wrong = mcq("wrong", "What now?", ["May end delays", "Remove courts", "Speed up"], "c")
    assert rules(both, wrong) == []


# -- answer-skew ------------------------------------------------------------------------------


def _mcqs(letters: str) -> list[str]:
    return [
        mcq(f"q{index}", f"Question number {index}?", ["w", "x", "y", "z"], letter)
        for index, letter in enumerate(letters)
    ]


def test_answers_piled_on_one_letter_are_flagged_once_per_skewed_letter():
    lines = warnings(*_mcqs("bbbbbbbbbbbbaaaacccccc"))  # b 12, c 6, a 4, d 0: the old bank
    assert [line.split("warning: ")[1].split(" is right")[0] for line in lines] == [
        "card 'q0': answer 'b'",
        "card 'q0': answer 'd'",
    ]
    assert all(line.endswith("[answer-skew]") for line in lines)
    assert "a 4, b 12, c 6, d 0" in lines[0]


def test_evenly_spread_answers_are_not_flagged():
    assert rules(*_mcqs("abcdabcdabcdabcd")) == []


def test_a_few_multiple_choice_cards_say_nothing_about_skew():
    assert rules(*_mcqs("bbbbbbb")) == []


def test_a_quieted_card_is_left_out_of_the_tally():
    cards = _mcqs("abcdabcdabcd")
    skewing = [
        mcq(f"s{index}", f"Sorted years {index}?", ["w", "x", "y", "z"], "a", QUIET_SKEW)
        for index in range(6)
    ]
    assert rules(*cards, *skewing[:1]) == []
    assert rules(*cards, *[card.replace(QUIET_SKEW, "") for card in skewing]) != []
    assert rules(*cards, *skewing) == []


QUIET_SKEW = "quiet: {answer-skew: the options are years in order}"


# -- near-duplicate ---------------------------------------------------------------------------


def test_two_cards_on_the_same_fact_in_nearly_the_same_words_are_flagged_at_the_second():
    first = basic("nca-years", "When was the nuclear agreement signed?", "2010")
    second = mcq(
        "mcq-nca", "The nuclear agreement was signed in which year?", ["2008", "2010"], "b"
    )
    lines = warnings(first, second)
    assert len(lines) == 1
    assert lines[0].startswith(
        "17:9: warning: card 'mcq-nca': tests the same fact as card 'nca-years' (line 11)"
    )
    assert lines[0].endswith("[near-duplicate]")


def test_cards_on_different_facts_are_not_duplicates():
    first = basic("nca-years", "When was the nuclear agreement signed?", "2010")
    second = basic("nca-body", "Which body oversees the nuclear agreement?", "A Joint Committee")
    assert rules(first, second) == []


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("When was the nuclear agreement signed?", {"nuclear", "agreement", "signed"}),
        ("India-Canada anti-terror talks", {"india", "canada", "anti", "terror", "talk"}),
        ("Of the two, which one?", set()),
        ("The 2010 accords' text", {"2010", "accord", "text"}),
    ],
)
def test_a_texts_key_words_are_its_pieces_key_words_together(text, keys):
    """Most pieces of text have one key word, read as one string; a piece with several
    (`India-Canada`) or none (`the`) reads the same."""
    assert key_words(text) == keys


# -- source-question --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "front",
    [
        "Which source says the officers go to the capitals?",
        "Do the sources agree on the number of areas?",
        "How do NEXT IAS and Kamaraj IAS differ on the threats?",
        "What outlet first reported the talks?",
    ],
)
def test_a_question_about_the_sources_is_flagged(front):
    lines = [line for line in warnings(basic("who-said", front, "Ottawa")) if "[source-" in line]
    assert len(lines) == 1
    assert lines[0].startswith("15:12: warning: card 'who-said': asks about the sources")
    assert lines[0].endswith("[source-question]")


@pytest.mark.parametrize(
    ("front", "flagged"),
    [
        ("Which Article of the Constitution abolishes untouchability?", False),
        ("Which article of the work plan covers extradition?", False),
        ("Which article says untouchability is abolished?", True),  # a news article
    ],
)
def test_an_article_of_a_law_or_an_agreement_is_a_fact_not_a_source(front, flagged):
    """Polity asks which Article of the Constitution says what: a fact to learn."""
    assert ("source-question" in rules(basic("polity", front, "Article 17"))) == flagged


def test_a_multiple_choice_answered_by_a_publisher_is_flagged():
    card = mcq(
        "who-said", "Who named the capitals?", ["NEXT IAS", "Kamaraj IAS Academy", "MEA"], "a"
    )
    assert rules(card) == ["source-question"]


def test_a_fact_attributed_to_its_source_is_no_question_about_the_sources():
    card = basic(
        "attributed", "According to NEXT IAS, where will the officers be posted?", "Ottawa"
    )
    assert "source-question" not in rules(card)  # publisher-in-prompt's business


# -- quiet ------------------------------------------------------------------------------------


def test_quiet_silences_the_named_rule_on_that_card_only():
    quiet = "quiet: {long-answer: the definition is quoted whole}"
    assert rules(basic("wordy", "What did the plan say?", LONG_BACK, quiet)) == []
    assert rules(basic("other", "What did the plan say?", LONG_BACK)) == ["long-answer"]


def test_quiet_silences_only_the_rule_it_names():
    quiet = "quiet: {list-answer: kept as one list on purpose}"
    assert rules(basic("wordy", "What did the plan say?", LONG_BACK, quiet)) == ["long-answer"]


def test_quiet_needs_a_known_rule_and_a_reason():
    bad_rule = basic("a", "Where?", "Ottawa", "quiet: {long-answers: too long}")
    no_reason = basic("b", "Where?", "Ottawa", "quiet: {long-answer: }")
    not_mapping = basic("c", "Where?", "Ottawa", "quiet: long-answer")
    assert problems(HEADER + bad_rule + no_reason + not_mapping) == [
        "17:13: card 'a': 'quiet' names no card-quality rule 'long-answers' "
        "(did you mean 'long-answer'?)",
        "24:26: card 'b': the reason for quieting 'long-answer' must not be empty",
        "31:12: card 'c': 'quiet' must be a mapping of fields, not text",
    ]


# -- the command line -------------------------------------------------------------------------


def test_check_prints_warnings_compiler_style_and_still_exits_0(tmp_path):
    bank = write(tmp_path / "cards.yaml", HEADER + basic("wordy", "What?", LONG_BACK))
    result = trainer("check", str(bank))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{bank}: OK, 1 note (")
    assert result.stderr.splitlines() == [
        f"{bank}:16:11: warning: card 'wordy': the answer has 18 words; keep one fact per card "
        "(under 18 words), or split it [long-answer]",
        "1 warning",
    ]


def test_check_strict_fails_on_warnings_and_passes_without_them(tmp_path):
    bank = write(tmp_path / "cards.yaml", HEADER + basic("wordy", "What?", LONG_BACK))
    failed = trainer("check", "--strict", str(bank))
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert failed.stderr.splitlines()[-1] == "1 warning (--strict: failing)"
    write(bank, HEADER + SHORT)
    passed = trainer("check", "--strict", str(bank))
    assert passed.returncode == 0, passed.stderr
    assert passed.stderr == ""


def test_the_case_insensitive_hints_pass_exactly_the_letters_lower_casing_misses() -> None:
    """A hint is a lower-cased word a text must hold for a case-insensitive pattern to be run
    on it. The characters that such a pattern matches to an ASCII letter but `str.lower` does
    not turn into that letter alone must pass anyway, and nothing else: a capital K (once in
    the set) sent every text naming Kananaskis or Khalistan through the patterns."""
    missed = {
        char
        for char in map(chr, range(0x80, 0x10000))
        if re.fullmatch("[a-z]", char, re.IGNORECASE) and not re.fullmatch("[a-z]", char.lower())
    }
    assert missed == IGNORECASE_EXTRAS
    assert not any(char.isascii() for char in IGNORECASE_EXTRAS)


@pytest.mark.parametrize("which", ["WH\u0130CH", "wh\u0131ch", "Which"])
def test_a_source_question_is_found_in_any_case(which: str) -> None:
    found = warnings(basic("asks", f"{which} source dated the work plan?", "February 2026"))
    assert any("[source-question]" in warning for warning in found), found
