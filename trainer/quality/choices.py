"""Multiple choice without cues: no option singled out by its length, its words or its
hedging, and right answers spread over the letters."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from trainer.model import CHOICE_LETTERS
from trainer.notetypes.mcq import McqNote
from trainer.quality.analysis import McqCard, Text
from trainer.quality.text import Hints
from trainer.quality.warning import CardWarning, warn

LONG_OPTION_RATIO = 1.5
LONG_OPTION_EXTRA_CHARS = 15
"""An option is much longer when it beats every other by this ratio and this many characters."""
HEDGES = frozenset(
    re.findall(
        r"\w+",
        "may might could can usually often generally sometimes possibly probably likely "
        "partly largely mostly some tends tend",
    )
)
"""Words that qualify a claim; MIN_HEDGE_CHOICES options or more make a lone hedge a cue."""
MIN_HEDGE_CHOICES = 3
SKEW_MIN_MCQS = 8
"""Fewer multiple-choice cards than this say nothing about the spread of answer letters."""
ABSOLUTES = frozenset(
    re.findall(
        r"\w+",
        "always never every none solely entirely completely automatically guarantee "
        "guarantees guaranteed invariably totally exclusively wholly",
    )
)
_ABSOLUTE_PHRASE_RE = re.compile(
    r"\b(?:by|on|in)\s+(?:them|it|him|her)sel(?:f|ves)\b|\bon\s+"
    r"(?:their|its|his|her)\s+own\b",
    re.IGNORECASE,
)
"""Absolute wording: test-wise candidates know that a statement claiming always or by itself
is usually false, and one that is hedged usually true."""
_ABSOLUTE_PHRASE_HINTS = Hints(("sel", "own"), ignorecase=True)
_STATEMENT_RE = re.compile(r"^\s*(\d+)[.)]\s+(\S.*)$", re.MULTILINE)
_STATEMENT_CHOICE_RE = re.compile(r"(?:\d+|and|only|both|all|,|\s)+", re.IGNORECASE)


def long_option(card: McqCard, out: list[CardWarning]) -> None:
    """Test-wise candidates pick the longest, most qualified option."""
    lengths = [len(choice) for choice in card.note.choices]
    for index, length in enumerate(lengths):
        longest_other = max(lengths[:index] + lengths[index + 1 :])
        if length >= LONG_OPTION_RATIO * longest_other and (
            length - longest_other >= LONG_OPTION_EXTRA_CHARS
        ):
            out.append(
                warn(
                    card.note,
                    f"choices[{index}]",
                    "long-option",
                    f"option {CHOICE_LETTERS[index]} is much longer than the others "
                    f"({length} characters, the next longest {longest_other}); "
                    "make the options alike in length",
                )
            )


def stem_echo(card: McqCard, out: list[CardWarning]) -> None:
    """A key word of the question that only the right option repeats gives the answer away."""
    answer = card.note.answer
    stem = card.prompt.keys
    shared = [stem & choice.keys for choice in card.choices]
    right = shared[answer]
    if right and not any(words for index, words in enumerate(shared) if index != answer):
        out.append(
            warn(
                card.note,
                f"choices[{answer}]",
                "stem-echo",
                f"only the right option repeats the question's {sorted(right)[0]!r}; "
                "reword it or let a distractor share it too",
            )
        )


def hedged_option(card: McqCard, out: list[CardWarning]) -> None:
    """Writers qualify the right answer to make it true; candidates learn to pick the hedge."""
    answer = card.note.answer
    if len(card.note.choices) < MIN_HEDGE_CHOICES:
        return
    hedges = [HEDGES.intersection(choice.words) for choice in card.choices]
    hedged = [index for index, words in enumerate(hedges) if words]
    if hedged == [answer]:
        out.append(
            warn(
                card.note,
                f"choices[{answer}]",
                "hedged-option",
                f"only the right option is hedged ({sorted(hedges[answer])[0]!r}); "
                "hedge a distractor too, or none",
            )
        )


def giveaway_option(card: McqCard, out: list[CardWarning]) -> None:
    """Cues beyond stem-echo and hedged-option that single out the right option: a question
    word hidden inside the right option's word (crime, cybercrime), absolute wording only the
    right option has or only it lacks, and in a numbered-statements question, absolute wording
    only in false statements or hedges only in true ones."""
    _part_echo(card, out)
    _absolute_option(card, out)
    if "\n" in card.note.question:  # numbered statements stand one to a line
        _statement_cues(card.note, out)


def _part_echo(card: McqCard, out: list[CardWarning]) -> None:
    """A question word that an option's compound starts or ends with: crime, cybercrime."""
    stem = {word for word in card.prompt.keys if len(word) >= 4}
    if not stem or not stem.isdisjoint(card.answers[0].keys):
        return  # nothing to echo, or a plain echo: stem-echo's to report
    parts = tuple(stem)

    def echoes(words: set[str]) -> set[str]:
        compounds = {word for word in words if word.startswith(parts) or word.endswith(parts)}
        return compounds | (words & stem)

    answer = card.note.answer
    right = echoes(card.answers[0].keys)
    others = (choice for index, choice in enumerate(card.choices) if index != answer)
    if right and not any(echoes(choice.keys) for choice in others):
        out.append(
            warn(
                card.note,
                f"choices[{answer}]",
                "giveaway-option",
                f"only the right option's {sorted(right)[0]!r} echoes a word of the question; "
                "reword, or let a distractor echo it too",
            )
        )


def _absolute(text: Text) -> bool:
    return not ABSOLUTES.isdisjoint(text.words) or bool(
        _ABSOLUTE_PHRASE_HINTS.in_any(text.pieces) and _ABSOLUTE_PHRASE_RE.search(text.text)
    )


def _absolute_option(card: McqCard, out: list[CardWarning]) -> None:
    answer = card.note.answer
    if len(card.note.choices) < MIN_HEDGE_CHOICES:
        return
    marked = [_absolute(choice) for choice in card.choices]
    others = [flag for index, flag in enumerate(marked) if index != answer]
    if marked[answer] and not any(others):
        how = "is the only one in absolute terms"
    elif not marked[answer] and all(others):
        how = "is the only one not in absolute terms (always, never, by itself...)"
    else:
        return
    out.append(
        warn(
            card.note,
            f"choices[{answer}]",
            "giveaway-option",
            f"the right option {how}; word the options alike",
        )
    )


def _statement_cues(note: McqNote, out: list[CardWarning]) -> None:
    statements = {int(number): text for number, text in _STATEMENT_RE.findall(note.question)}
    right = note.choices[note.answer]
    if len(statements) < 2 or not _STATEMENT_CHOICE_RE.fullmatch(right):
        return
    true = {int(number) for number in re.findall(r"\d+", right)}
    if re.search(r"\ball\b", right, re.IGNORECASE):
        true = set(statements)
    false = set(statements) - true
    absolute = {number for number, text in statements.items() if _absolute(Text(text))}
    hedged = {
        number for number, text in statements.items() if not HEDGES.isdisjoint(Text(text).words)
    }
    if absolute and absolute <= false and true:
        cue = f"only false statements are in absolute terms ({min(absolute)})"
    elif hedged and hedged <= true and false:
        cue = f"only true statements are hedged ({min(hedged)})"
    else:
        return
    out.append(
        warn(
            note,
            "question",
            "giveaway-option",
            f"{cue}: a test-wise guess finds the key; word true and false statements alike",
        )
    )


def answer_skew(notes: Sequence[McqNote]) -> Iterator[CardWarning]:
    """Answer letters should be spread evenly, or 'always guess b' beats chance."""
    if len(notes) < SKEW_MIN_MCQS:
        return
    counts = Counter(note.answer_letter for note in notes)
    expected: defaultdict[str, float] = defaultdict(float)
    for note in notes:
        for letter in CHOICE_LETTERS[: len(note.choices)]:
            expected[letter] += 1 / len(note.choices)
    spread = ", ".join(f"{letter} {counts[letter]}" for letter in sorted(expected))
    for letter in sorted(expected):
        off = counts[letter] - expected[letter]
        if abs(off) <= max(2.0, expected[letter] / 2):
            continue
        first = next((note for note in notes if note.answer_letter == letter), notes[0])
        how = "too often" if off > 0 else "too rarely"
        yield warn(
            first,
            "answer",
            "answer-skew",
            f"answer {letter!r} is right {how} across the bank's {len(notes)} multiple-choice "
            f"cards (about {expected[letter]:.0f} expected; {spread}); move right answers "
            "to other letters",
        )
