"""Facts, not who printed them: cards asking about their sources, naming a publisher, or
copying an article's words."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from trainer.copying import Sources
from trainer.model import Source
from trainer.notetypes import NOTE_TYPES
from trainer.quality.analysis import Card
from trainer.quality.text import Hints, Pieces, key_words
from trainer.quality.warning import CardWarning, warn

_SOURCE_QUESTION_RE = re.compile(
    r"\b(?:which|what)\s+(?:(?:two|other|one)\s+)?"
    r"(?:sources?|outlets?|websites?|sites?|publishers?|reports?|articles?(?!\s+of\b))\b"
    r"|\b(?:do|did|does)\s+the\s+sources\b"
    r"|\bhow\s+do\s+\S+(?:\s+\S+){0,3}\s+and\s+\S+(?:\s+\S+){0,3}\s+(?:differ|compare)\b",
    re.IGNORECASE,
)
"""A question about the sources. An article of a constitution, a treaty or an act (`Which
Article of the Constitution ...`) is a fact to learn, not a news article."""
_SOURCE_QUESTION_HINTS = Hints(("which", "what", "sources", "how"), ignorecase=True)
"""Words one of which every match of the pattern holds."""
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
_ATTRIBUTION = Hints(ATTRIBUTION_HINTS, ignorecase=False)
_DISAGREEMENT = Hints(DISAGREEMENT_HINTS, ignorecase=False)


@dataclass(frozen=True)
class Publishers:
    """Each source's publisher and the key words that name it (`words`), and their union."""

    words: dict[str, frozenset[str]]
    any_word: frozenset[str]
    longest: int
    """The most key words a publisher's name has: a longer answer says more than a name."""

    @classmethod
    def of(cls, sources: Iterable[Source]) -> Publishers:
        words = {
            source.publisher: frozenset(key_words(source.publisher)) | {"editorial"}
            for source in sources
        }
        longest = max(map(len, words.values()), default=0)
        return cls(words, frozenset().union(*words.values()), longest)


def source_question(card: Card, publishers: Publishers, out: list[CardWarning]) -> bool:
    """Candidates are examined on facts, not on which website said them. An answer made only
    of a publisher's words is that publisher's name, not a fact that mentions it. Whether it
    warned."""
    prompt = card.prompt
    if _SOURCE_QUESTION_HINTS.in_any(prompt.pieces) and _SOURCE_QUESTION_RE.search(prompt.text):
        out.append(
            warn(
                card.note,
                card.asked[0][0],
                "source-question",
                "asks about the sources, not the fact; ask the fact "
                "and note any disagreement between sources in the extra, citing both",
            )
        )
        return True
    answers = [
        keys
        for answer in card.answers
        if len(answer.pieces) <= publishers.longest
        and (keys := answer.keys)
        and keys <= publishers.any_word  # most answers name no publisher: one test
    ]
    if not answers:
        return False
    named = [name for name, words in publishers.words.items() if any(a <= words for a in answers)]
    if named:
        out.append(
            warn(
                card.note,
                card.asked[0][0],
                "source-question",
                f"its answer is a source ({named[0]}), not a fact; ask the fact instead",
            )
        )
    return bool(named)


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


def _marks(words: tuple[str, ...], starts: tuple[str, ...]) -> Pieces:
    """What each piece of text (no white space) holds of a bank's names, worked out once per
    distinct piece: `NAMED` where it holds a one-word name or hint (`words`), else the first
    words of phrases (`starts`) it holds. Both lower-cased."""

    def marks(piece: str) -> tuple[str, ...]:
        lowered = piece.lower()
        if any(word in lowered for word in words):
            return NAMED
        return tuple(start for start in starts if start in lowered)

    return Pieces(marks)


NAMED = (" ",)
"""The mark of a piece that holds a one-word name: no phrase's first word is white space."""


@dataclass(frozen=True, eq=False)
class PublisherNames:
    """Every way the bank's sources may be named on a card: each publisher's forms (in the case
    written: 'NEXT IAS', not 'next'; longest first) and titles (lower-cased, matched in any
    case). A form is looked for as a substring, and only where found checked for its word
    boundaries: most texts name no source."""

    forms: tuple[tuple[str, re.Pattern[str]], ...]
    titles: tuple[str, ...]
    phrases: dict[str, list[str]]
    """Every form and title, and the attribution hints, lower-cased, that is more than one
    word, by their first word: a text holds one of them only where one of its words holds
    that first word."""
    marks: Pieces
    """Which of the others (one word each) and of the phrases' first words each word of a
    text holds: a text holds a one-word one where one of its words does."""

    @classmethod
    def of(cls, sources: Iterable[Source]) -> PublisherNames:
        sources = list(sources)
        forms = {form for source in sources for form in _name_forms(source.publisher)}
        titles = {title.lower() for source in sources if (title := source.title.strip())}
        needles = {form.lower() for form in forms} | titles | set(ATTRIBUTION_HINTS)
        words = {needle for needle in needles if needle.split() == [needle]}
        phrases_by_start: defaultdict[str, list[str]] = defaultdict(list)
        for phrase in sorted(needles - words):
            phrases_by_start[phrase.split()[0]].append(phrase)
        return cls(
            tuple(
                (form, re.compile(rf"\b{re.escape(form)}\b"))
                for form in sorted(forms, key=lambda form: (-len(form), form))
            ),
            tuple(sorted(titles, key=lambda title: (-len(title), title))),
            dict(phrases_by_start),
            _marks(tuple(sorted(words)), tuple(phrases_by_start)),
        )

    def may_name(self, card: Card) -> bool:
        """Whether the question or answer side of `card` (lower-cased) holds a form, a title
        or an attribution hint: where none does (most cards), the card names no source."""
        starts = self.marks.set_of(card.pieces)
        if not starts:
            return False
        if NAMED[0] in starts:
            return True
        lowered = "\n".join([text.lower for _, text in card.asked])
        return any(phrase in lowered for start in starts for phrase in self.phrases[start])

    def search(self, text: str, lowered: str) -> str | None:
        for form, bounded in self.forms:
            if form in text and bounded.search(text):
                return form
        if self.titles and any(map(lowered.__contains__, self.titles)):
            return next(title for title in self.titles if title in lowered)
        return None


def publisher_in_prompt(card: Card, names: PublisherNames, out: list[CardWarning]) -> None:
    """An aspirant is examined on the fact, not on who printed it: naming the publisher in the
    question or answer makes it part of what is recalled. Only where sources disagree (and the
    extra says so) must the card say whose the claim is."""
    if not names.may_name(card):
        return  # the common case, told by one look at the card's text
    if _holds(card.aside, card.aside.split(), _DISAGREEMENT, _DISAGREEMENT_RE):
        return
    for field, text in card.asked:
        found = names.search(text.text, text.lower)
        if found is None:
            found = _holds(text.text, text.pieces, _ATTRIBUTION, _ATTRIBUTION_RE)
        if found:
            message = (
                f"names its source ({found.strip()!r}) in the {field.split('[')[0]}; ask the "
                "fact and leave the publisher to the citation (name it on the card only where "
                "sources disagree, and say so in the extra)"
            )
            out.append(warn(card.note, field, "publisher-in-prompt", message))
            return


def _holds(text: str, pieces: list[str], hints: Hints, pattern: re.Pattern[str]) -> str | None:
    """What `pattern` finds in `text` (split into `pieces`), looked for only if `text` holds
    one of the `hints`."""
    if not hints.in_any(pieces):
        return None
    found = pattern.search(text)
    return found.group(0) if found else None


def copied_runs(card: Card, sources: Sources, out: list[CardWarning]) -> None:
    """A card that repeats an article's words is a copy, not a fact in our words."""
    fields = [(field, text.text) for field, text in card.asked]
    if card.aside:
        fields.append((NOTE_TYPES[card.note.type].aside, card.aside))
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
        out.append(
            warn(
                card.note,
                field,
                "copied-run",
                f"copies {how} from {found.source} ({run!r}); say it in your own words",
            )
        )
