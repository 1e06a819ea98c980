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

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, pairwise
from pathlib import Path
from typing import Any, NamedTuple, cast

from trainer.bank import first_notes
from trainer.copying import Sources
from trainer.core.rules import RULES
from trainer.forking import Forked, cores, forked_map, free_memory
from trainer.gcpause import gc_paused
from trainer.model import Bank, Note, Source
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

__all__ = ["LONG_ANSWER_WORDS", "RULES", "CardWarning", "Check", "check"]

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
EARLY_PART = 0.7
"""The part of a large bank's lines whose notes a child process reads and checks while this
process loads the whole bank (`Check`): the child parses that part again, on a core that would
otherwise wait. Measured at 100,000 notes, one process parses in 4.6 s, validates in 2.5 s and
makes the bank in 2.1 s, and the rules take 3.8 s: the child's part (parsing, validating and the
rules) is done about when the load is, and the rest is shared out once the bank is whole."""
EARLY_CHARS = 2_000_000
"""A bank text shorter than this is checked without an early child: about 5,000 notes of the
bench's banks, whose rules take under 0.2 s."""
MEMORY_PER_CHAR = 25
"""About how many bytes a loaded bank takes per character of its text (measured: 1.04 GB for
the 43 MB text of 100,000 notes). The early child is started only where the memory free holds
the load and the child's part of it too: a check that would not fit is slower, not killed."""


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
    with Check(sources, parts=parts) as checking:
        return checking.warnings(bank)


class Check:
    """`check`, begun before the bank is parsed: handed to `load_bank` as its `early`, it has a
    child process parse the first part of a large bank and read its notes, on a core that would
    otherwise wait for the load; `warnings` reads the rest. Leaving its `with` block stops a
    child whose result was not taken (the bank was wrong, or reading the rest failed)."""

    def __init__(self, sources: Sources | None = None, *, parts: int | None = None) -> None:
        self.sources = sources
        self.parts = parts
        self.begun: Forked[_Part, _Begun | None] | None = None

    def __enter__(self) -> Check:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.begun is not None:
            self.begun.cancel()

    def begin(self, text: str, path: Path) -> None:
        """Have the notes on the first lines of the bank's `text` read in a child process; not
        for a short text, where only one core may be used, nor where the memory would not hold
        the child's part of the bank too."""
        if len(text) < EARLY_CHARS or (self.parts or cores()) < 2:
            return  # most banks: the memory is not asked about
        if (free_memory() or 0) > len(text) * MEMORY_PER_CHAR * (1 + EARLY_PART):
            part = _Part(text, path, int(text.count("\n") * EARLY_PART))
            self.begun = Forked(self._read_first, part, otherwise=lambda _: None)

    def _read_first(self, part: _Part) -> _Begun | None:
        first = first_notes(*part)
        if first is None or not first.notes:
            return None
        with gc_paused():
            reading = _read(first.notes, 0, *_names(first.sources), self.sources)
        return _Begun(first.sources, len(first.notes), first.notes[-1].id, reading)

    def warnings(self, bank: Bank) -> list[CardWarning]:
        """Every warning for the bank, in file order; silenced ones left out."""
        notes = bank.notes
        begun = self.begun  # left to `__exit__` to stop should reading the rest fail
        # the child reads the notes of the cards that start before its line (`first_notes`)
        first = 0 if begun is None else bisect_right(notes, begun.item.stop, key=_line)
        names = _names(bank.sources)
        with gc_paused():  # the rules make many short-lived objects, and no cycles

            def read_part(part: range) -> Reading:
                return _read(notes[part.start : part.stop], part.start, *names, self.sources)

            def read(share: range) -> list[Reading]:
                """The readings of the notes in `share`, shared out over the cores."""
                parts = self.parts or max(1, min(cores(), len(share) // PART_NOTES))
                return forked_map(read_part, _shares(share, parts))

            readings = read(range(first, len(notes)))
            if begun is not None:
                early = begun.result()
                if early is None or not early.starts(bank, first):
                    # wrong in its part, or not the bank's start (sources after the cards)
                    return _merged(notes, [*read(range(first)), *readings])
                readings.insert(0, early.reading)
            return _merged(notes, readings)


def _line(note: Note) -> int:
    return note.line


class _Part(NamedTuple):
    """The bank's first lines, up to `stop`, for the early child to read."""

    text: str
    path: Path
    stop: int


class _Begun(NamedTuple):
    """What the early child read: the sources and how many of the first notes it read (the
    last of them by its id), and what it found in them."""

    sources: dict[str, Source]
    notes_read: int
    last: str
    reading: Reading

    def starts(self, bank: Bank, count: int) -> bool:
        """Whether these were the first `count` notes of `bank`, read with its sources."""
        return (
            self.notes_read == count
            and bank.notes[count - 1].id == self.last
            and self.sources == bank.sources
        )


def _names(sources: Mapping[str, Source]) -> tuple[Publishers, PublisherNames]:
    return Publishers.of(sources.values()), PublisherNames.of(sources.values())


def _merged(notes: Sequence[Note], readings: list[Reading]) -> list[CardWarning]:
    """The bank's warnings from the readings of its shares (in order): theirs, and those of
    the rules that compare notes."""
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


def _shares(notes: range, parts: int) -> list[range]:
    """`notes` cut into `parts` runs of nearly equal length."""
    bounds = [notes.start + len(notes) * part // parts for part in range(parts + 1)]
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
