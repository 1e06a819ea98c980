"""Card-quality warnings: what `trainer check` flags in a valid bank.

Grounded in the minimum-information principle (one small fact per card, one question per card)
and in the item-writing rules for multiple choice (no cue that gives the answer away). Pure: the
rules read a `Bank` and return `CardWarning`s; printing and exit codes are the CLI's business.

A card silences a rule with `quiet: {rule-name: reason}`; the reason is required so that every
silenced warning stays explained in the bank itself.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from trainer.model import CHOICE_LETTERS, Bank, BasicNote, ClozeNote, McqNote, Note

LONG_ANSWER_WORDS = 18
"""An answer of this many words or more holds more than one fact to recall."""
LIST_ITEMS = 3
LIST_ITEM_WORDS = 6
"""An answer of LIST_ITEMS or more short items (LIST_ITEM_WORDS words at most) is a list."""
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
DUPLICATE_SIMILARITY = 0.6
"""Share of key words (Jaccard) two cards' questions and answers have in common from which they
test the same fact."""
DUPLICATE_MIN_WORDS = 3
COMMON_WORD_NOTES = 50
"""A key word found in more notes than this does not make two notes candidates: a real
duplicate shares rarer words too, and comparing every pair of a common word's notes is
quadratic."""

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
_LIST_SPLIT_RE = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*")
_DELETION_RE = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.DOTALL)
"""A cloze deletion's answer; regular expressions suffice once the validator has parsed it."""
_PAREN_RE = re.compile(r"\([^()]*\)")
PROSE_OPENERS = frozenset(
    re.findall(
        r"\w+", "so which who whom because when while that to as but with rather making since than"
    )
)
"""A part of an answer opening with one of these continues a sentence: it is no list item."""
_SOURCE_QUESTION_RE = re.compile(
    r"\b(?:which|what)\s+(?:(?:two|other|one)\s+)?"
    r"(?:sources?|outlets?|websites?|sites?|publishers?|reports?|articles?)\b"
    r"|\b(?:do|did|does)\s+the\s+sources\b"
    r"|\bhow\s+do\s+\S+(?:\s+\S+){0,3}\s+and\s+\S+(?:\s+\S+){0,3}\s+(?:differ|compare)\b",
    re.IGNORECASE,
)
STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        """
        a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each
        few for from further had has have having he her here hers him his how i if in into
        is it its itself just me more most my no nor not now of off on once only or other
        our out over own per same she should so some such than that the their them then
        there these they this those through to too under until up very was we were what when
        where which while who whom why will with would you your according said says say
        whose within without one two three four first second
        """,
    )
)


@dataclass(frozen=True, order=True)
class CardWarning:
    """One card-quality warning, located at the field it is about."""

    line: int
    column: int
    rule: str
    note_id: str
    message: str

    def render(self, file: str) -> str:
        return f"{file}:{self.line}:{self.column}: warning: {self.message} [{self.rule}]"


def key_words(text: str) -> list[str]:
    """Content words of `text`, lower-cased, plural -s dropped: what a reader matches on."""
    words = _WORD_RE.findall(text.lower().replace("’", "'"))
    return [key for word in words if (key := _key_word(word))]


@cache
def _key_word(word: str) -> str:
    """`word` as `key_words` keeps it, "" for a word it drops. Cached: a bank's vocabulary is
    small beside its text, and every rule reads the same words."""
    if word in STOP_WORDS or len(word) <= 2:
        return ""
    return _singular(word)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _plain(text: str) -> str:
    """Cloze text as read with every deletion filled in (a valid bank's deletions)."""
    return _DELETION_RE.sub(_deleted, text) if "{{" in text else text


def _deleted(match: re.Match[str]) -> str:
    """A deletion's answer; a function, not the template `\\1`, which Python 3.11 expands anew
    for every match (a tenth of the rules' time at 100,000 cards, profiled)."""
    return match.group(1)


def _at(note: Note, field: str) -> tuple[int, int]:
    return note.positions.get(field, (note.line, note.column))


def _warning(note: Note, field: str, rule: str, message: str) -> CardWarning:
    line, column = _at(note, field)
    return CardWarning(line, column, rule, note.id, f"card {note.id!r}: {message}")


# -- answers --------------------------------------------------------------------------------


def long_answer(note: Note) -> Iterator[CardWarning]:
    """A back of many words asks for several facts at once: the learner half-recalls it."""
    if not isinstance(note, BasicNote):
        return
    words = len(note.back.split())
    if words >= LONG_ANSWER_WORDS:
        yield _warning(
            note,
            "back",
            "long-answer",
            f"the answer has {words} words; keep one fact per card "
            f"(under {LONG_ANSWER_WORDS} words), or split it",
        )


def list_items(text: str) -> list[str]:
    """The items of a list-shaped answer like `A, B and C` (parenthesised asides dropped)."""
    text = _PAREN_RE.sub("", text)
    if not any(mark in text for mark in ",;"):
        return []  # 'legal and logistical loopholes' is one item, not a list
    parts = [part for part in _LIST_SPLIT_RE.split(text) if part.strip()]
    return parts if len(parts) >= LIST_ITEMS else []


def _is_item(part: str) -> bool:
    words = part.lower().split()
    return len(words) <= LIST_ITEM_WORDS and words[0] not in PROSE_OPENERS


def list_answer(note: Note) -> Iterator[CardWarning]:
    """A list on the back of a card is recalled in pieces and graded all-or-nothing."""
    if not isinstance(note, BasicNote):
        return
    items = list_items(note.back.rstrip("."))
    if items and all(_is_item(item) for item in items):
        yield _warning(
            note,
            "back",
            "list-answer",
            f"the answer lists {len(items)} items; make it a cloze with one deletion per item",
        )


# -- multiple choice ------------------------------------------------------------------------


def long_option(note: Note) -> Iterator[CardWarning]:
    """Test-wise candidates pick the longest, most qualified option."""
    if not isinstance(note, McqNote):
        return
    lengths = [len(choice) for choice in note.choices]
    for index, length in enumerate(lengths):
        longest_other = max(lengths[:index] + lengths[index + 1 :])
        if length >= LONG_OPTION_RATIO * longest_other and (
            length - longest_other >= LONG_OPTION_EXTRA_CHARS
        ):
            yield _warning(
                note,
                f"choices[{index}]",
                "long-option",
                f"option {CHOICE_LETTERS[index]} is much longer than the others "
                f"({length} characters, the next longest {longest_other}); "
                "make the options alike in length",
            )


def stem_echo(note: Note) -> Iterator[CardWarning]:
    """A key word of the question that only the right option repeats gives the answer away."""
    if not isinstance(note, McqNote):
        return
    stem = set(key_words(note.question))
    shared = [stem.intersection(key_words(choice)) for choice in note.choices]
    right = shared[note.answer]
    if right and not any(words for index, words in enumerate(shared) if index != note.answer):
        yield _warning(
            note,
            f"choices[{note.answer}]",
            "stem-echo",
            f"only the right option repeats the question's {sorted(right)[0]!r}; "
            "reword it or let a distractor share it too",
        )


def hedged_option(note: Note) -> Iterator[CardWarning]:
    """Writers qualify the right answer to make it true; candidates learn to pick the hedge."""
    if not isinstance(note, McqNote) or len(note.choices) < MIN_HEDGE_CHOICES:
        return
    hedges = [HEDGES.intersection(_WORD_RE.findall(choice.lower())) for choice in note.choices]
    hedged = [index for index, words in enumerate(hedges) if words]
    if hedged == [note.answer]:
        yield _warning(
            note,
            f"choices[{note.answer}]",
            "hedged-option",
            f"only the right option is hedged ({sorted(hedges[note.answer])[0]!r}); "
            "hedge a distractor too, or none",
        )


def answer_skew(notes: Sequence[Note]) -> Iterator[CardWarning]:
    """Answer letters should be spread evenly, or 'always guess b' beats chance."""
    mcqs = [note for note in notes if isinstance(note, McqNote)]
    if len(mcqs) < SKEW_MIN_MCQS:
        return
    counts = Counter(note.answer_letter for note in mcqs)
    expected: defaultdict[str, float] = defaultdict(float)
    for note in mcqs:
        for letter in CHOICE_LETTERS[: len(note.choices)]:
            expected[letter] += 1 / len(note.choices)
    spread = ", ".join(f"{letter} {counts[letter]}" for letter in sorted(expected))
    for letter in sorted(expected):
        off = counts[letter] - expected[letter]
        if abs(off) <= max(2.0, expected[letter] / 2):
            continue
        first = next((note for note in mcqs if note.answer_letter == letter), mcqs[0])
        how = "too often" if off > 0 else "too rarely"
        yield _warning(
            first,
            "answer",
            "answer-skew",
            f"answer {letter!r} is right {how} across the bank's {len(mcqs)} multiple-choice "
            f"cards (about {expected[letter]:.0f} expected; {spread}); move right answers "
            "to other letters",
        )


# -- prompts --------------------------------------------------------------------------------


def _fact_words(note: Note) -> set[str]:
    """The key words of a note's question and answer together: the fact it tests."""
    if isinstance(note, BasicNote):
        text = f"{note.front} {note.back}"
    elif isinstance(note, ClozeNote):
        text = _plain(note.text)
    elif isinstance(note, McqNote):
        text = f"{note.question} {note.choices[note.answer]}"
    else:
        text = note.prompt
    return set(key_words(text))


def near_duplicates(notes: Sequence[Note]) -> Iterator[CardWarning]:
    """Two cards testing the same fact in near-identical words: one is enough."""
    words = {note.id: _fact_words(note) for note in notes}
    holders: defaultdict[str, list[Note]] = defaultdict(list)
    for note in notes:
        for word in words[note.id]:
            holders[word].append(note)
    order = {note.id: index for index, note in enumerate(notes)}
    pairs: set[tuple[int, int]] = set()
    for group in holders.values():
        if len(group) <= COMMON_WORD_NOTES:
            pairs.update(
                (order[a.id], order[b.id]) for a, b in combinations(group, 2) if a.id != b.id
            )
    for first_index, second_index in sorted(pairs):
        first, second = notes[first_index], notes[second_index]
        a, b = words[first.id], words[second.id]
        if min(len(a), len(b)) < DUPLICATE_MIN_WORDS:
            continue
        similarity = len(a & b) / len(a | b)
        if similarity >= DUPLICATE_SIMILARITY:
            yield _warning(
                second,
                "id",
                "near-duplicate",
                f"tests the same fact as card {first.id!r} (line {first.line}) in nearly the "
                f"same words ({similarity:.0%} shared); keep one, or ask from another angle",
            )


def publisher_words(bank: Bank) -> dict[str, frozenset[str]]:
    """Each source's publisher and the key words that name it."""
    return {
        source.publisher: frozenset(key_words(source.publisher)) | {"editorial"}
        for source in bank.sources.values()
    }


def source_question(note: Note, publishers: dict[str, frozenset[str]]) -> Iterator[CardWarning]:
    """Candidates are examined on facts, not on which website said them.

    `publishers` comes from `publisher_words`: an answer made only of a publisher's words is
    that publisher's name, not a fact that mentions it."""
    field = {"basic": "front", "reverse": "front", "cloze": "text", "mcq": "question"}[note.type]
    if _SOURCE_QUESTION_RE.search(_plain(note.prompt)):
        yield _warning(
            note,
            field,
            "source-question",
            "asks about the sources, not the fact; ask the fact "
            "and note any disagreement between sources in the extra, citing both",
        )
        return
    longest = max(map(len, publishers.values()), default=0)
    any_publisher = frozenset().union(*publishers.values())
    answers = [
        words
        for answer in _answers(note)
        if len(answer.split()) <= longest  # a longer answer says more than a name
        and (words := frozenset(key_words(answer)))
        and words <= any_publisher  # most answers name no publisher: one test rules them out
    ]
    if not answers:
        return
    named = [name for name, words in publishers.items() if any(a <= words for a in answers)]
    if named:
        yield _warning(
            note,
            field,
            "source-question",
            f"its answer is a source ({named[0]}), not a fact; ask the fact instead",
        )


def _answers(note: Note) -> list[str]:
    if isinstance(note, BasicNote):
        return [note.back] if note.type == "basic" else [note.back, note.front]
    if isinstance(note, ClozeNote):
        return _DELETION_RE.findall(note.text)
    if isinstance(note, McqNote):
        return [note.choices[note.answer]]
    return []


# -- the whole bank -------------------------------------------------------------------------

NoteRule = Callable[[Note], Iterator[CardWarning]]
NOTE_RULES: dict[str, NoteRule] = {
    "long-answer": long_answer,
    "list-answer": list_answer,
    "long-option": long_option,
    "stem-echo": stem_echo,
    "hedged-option": hedged_option,
}
RULES = (*NOTE_RULES, "answer-skew", "near-duplicate", "source-question")
"""Every rule name, as printed in brackets and as used under a card's `quiet:`."""


def check(bank: Bank) -> list[CardWarning]:
    """Every warning for the bank, in file order; silenced ones left out."""
    publishers = publisher_words(bank)
    found: list[CardWarning] = []
    for note in bank.notes:
        for rule in NOTE_RULES.values():
            found.extend(rule(note))
        found.extend(source_question(note, publishers))
    counted = [note for note in bank.notes if "answer-skew" not in note.quiet]
    found.extend(answer_skew(counted))
    found.extend(near_duplicates(bank.notes))
    quiet = {note.id: note.quiet for note in bank.notes}
    return sorted(warning for warning in found if warning.rule not in quiet[warning.note_id])
