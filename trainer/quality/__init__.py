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

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, pairwise
from typing import Any, NamedTuple, cast

from trainer.copying import Sources
from trainer.forking import cores, forked_map
from trainer.gcpause import gc_paused
from trainer.model import Bank, Note
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


PART_NOTES = 10_000
"""A bank of at least twice this many notes has its notes read on several cores, a share of at
least this many notes each. Measured at 100,000 notes: reading 10,000 notes takes about a
third of a second; forking took 20 ms, sending a half's findings back about 100 ms (75 ms
to pickle them in the child, 26 ms to unpickle them here), and each process read its half about
a fifth slower than one process reads it (the pages it touches are copied for it)."""


class Reading(NamedTuple):
    """What reading a share of the notes found: the warnings of the rules that read one note
    at a time (silenced ones left out, in file order), each note's fact (the key words that
    near-duplicate detection compares) and in how many notes each key word is."""

    found: list[CardWarning]
    facts: list[tuple[str, ...]]
    """Each note's fact as a tuple: taken back from a child process, a tuple is rebuilt in a
    sixth of the time a set takes (measured for a share of 50,000 notes: 9 ms, 54 ms as sets)."""
    counts: Counter[str]
    multiple_choice: list[int]
    """The multiple-choice notes whose answer letter counts towards the bank's spread (those
    not silencing `answer-skew`), by their place in the bank."""


def check(
    bank: Bank, sources: Sources | None = None, *, parts: int | None = None
) -> list[CardWarning]:
    """Every warning for the bank, in file order; silenced ones left out. `sources` (the
    articles' texts) turns on `copied-run`. The notes are read in `parts` shares, each on its
    own core (by default as many as the cores and PART_NOTES allow): the warnings are the same."""
    notes = bank.notes
    if parts is None:
        parts = max(1, min(cores(), len(notes) // PART_NOTES))
    with gc_paused():  # the rules make many short-lived objects, and no cycles
        publishers = Publishers.of(bank)
        names = PublisherNames.of(bank)

        def read(share: range) -> Reading:
            return _read(notes[share.start : share.stop], share.start, publishers, names, sources)

        readings = forked_map(read, _shares(len(notes), parts))
        facts = [fact for reading in readings for fact in reading.facts]
        counts = sum((reading.counts for reading in readings), Counter[str]())
        counted = cast(  # as `_read` picked them
            list[McqNote],
            [notes[index] for reading in readings for index in reading.multiple_choice],
        )
        found = [*choices.answer_skew(counted), *near_duplicates(notes, facts, counts)]
        found = _heard(found, notes)
        # each reading is in file order already: sorting merges them
        return sorted(chain(*(reading.found for reading in readings), found))


def _shares(count: int, parts: int) -> list[range]:
    """`range(count)` cut into `parts` runs of nearly equal length."""
    bounds = [count * part // parts for part in range(parts + 1)]
    return [range(start, stop) for start, stop in pairwise(bounds)]


def _read(
    notes: Sequence[Note],
    first: int,
    publishers: Publishers,
    names: PublisherNames,
    sources: Sources | None,
) -> Reading:
    """Read `notes`, the bank's from its `first` on."""
    found: list[CardWarning] = []
    facts = []
    for note in notes:
        card = analyse(note)
        facts.append(tuple(card.fact))
        for rule in RULES_BY_TYPE.get(note.type, ()):
            rule(card, found)
        # a card asking about its sources is one fault, said once
        if not source_question(card, publishers, found):
            publisher_in_prompt(card, names, found)
        if sources is not None:
            copied_runs(card, sources, found)
    found = sorted(_heard(found, notes))
    counted = [
        first + index
        for index, note in enumerate(notes)
        if isinstance(note, McqNote) and "answer-skew" not in note.quiet
    ]
    return Reading(found, facts, Counter(chain.from_iterable(facts)), counted)


def _heard(found: list[CardWarning], notes: Sequence[Note]) -> list[CardWarning]:
    """The warnings that their notes (among `notes`) do not silence."""
    if not found:
        return found
    quiet = {note.id: note.quiet for note in notes if note.quiet}  # most notes silence nothing
    return [warning for warning in found if warning.rule not in quiet.get(warning.note_id, ())]
