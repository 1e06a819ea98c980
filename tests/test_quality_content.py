"""The card-quality rules from the content audit (issue #28): each trips on a card written to
break it and stays quiet on the same card fixed. None of these cards is from the shipped bank,
on which the rules were tried: they test the rule, not the bank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.store_support import run_trainer as trainer
from tests.store_support import write
from tests.test_quality import HEADER, basic, cloze, mcq, rules, warnings
from trainer import copying, quality
from trainer.bank import parse_bank
from trainer.copying import Sources

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO.parent / "shared" / "seeds"
"""The articles the shipped bank is written from, where tests/test_bank_content.py reads them;
a clone without them skips the test that needs them."""


def reverse(card_id: str, front: str, back: str) -> str:
    return basic(card_id, front, back).replace("type: basic", "type: reverse")


def statements(card_id: str, items: list[str], answer: str) -> str:
    """A numbered-statements multiple choice: which of 1-3 are correct?"""
    listed = "".join(f"      {number}. {item}\n" for number, item in enumerate(items, 1))
    choices = ["1 and 2 only", "1 and 3 only", "2 and 3 only", "1, 2 and 3"]
    return (
        f"  - id: {card_id}\n    type: mcq\n    tags: [context]\n    source: hindu\n"
        f"    question: |-\n      Consider these statements:\n{listed}"
        f"      Which of them are correct?\n    choices:\n"
        + "".join(f'      - "{choice}"\n' for choice in choices)
        + f"    answer: {answer}\n"
    )


# -- publisher-in-prompt ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "front",
    [
        "What does Kamaraj IAS say the officers will share?",
        "According to NEXT IAS, what will the officers share?",
        "As per the weekly report, what will the officers share?",
        "What will the officers share, as the Work Plan 2026 puts it?",  # a source's title
        "What will the officers share, the policy brief says?",
    ],
)
def test_a_question_naming_its_publisher_is_flagged(front):
    lines = warnings(basic("named", front, "Threat data"))
    assert len(lines) == 1
    assert lines[0].startswith("15:12: warning: card 'named': names its source (")
    assert lines[0].endswith("[publisher-in-prompt]")


def test_an_answer_or_a_cloze_naming_its_publisher_is_flagged_where_it_does():
    answer = basic("answer", "What will the officers share?", "Threat data, says NEXT IAS")
    text = cloze("text", "Per NEXT IAS, the plan covers {{c1::cyber}} and {{c2::narcotics}}.")
    lines = warnings(answer, text)
    assert [line.split(": warning")[0] for line in lines] == ["16:11", "21:11"]
    assert rules(answer, text) == ["publisher-in-prompt", "publisher-in-prompt"]


def test_the_fact_asked_without_its_publisher_is_fine():
    fixed = basic(
        "fixed", "What will the officers share?", "Threat data", 'extra: "Kamaraj IAS says so."'
    )
    assert rules(fixed) == []


def test_a_publisher_is_named_where_the_extra_says_the_sources_disagree():
    disputed = basic(
        "disputed",
        "According to NEXT IAS, where will the officers be posted?",
        "In each other's countries",
        'extra: "Sources differ: Kamaraj IAS says each other\'s territory."',
    )
    assert rules(disputed) == []
    undisputed = disputed.replace("Sources differ: ", "")
    assert rules(undisputed) == ["publisher-in-prompt"]


def test_a_one_word_publisher_and_a_brand_are_names(tmp_path):
    header = HEADER.replace("publisher: NEXT IAS", "publisher: Reuters").replace(
        "publisher: Kamaraj IAS Academy", "publisher: LearnPro Editorial (blog)"
    )
    cards = [
        basic("one", "What does Reuters say the officers share?", "Threat data"),
        basic("brand", "Where does LearnPro say the talks were held?", "Ottawa"),
    ]
    bank = parse_bank(header + "".join(cards), Path("bank.yaml"))
    assert [w.rule for w in quality.check(bank)] == ["publisher-in-prompt"] * 2


def test_a_common_word_that_starts_a_publisher_name_is_no_name():
    card = basic("next", "What happens in the next phase of the plan?", "Deployment")
    assert rules(card) == []


# -- yes-no -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "back", "at"),
    [
        ("Has the nuclear agreement come into force?", "Yes, in 2013", "15:12"),
        ("Did the talks end the rift?", "Not fully: a thaw", "15:12"),
        ("What happened to the rift?", "No: it persists, thawing", "16:11"),
    ],
)
def test_a_card_answered_by_yes_or_no_is_flagged(front, back, at):
    lines = warnings(basic("coin", front, back))
    assert len(lines) == 1
    assert lines[0].startswith(f"{at}: warning: card 'coin': is answered by yes or no")
    assert lines[0].endswith("[yes-no]")


@pytest.mark.parametrize(
    ("front", "back"),
    [
        ("In which year did the nuclear agreement come into force?", "2013"),
        ("Whose officers will be posted in Ottawa?", "India's"),
        ("What funding did the plan set aside for the posts?", "No specific funding"),
    ],
)
def test_a_card_asking_the_fact_is_not_yes_no(front, back):
    assert rules(basic("fact", front, back)) == []


# -- self-answering ---------------------------------------------------------------------------


def test_an_answer_the_question_spells_out_is_flagged():
    card = basic(
        "spelt", "Which Indian ministry handles external affairs?", "Ministry of External Affairs"
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert lines[0].startswith("16:11: warning: card 'spelt': the question already holds")
    assert lines[0].endswith("[self-answering]")
    fixed = basic(
        "fixed", "Which ministry speaks for India abroad?", "Ministry of External Affairs"
    )
    assert rules(fixed) == []


def test_a_figure_is_the_answer_even_when_its_unit_is_in_the_question():
    assert rules(basic("times", "How many times was the grid attacked?", "Three times")) == []


def test_a_reverse_back_holding_the_front_s_words_gives_its_prompt_away():
    card = reverse(
        "joint", "Joint Committee on Nuclear Energy", "Body that oversees nuclear energy pacts"
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert "the back repeats the front's 'energy'" in lines[0]
    assert lines[0].endswith("[self-answering]")
    fixed = reverse(
        "joint", "Joint Committee on Nuclear Energy", "Body that oversees the 2010 pact"
    )
    assert rules(fixed) == []


def test_a_cloze_deletion_spelt_out_in_the_rest_of_the_text_is_flagged():
    card = cloze("twice", "The {{c1::Joint Committee}} is the two countries' joint committee.")
    assert rules(card) == ["self-answering"]
    assert rules(cloze("once", "A {{c1::Joint Committee}} oversees the 2010 pact.")) == []


def test_a_deletion_is_told_from_other_figures_by_its_digits():
    card = cloze("figures", "Exports of {{c1::USD 5.22 billion}} and imports of USD 3.33 billion.")
    assert rules(card) == []


# -- essay-prompt -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "front",
    [
        "Critically examine the role of liaison officers in the plan.",
        "Mains (250 words): discuss the plan's limits.",
        "To what extent can liaison officers rebuild trust?",
        "Liaison officers and trust. Analyse.",
    ],
)
def test_an_essay_question_is_flagged(front):
    lines = warnings(basic("essay", front, "It depends"))
    assert len(lines) == 1
    assert lines[0].startswith("15:12: warning: card 'essay': asks for an essay (")
    assert lines[0].endswith("[essay-prompt]")


@pytest.mark.parametrize(
    "front",
    [
        "What role do liaison officers play in the plan?",
        "Which body did the audit examine first?",  # not an instruction
        "When did the examination board meet?",
    ],
)
def test_a_fact_question_is_no_essay(front):
    assert rules(basic("fact", front, "Ottawa")) == []


# -- giveaway-option --------------------------------------------------------------------------


def test_a_question_word_inside_only_the_right_option_s_compound_gives_it_away():
    card = mcq(
        "compound",
        "Which instrument covers crime committed online?",
        ["Kyoto Protocol", "Convention on Cybercrime", "Paris Agreement", "Ottawa Convention"],
        "b",
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert lines[0].startswith(
        "18:9: warning: card 'compound': only the right option's 'cybercrime'"
    )
    assert lines[0].endswith("[giveaway-option]")
    fixed = mcq(
        "compound",
        "Which of India and Canada has signed the Budapest Convention?",
        ["India only", "Both", "Canada only", "Neither"],
        "c",
    )
    assert rules(fixed) == []


def test_the_only_option_without_absolute_wording_is_a_giveaway():
    card = mcq(
        "absolute",
        "What can liaison officers do?",
        [
            "Always clear extradition",
            "Never need political will",
            "Speed up sharing",
            "Entirely replace courts",
        ],
        "c",
    )
    assert rules(card) == ["giveaway-option"]
    fixed = mcq(
        "plain",
        "What can liaison officers do?",
        ["Clear extradition cases", "Replace political will", "Speed up sharing", "Replace courts"],
        "c",
    )
    assert rules(fixed) == []


def test_the_only_option_in_absolute_terms_is_a_giveaway_too():
    card = mcq("lone", "Who decides?", ["The courts", "Always the cabinet", "The police"], "b")
    assert rules(card) == ["giveaway-option"]


def test_a_false_statement_alone_in_absolute_terms_gives_the_key_away():
    card = statements(
        "absolute",
        [
            "Each side will post officers in the other country.",
            "The officers can by themselves remove extradition hurdles.",
            "The officers are to be deployed in a later phase.",
        ],
        "b",
    )
    lines = warnings(card)
    assert len(lines) == 1
    assert "only false statements are in absolute terms (2)" in lines[0]
    assert lines[0].endswith("[giveaway-option]")
    fixed = card.replace("can by themselves remove", "were agreed to remove")
    assert rules(fixed) == []


def test_a_true_statement_alone_hedged_gives_the_key_away():
    card = statements(
        "hedge",
        [
            "Each side will post officers in the other country.",
            "The posts were agreed by the prime ministers.",
            "Their effect may be limited by politics.",
        ],
        "b",
    )
    assert rules(card) == ["giveaway-option"]
    assert rules(card.replace("may be limited", "is limited")) == []


# -- copied-run -------------------------------------------------------------------------------

ARTICLE = """\
Talks in Ottawa. Analysts argue that by tackling "hard security" issues (a) drug flows and
(b) threats of extremist behavior the two of the countries are paving the way for a huge
$2-billion uranium deal. The officers will share actionable intelligence about state-sponsored
cyber threats, ransomware attacks, and aligning policy to guard sensitive national digital
infrastructure. Both countries cooperate in forums like the G20, Commonwealth, United Nations,
and International Solar Alliance.
"""


def copied(*cards: str, article: str = ARTICLE) -> list[str]:
    bank = parse_bank(HEADER + "".join(cards), Path("bank.yaml"))
    found = quality.check(bank, Sources.of([("article.txt", article)]))
    return [w.render("bank.yaml").removeprefix("bank.yaml:") for w in found]


def test_eight_words_in_order_are_a_copy_and_seven_are_not():
    eight = basic("eight", "What is it for?", "Paving the way for a huge $2-billion uranium pact")
    lines = copied(eight)
    assert len(lines) == 1
    assert lines[0].startswith(
        "16:11: warning: card 'eight': copies 8 words in order from article.txt "
        "('paving way for huge usd 2 billion uranium')"
    )
    assert lines[0].endswith("[copied-run]")
    seven = basic("seven", "What is it for?", "Paving the way for a huge $2-billion pact")
    assert copied(seven) == []


def test_case_punctuation_list_markers_and_spelling_do_not_hide_a_copy():
    card = cloze(
        "folded",
        "By tackling HARD SECURITY issues: {{c1::drug flows}} and threats of extremist "
        "{{c2::behaviour}} — the two countries are paving the way.",
    )
    lines = copied(card)
    assert len(lines) == 1
    assert (
        "('by tackling hard security issues drug flows and threats of extremist behavior"
        in (lines[0])
    )


def test_twelve_words_with_two_changed_are_a_copy_and_with_three_are_not():
    two = cloze(
        "two",
        "Officers pass actionable intelligence about {{c1::foreign-sponsored}} cyber threats, "
        "ransomware gangs and aligning policy.",
    )
    lines = copied(two)
    assert len(lines) == 1
    assert "copies 12 words with only 2 changed from article.txt" in lines[0]
    three = two.replace("aligning", "common")
    assert copied(three) == []


def test_a_word_added_is_one_change():
    card = cloze(
        "added",
        "Actionable intelligence about {{c1::state-sponsored}} cyber threats and ransomware "
        "attacks, and aligning policy",
    )
    lines = copied(card)
    assert len(lines) == 1
    assert "copies 12 words with only 1 changed" in lines[0]


def test_a_list_of_names_is_not_prose_copied():
    card = cloze(
        "forums",
        "Forums: {{c1::G20}}, Commonwealth, United Nations and International Solar Alliance.",
    )
    assert copied(card) == []


def test_the_fact_in_our_own_words_is_no_copy():
    fixed = cloze(
        "hard",
        "Analysts link progress on {{c1::drug flows}} and {{c2::extremist threats}} "
        "to bigger economic deals.",
    )
    assert copied(fixed) == []


def test_quiet_silences_a_copy_with_its_reason():
    card = basic(
        "quoted",
        "What paves the way?",
        "Paving the way for a huge $2-billion uranium deal, they say",
        "quiet: {copied-run: a quotation marked as one}",
    )
    assert copied(card) == []


def test_a_card_is_aligned_with_a_source_only_where_a_four_word_run_of_it_occurs(monkeypatch):
    """The search is not quadratic: cards sharing no 4-word run with the articles cost no
    alignment at all, whatever their number."""
    calls = []
    original = Sources._aligned
    monkeypatch.setattr(
        Sources, "_aligned", lambda self, *args: calls.append(args) or original(self, *args)
    )
    sources = Sources.of([("article.txt", ARTICLE)])
    unrelated = "The committee met in spring to agree a budget for the polar research station"
    for _ in range(1000):
        assert sources.find(unrelated) is None
    assert calls == []
    found = sources.find(
        "Intelligence about state-sponsored cyber threats and more, shared weekly with partners"
    )
    assert found is None
    assert len(calls) == 1


def test_an_anchor_found_in_many_places_is_not_followed(monkeypatch):
    calls = []
    original = Sources._aligned
    monkeypatch.setattr(
        Sources, "_aligned", lambda self, *args: calls.append(args) or original(self, *args)
    )
    stock = "as well as the " * (copying.COMMON_ANCHOR + 5)
    sources = Sources.of([("stock.txt", stock)])
    assert sources.find("we came as well as the others did, and all of them left in time") is None
    assert calls == []


def test_a_json_export_is_read_as_its_text():
    post = {
        "id": 7,
        "content": {"rendered": "<p>Officers share <b>actionable</b> intelligence.</p>"},
    }
    text = copying.article_text(json.dumps(post))
    assert "Officers share  actionable  intelligence." in text
    assert "<p>" not in text


# -- the command line -------------------------------------------------------------------------


def test_check_sources_reads_a_folder_of_articles_and_flags_copies(tmp_path):
    bank = write(
        tmp_path / "cards.yaml",
        HEADER
        + basic("deal", "What paves the way?", "Paving the way for a huge $2-billion uranium deal"),
    )
    articles = tmp_path / "articles"
    articles.mkdir()
    write(articles / "portal.txt", ARTICLE)
    result = trainer("check", "--strict", "--sources", str(articles), str(bank))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        f"{bank}:16:11: warning: card 'deal': copies 9 words in order from portal.txt"
    )
    assert trainer("check", "--strict", str(bank)).returncode == 0  # no articles: no copy rule


@pytest.mark.parametrize("folder", ["missing", "cards.yaml", "empty"])
def test_check_sources_that_are_no_folder_of_articles_is_one_clear_error(tmp_path, folder):
    bank = write(tmp_path / "cards.yaml", HEADER + basic("venue", "Where?", "Ottawa"))
    (tmp_path / "empty").mkdir()
    result = trainer("check", "--sources", str(tmp_path / folder), str(bank))
    assert result.returncode == 1
    assert result.stderr.startswith(f"trainer: error: --sources {tmp_path / folder}: ")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_shipped_bank_copies_no_run_from_its_articles():
    """CI: the shipped bank against the five articles it is written from; every new rule on."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed articles not available at {SEEDS_DIR}")
    result = trainer("check", "--strict", "--sources", str(SEEDS_DIR), str(REPO / "cards.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
