"""Two cards testing the same fact in near-identical words: one is enough.

Only cards that share a rare key word are compared: a word found in more than
COMMON_WORD_NOTES notes pairs none, so each note meets at most that many others per word and
the comparisons grow with the bank, never with its square."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence
from itertools import chain, combinations

from trainer.model import Note
from trainer.quality.warning import CardWarning, warn

DUPLICATE_SIMILARITY = 0.6
"""Share of key words (Jaccard) two cards' questions and answers have in common from which they
test the same fact."""
DUPLICATE_MIN_WORDS = 3
COMMON_WORD_NOTES = 50
"""A key word found in more notes than this does not make two notes candidates: a real
duplicate shares rarer words too, and comparing every pair of a common word's notes is
quadratic."""


def near_duplicates(
    notes: Sequence[Note], facts: Sequence[Collection[str]], counts: Counter[str] | None = None
) -> Iterator[CardWarning]:
    """The later card of each pair whose facts (each note's `Card.fact`, its distinct key
    words) share DUPLICATE_SIMILARITY of their key words. `counts`: in how many facts each key
    word is, where already counted."""
    for first, second in candidates(notes, facts, counts):
        shared = similarity(facts[first], facts[second])
        if shared >= DUPLICATE_SIMILARITY:
            earlier = notes[first]
            yield warn(
                notes[second],
                "id",
                "near-duplicate",
                f"tests the same fact as card {earlier.id!r} (line {earlier.line}) in nearly the "
                f"same words ({shared:.0%} shared); keep one, or ask from another angle",
            )


def candidates(
    notes: Sequence[Note], facts: Sequence[Collection[str]], counts: Counter[str] | None = None
) -> list[tuple[int, int]]:
    """The pairs of notes (as indexes, in bank order) that share a rare key word and have
    DUPLICATE_MIN_WORDS key words each."""
    if counts is None:
        counts = Counter(chain.from_iterable(facts))
    rare = {word for word, count in counts.items() if count <= COMMON_WORD_NOTES}
    holders: defaultdict[str, list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        if len(fact) >= DUPLICATE_MIN_WORDS:
            for word in rare.intersection(fact):
                holders[word].append(index)
    pairs = {
        (first, second)
        for group in holders.values()
        for first, second in combinations(group, 2)
        if notes[first].id != notes[second].id
    }
    return sorted(pairs)


def similarity(a: Collection[str], b: Collection[str]) -> float:
    """The share of their key words two facts have in common (Jaccard)."""
    words = set(a)
    return len(words.intersection(b)) / len(words.union(b))
