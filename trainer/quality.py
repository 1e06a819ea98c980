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

from trainer.copying import Sources, tokens
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


# -- wording that teaches the wrong thing (the content audit's findings) ----------------------

AUXILIARIES = frozenset(
    re.findall(
        r"\S+",
        "is are was were am do does did can could will would shall should has have had may "
        "might must isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't "
        "wouldn't shouldn't hasn't haven't hadn't",
    )
)
"""A question opening with one of these (and offering no `or`) is answered by yes or no."""
_YES_NO_ANSWER_RE = re.compile(r"^\s*(?:yes|no)\s*(?:[.,:;!—–-]|$)", re.IGNORECASE)
_ESSAY_RE = re.compile(
    r"(?:^|[.:;?!)]\s*)(?:critically\s+)?(?:discuss|examine|analy[sz]e|evaluate|assess|"
    r"comment(?:\s+on)?|elucidate|justify|judge|critique|elaborate|explain\s+(?:why|how))\b"
    r"|\bto\s+what\s+extent\b|\b\d+\s*words?\b|\bmains\s+(?:practice|question)\b",
    re.IGNORECASE,
)
ESSAY_HINTS = (
    *re.findall(
        r"\w+",
        "discuss examin analy evaluat assess comment elucidat justif judg "
        "critiq elaborat explain extent word mains",
    ),
)
"""Stems one of which an essay question holds: most questions are cleared by these alone."""
SELF_ANSWER_SHARE = 2 / 3
"""An answer this much of whose key words the question already holds is read off the question."""
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
_STATEMENT_RE = re.compile(r"^\s*(\d+)[.)]\s+(\S.*)$", re.MULTILINE)
_STATEMENT_CHOICE_RE = re.compile(r"(?:\d+|and|only|both|all|,|\s)+", re.IGNORECASE)
_SOURCE_NOUNS = r"(?:report|article|brief|blog|site|website|outlet|editorial|academy|analysis)"
_ATTRIBUTION_RE = re.compile(
    rf"\b(?:according\s+to|as\s+per|per)\s+(?:the\s+|a\s+|one\s+)?(?:[\w–-]+\s+){{0,3}}"
    rf"{_SOURCE_NOUNS}s?\b"
    rf"|\b(?:the|a|one)\s+(?:[\w–-]+\s+){{0,3}}{_SOURCE_NOUNS}\s+(?:said|(?:say|note|report|"
    rf"add|argue|put|call|describe|date|name|list|see)s?)\b"
    r"|\bas\s+reported\b",
    re.IGNORECASE,
)
ATTRIBUTION_HINTS = (*re.findall(r"\w+", _SOURCE_NOUNS), "reported")
DISAGREEMENT_HINTS = (
    "differ",
    "disagree",
    "instead",
    "contest",
    "contradict",
    "conflict",
    "disput",
    "whereas",
)
"""Substrings one of which a text must hold for the pattern to match: most texts are cleared
by these without running it."""
_DISAGREEMENT_RE = re.compile(
    r"\b(?:differ(?:s|ed|ing)?|disagree\w*|instead|contested|contradict\w*|conflicting|"
    r"disputed?|whereas)\b",
    re.IGNORECASE,
)
"""Words with which an extra says that sources disagree: then the card must say who says what."""


def _name_forms(name: str) -> Iterator[str]:
    """The ways a card may name a publisher: its name without asides, the leading words of it
    (two or more), a one-word name or a brand-like first word (`LearnPro`, `MGMM`), and
    `The X` asides (`The Hindu`)."""
    main = re.sub(r"\([^()]*\)", " ", name)
    words = main.split()
    for length in range(len(words), 1, -1):
        yield " ".join(words[:length])
    if len(words) == 1 or (words and words[0][1:] != words[0][1:].lower()):
        yield words[0]
    for aside in re.findall(r"\(([^()]*)\)", name):
        for part in re.split(r"[,;:]", aside):
            if re.fullmatch(r"\s*The\s+[A-Z]\w*(?:\s+[A-Z]\w*)*\s*", part):
                yield part.strip()


@dataclass(frozen=True)
class PublisherNames:
    """Every way the bank's sources may be named on a card: each publisher's forms (in the case
    written: 'NEXT IAS', not 'next'; longest first) and titles (lower-cased, matched in any
    case). A form is looked for as a substring, and only where found checked for its word
    boundaries: most texts name no source."""

    forms: tuple[tuple[str, re.Pattern[str]], ...]
    titles: tuple[str, ...]
    needles: tuple[str, ...]
    """Every form and title, and the attribution hints, lower-cased: a text holding none of
    them (most texts) is cleared by one pass."""

    def may_name(self, text: str) -> bool:
        return any(map(text.lower().__contains__, self.needles))

    def search(self, text: str) -> str | None:
        for form, bounded in self.forms:
            if form in text and bounded.search(text):
                return form
        if self.titles and any(map((lowered := text.lower()).__contains__, self.titles)):
            return next(title for title in self.titles if title in lowered)
        return None


def publisher_names(bank: Bank) -> PublisherNames:
    forms = {form for source in bank.sources.values() for form in _name_forms(source.publisher)}
    titles = {title.lower() for source in bank.sources.values() if (title := source.title.strip())}
    needles = {form.lower() for form in forms} | titles | set(ATTRIBUTION_HINTS)
    return PublisherNames(
        tuple(
            (form, re.compile(rf"\b{re.escape(form)}\b"))
            for form in sorted(forms, key=lambda form: (-len(form), form))
        ),
        tuple(sorted(titles, key=lambda title: (-len(title), title))),
        tuple(sorted(needles)),
    )


def _asked_fields(note: Note) -> list[tuple[str, str]]:
    """The question and answer side of a card, as (field, text): what the learner recalls."""
    if isinstance(note, BasicNote):
        return [("front", note.front), ("back", note.back)]
    if isinstance(note, ClozeNote):
        return [("text", _plain(note.text))]
    if isinstance(note, McqNote):
        return [("question", note.question)] + [
            (f"choices[{index}]", choice) for index, choice in enumerate(note.choices)
        ]
    return []


def _aside(note: Note) -> str:
    """The extra (or a multiple choice's explanation): where a card explains itself."""
    return getattr(note, "extra", None) or getattr(note, "explanation", None) or ""


def publisher_in_prompt(note: Note, names: PublisherNames) -> Iterator[CardWarning]:
    """An aspirant is examined on the fact, not on who printed it: naming the publisher in the
    question or answer makes it part of what is recalled. Only where sources disagree (and the
    extra says so) must the card say whose the claim is."""
    fields = _asked_fields(note)
    if not names.may_name("\n".join(text for _, text in fields)):
        return  # the common case, told by one look at the card's text
    if _holds(_aside(note), DISAGREEMENT_HINTS, _DISAGREEMENT_RE):
        return
    for field, text in fields:
        found = names.search(text)
        if found is None:
            found = _holds(text, ATTRIBUTION_HINTS, _ATTRIBUTION_RE)
        if found:
            yield _warning(
                note,
                field,
                "publisher-in-prompt",
                f"names its source ({found.strip()!r}) in the {field.split('[')[0]}; "
                "ask the fact and leave the publisher to the citation (name it on the card only "
                "where sources disagree, and say so in the extra)",
            )
            return


def _holds(text: str, hints: Sequence[str], pattern: re.Pattern[str]) -> str | None:
    """What `pattern` finds in `text`, looked for only if `text` holds one of the `hints`."""
    if not any(map(text.lower().__contains__, hints)):
        return None
    found = pattern.search(text)
    return found.group(0) if found else None


def yes_no(note: Note) -> Iterator[CardWarning]:
    """A question answered by yes or no is a coin toss: recall is not tested."""
    if not isinstance(note, BasicNote):
        return
    words = note.front.lower().split()
    asks = bool(words) and words[0] in AUXILIARIES and " or " not in f" {note.front.lower()} "
    if asks or _YES_NO_ANSWER_RE.match(note.back):
        yield _warning(
            note,
            "front" if asks else "back",
            "yes-no",
            "is answered by yes or no (a 50 % guess); ask for the fact itself",
        )


def self_answering(note: Note) -> Iterator[CardWarning]:
    """An answer the question already spells out is read, not recalled."""
    if note.type == "reverse":
        assert isinstance(note, BasicNote)
        shared = _shared(_answer_words(note.front), note.back)
        if shared:
            yield _warning(
                note,
                "back",
                "self-answering",
                f"the back repeats the front's {sorted(shared)[0]!r}, so the reverse card's "
                "prompt gives its answer away; describe it without the name's words",
            )
    elif isinstance(note, BasicNote):
        answer = _answer_words(note.back)
        shared = _shared(answer, note.front)
        if answer and len(shared) >= SELF_ANSWER_SHARE * len(answer):
            yield _warning(
                note,
                "back",
                "self-answering",
                f"the question already holds the answer's {sorted(shared)[0]!r}; ask without it",
            )
    elif isinstance(note, ClozeNote):
        yield from _self_answering_cloze(note)


def _shared(words: set[str], text: str) -> set[str]:
    """Those of `words` among `text`'s answer words. A word found nowhere in `text` (a key
    word is a prefix of the word it comes from) needs no look at `text`'s words."""
    lowered = text.lower()
    if not any(map(lowered.__contains__, words)):
        return set()
    return words & _answer_words(text)


def _self_answering_cloze(note: ClozeNote) -> Iterator[CardWarning]:
    parts = _CLOZE_PART_RE.split(note.text)  # text, number, answer, text, number, answer, ...
    around = _answer_words(" ".join(parts[0::3]))
    deletions = [
        (parts[at], parts[at + 1], _answer_words(parts[at + 1])) for at in range(1, len(parts), 3)
    ]
    for number, answer, words in deletions:
        shown = around.union(*(other for n, _, other in deletions if n != number))
        if words and words <= shown:
            yield _warning(
                note,
                "text",
                "self-answering",
                f"the deletion {answer!r} (c{number}) is spelt out in the rest of the "
                "text; hide it there too, or reword",
            )
            return


_CLOZE_PART_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::.*?)?\}\}", re.DOTALL)


def _answer_words(text: str) -> set[str]:
    """Key words and numbers (`8.55` as 8 and 55, `three`): an answer's figure is its substance."""
    words = set(map(_answer_word, tokens(text)))
    words.discard("")
    return words


@cache
def _answer_word(token: str) -> str:
    """A token as an answer word ('' for a stop word); cached, as a bank repeats its words."""
    word = token.lower()
    if word.isdigit() or word in NUMBERS:
        return word
    return "" if word in STOP_WORDS or len(word) <= 2 else _singular(word)


NUMBERS = frozenset(
    re.findall(
        r"\w+", "one two three four five six seven eight nine ten eleven twelve first second"
    )
)


def essay_prompt(note: Note) -> Iterator[CardWarning]:
    """'Discuss', 'examine', '250 words': an essay cannot be graded as one recalled fact."""
    if isinstance(note, BasicNote) and note.type == "basic":
        field, text = "front", note.front
    elif isinstance(note, McqNote):
        field, text = "question", note.question
    else:
        return
    lowered = text.lower()
    found = _ESSAY_RE.search(text) if any(map(lowered.__contains__, ESSAY_HINTS)) else None
    if found:
        yield _warning(
            note,
            field,
            "essay-prompt",
            f"asks for an essay ({found.group(0).strip(' .:;?!)')!r}), not a fact; "
            "make atomic cards of its points",
        )


def _absolute(text: str) -> bool:
    return bool(ABSOLUTES.intersection(_WORD_RE.findall(text.lower()))) or bool(
        _ABSOLUTE_PHRASE_RE.search(text)
    )


def _hedged(text: str) -> bool:
    return bool(HEDGES.intersection(_WORD_RE.findall(text.lower())))


def giveaway_option(note: Note) -> Iterator[CardWarning]:
    """Cues beyond stem-echo and hedged-option that single out the right option: a question
    word hidden inside the right option's word (crime, cybercrime), absolute wording only the
    right option has or only it lacks, and in a numbered-statements question, absolute wording
    only in false statements or hedges only in true ones."""
    if not isinstance(note, McqNote):
        return
    yield from _part_echo(note)
    yield from _absolute_option(note)
    yield from _statement_cues(note)


def _part_echo(note: McqNote) -> Iterator[CardWarning]:
    """A question word that an option's compound starts or ends with: crime, cybercrime."""
    stem = {word for word in key_words(note.question) if len(word) >= 4}
    parts = tuple(stem)

    def echoes(choice: str) -> set[str]:
        words = set(key_words(choice))
        compounds = {word for word in words if word.startswith(parts) or word.endswith(parts)}
        return compounds | (words & stem)

    linked = [echoes(choice) for choice in note.choices]
    right = linked[note.answer]
    alone = not any(words for index, words in enumerate(linked) if index != note.answer)
    plain = stem.intersection(key_words(note.choices[note.answer]))  # stem-echo's to report
    if right and alone and not plain:
        yield _warning(
            note,
            f"choices[{note.answer}]",
            "giveaway-option",
            f"only the right option's {sorted(right)[0]!r} echoes a word of the question; "
            "reword, or let a distractor echo it too",
        )


def _absolute_option(note: McqNote) -> Iterator[CardWarning]:
    if len(note.choices) < MIN_HEDGE_CHOICES:
        return
    marked = [_absolute(choice) for choice in note.choices]
    others = [flag for index, flag in enumerate(marked) if index != note.answer]
    if marked[note.answer] and not any(others):
        how = "is the only one in absolute terms"
    elif not marked[note.answer] and all(others):
        how = "is the only one not in absolute terms (always, never, by itself...)"
    else:
        return
    yield _warning(
        note,
        f"choices[{note.answer}]",
        "giveaway-option",
        f"the right option {how}; word the options alike",
    )


def _statement_cues(note: McqNote) -> Iterator[CardWarning]:
    statements = {int(number): text for number, text in _STATEMENT_RE.findall(note.question)}
    right = note.choices[note.answer]
    if len(statements) < 2 or not _STATEMENT_CHOICE_RE.fullmatch(right):
        return
    true = {int(number) for number in re.findall(r"\d+", right)}
    if re.search(r"\ball\b", right, re.IGNORECASE):
        true = set(statements)
    false = set(statements) - true
    absolute = {number for number, text in statements.items() if _absolute(text)}
    hedged = {number for number, text in statements.items() if _hedged(text)}
    if absolute and absolute <= false and true:
        cue = f"only false statements are in absolute terms ({min(absolute)})"
    elif hedged and hedged <= true and false:
        cue = f"only true statements are hedged ({min(hedged)})"
    else:
        return
    yield _warning(
        note,
        "question",
        "giveaway-option",
        f"{cue}: a test-wise guess finds the key; word true and false statements alike",
    )


def copied_runs(note: Note, sources: Sources) -> Iterator[CardWarning]:
    """A card that repeats an article's words is a copy, not a fact in our words."""
    fields = _visible_fields(note)
    if not sources.touches("\n".join(text for _, text in fields)):
        return  # the common case, told by one look at the card's text
    for field, text in fields:
        found = sources.find(text)
        if found is None:
            continue
        run = " ".join(found.words)
        how = (
            f"{len(found.words)} words in order"
            if not found.changed
            else f"{len(found.words)} words with only {found.changed} changed"
        )
        yield _warning(
            note,
            field,
            "copied-run",
            f"copies {how} from {found.source} ({run!r}); say it in your own words",
        )


def _visible_fields(note: Note) -> list[tuple[str, str]]:
    fields = _asked_fields(note)
    aside = "explanation" if isinstance(note, McqNote) else "extra"
    text = _aside(note)
    return [*fields, (aside, text)] if text else fields


# -- the whole bank -------------------------------------------------------------------------

NoteRule = Callable[[Note], Iterator[CardWarning]]
NOTE_RULES: dict[str, NoteRule] = {
    "long-answer": long_answer,
    "list-answer": list_answer,
    "long-option": long_option,
    "stem-echo": stem_echo,
    "hedged-option": hedged_option,
    "yes-no": yes_no,
    "self-answering": self_answering,
    "essay-prompt": essay_prompt,
    "giveaway-option": giveaway_option,
}
RULES = (
    *NOTE_RULES,
    "answer-skew",
    "near-duplicate",
    "source-question",
    "publisher-in-prompt",
    "copied-run",
)
"""Every rule name, as printed in brackets and as used under a card's `quiet:`."""


def check(bank: Bank, sources: Sources | None = None) -> list[CardWarning]:
    """Every warning for the bank, in file order; silenced ones left out. `sources` (the
    articles' texts) turns on `copied-run`."""
    publishers = publisher_words(bank)
    names = publisher_names(bank)
    found: list[CardWarning] = []
    for note in bank.notes:
        for rule in NOTE_RULES.values():
            found.extend(rule(note))
        about_sources = list(source_question(note, publishers))
        found.extend(about_sources)
        if not about_sources:  # a card asking about its sources is one fault, said once
            found.extend(publisher_in_prompt(note, names))
        if sources is not None:
            found.extend(copied_runs(note, sources))
    counted = [note for note in bank.notes if "answer-skew" not in note.quiet]
    found.extend(answer_skew(counted))
    found.extend(near_duplicates(bank.notes))
    quiet = {note.id: note.quiet for note in bank.notes}
    return sorted(warning for warning in found if warning.rule not in quiet[warning.note_id])
