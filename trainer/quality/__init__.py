"""Card-quality warnings: what `trainer check` flags in a valid bank.

Grounded in the minimum-information principle (one small fact per card, one question per card)
and in the item-writing rules for multiple choice (no cue that gives the answer away). Pure: the
rules read a `Bank` and return `CardWarning`s; printing and exit codes are the CLI's business.

Each note is read once (`analysis.analyse`: its texts lower-cased, their words and key words)
and every rule reads that; a rule that compares notes (`near-duplicate`) does work in
proportion to the bank, not to its square.

A card silences a rule with `quiet: {rule-name: reason}`; the reason is required so that every
silenced warning stays explained in the bank itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from trainer.copying import Sources
from trainer.gcpause import gc_paused
from trainer.model import Bank
from trainer.notetypes.basic import BASIC
from trainer.notetypes.cloze import CLOZE
from trainer.notetypes.mcq import MCQ, McqNote
from trainer.notetypes.reverse import REVERSE
from trainer.quality import answers, choices, questions
from trainer.quality.analysis import BasicCard, ClozeCard, McqCard, analyse
from trainer.quality.answers import LONG_ANSWER_WORDS
from trainer.quality.duplicates import near_duplicates
from trainer.quality.sources import (
    PublisherNames,
    Publishers,
    copied_runs,
    publisher_in_prompt,
    source_question,
)
from trainer.quality.warning import CardWarning

__all__ = ["LONG_ANSWER_WORDS", "RULES", "CardWarning", "check"]

RULES = (
    "long-answer",
    "list-answer",
    "long-option",
    "stem-echo",
    "hedged-option",
    "yes-no",
    "self-answering",
    "essay-prompt",
    "giveaway-option",
    "answer-skew",
    "near-duplicate",
    "source-question",
    "publisher-in-prompt",
    "copied-run",
)
"""Every rule name, as printed in brackets and as used under a card's `quiet:`."""
REVERSE_RULES: tuple[Callable[[BasicCard, list[CardWarning]], None], ...] = (
    answers.long_answer,
    answers.list_answer,
    questions.yes_no,
    answers.self_answering,
)
"""The rules that read one card at a time, by the card's type. A reverse card's front is also
an answer: an essay question cannot be one."""
BASIC_RULES = (*REVERSE_RULES, questions.essay_prompt)
CLOZE_RULES: tuple[Callable[[ClozeCard, list[CardWarning]], None], ...] = (
    answers.self_answering_cloze,
)
MCQ_RULES: tuple[Callable[[McqCard, list[CardWarning]], None], ...] = (
    choices.long_option,
    choices.stem_echo,
    choices.hedged_option,
    questions.essay_prompt,
    choices.giveaway_option,
)
RULES_BY_TYPE: Mapping[str, tuple[Callable[[Any, list[CardWarning]], None], ...]] = {
    BASIC.name: BASIC_RULES,
    REVERSE.name: REVERSE_RULES,
    CLOZE.name: CLOZE_RULES,
    MCQ.name: MCQ_RULES,
}
"""The one-card rules of each note type (`trainer.notetypes`); a type not here has none. Each
rule reads the card `analysis.analyse` makes of the type's notes."""


def check(bank: Bank, sources: Sources | None = None) -> list[CardWarning]:
    """Every warning for the bank, in file order; silenced ones left out. `sources` (the
    articles' texts) turns on `copied-run`."""
    with gc_paused():  # the rules make many short-lived objects, and no cycles
        return _check(bank, sources)


def _check(bank: Bank, sources: Sources | None) -> list[CardWarning]:
    publishers = Publishers.of(bank)
    names = PublisherNames.of(bank)
    found: list[CardWarning] = []
    facts = []
    for note in bank.notes:
        card = analyse(note)
        facts.append(card.fact)
        for rule in RULES_BY_TYPE.get(note.type, ()):
            rule(card, found)
        # a card asking about its sources is one fault, said once
        if not source_question(card, publishers, found):
            publisher_in_prompt(card, names, found)
        if sources is not None:
            copied_runs(card, sources, found)
    counted = [
        note for note in bank.notes if isinstance(note, McqNote) and "answer-skew" not in note.quiet
    ]
    found.extend(choices.answer_skew(counted))
    found.extend(near_duplicates(bank.notes, facts))
    quiet = {note.id: note.quiet for note in bank.notes}
    return sorted(warning for warning in found if warning.rule not in quiet[warning.note_id])
