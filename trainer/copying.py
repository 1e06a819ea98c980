"""Runs of words copied from the articles a bank is written from (`trainer check --sources`).

A card should carry a source's facts in its own words. Two kinds of copying are found, after
folding away what a copy changes without rewording (case, punctuation, digit grouping, articles,
list markers such as `(a)`, British and American spellings):

- an exact run: RUN_WORDS or more words in the source's order;
- a near run: NEAR_WORDS words in which at most NEAR_CHANGES differ from the source's (a word
  swapped, added or dropped here and there).

A run made mostly of names and figures (NAME_SHARE of its words capitalised or numbers, as in
`G20, Commonwealth, United Nations and International Solar Alliance`) is a list of facts, not
prose, and is not counted.

Both are found by shingle hashing, never by comparing every card with every sentence: the
sources' RUN_WORDS-word runs go into one set, and each of their ANCHOR_WORDS-word runs into a
map to where it occurs. A card's words are looked up run by run; only where an anchor matches is
the card aligned with the source around it. NEAR_WORDS words with NEAR_CHANGES changes always
keep an unchanged stretch of ANCHOR_WORDS (10 unchanged words fall into at most 3 stretches), so
no near run is missed. The work grows with the cards' length plus the anchors they hit, and
anchors found in more than COMMON_ANCHOR places (stock phrases) are not followed.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

ANCHOR_WORDS = 4
RUN_WORDS = 2 * ANCHOR_WORDS
"""An exact run is looked up as its two anchor-long halves."""
NEAR_WORDS = 12
NEAR_CHANGES = 2
COMMON_ANCHOR = 20
SHIFT = 1
"""A word added or dropped moves the rest of a near run this many places along the source."""
NAME_SHARE = 3 / 4

_DIGIT_GROUP_RE = re.compile(r"(?<=\d)[,’'](?=\d)")
_POSSESSIVE_RE = re.compile(r"['’]s\b")
_TAG_RE = re.compile(r"<[^>]+>")
DROPPED = frozenset({"a", "an", "the", "ii", "iii", "iv", "vi", "vii", "viii"})
"""Articles and list markers: a copy keeps or drops them freely (single letters go too)."""
SPELLINGS = (
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{2})tre(s)?$"), r"ter\1"),
    (re.compile(r"^(defen|licen|offen)ce"), r"\1se"),
    (re.compile(r"^sceptic"), "skeptic"),
    (re.compile(r"^programme"), "program"),
    (re.compile(r"^adviser"), "advisor"),
    (re.compile(r"(?<=[a-z]{3})lled$"), "led"),
    (re.compile(r"(?<=[a-z]{3})lling$"), "ling"),
)
"""British and American spellings folded to one form (both sides alike, so a fold that also
touches an unrelated word only ever makes two different words look alike, never the reverse)."""


def fold(text: str) -> list[str]:
    """The words of `text` as compared: lower case, `7,328` as `7328`, `$` as `usd`,
    possessives, articles and list markers dropped, spellings folded."""
    return [word for word, _ in _folded(text)]


def _folded(text: str) -> list[tuple[str, bool]]:
    """`fold`'s words, each with whether it was a name or a figure (capitalised, or digits)."""
    return [
        (word, token[0].isupper() or token[0].isdigit())
        for token in tokens(text)
        if (word := _fold_token(token))
    ]


def _fast_fold(text: str) -> list[str]:
    """`fold` without the name flags: the common case, a card that copies nothing."""
    return list(filter(None, map(_fold_token, tokens(text))))


def tokens(text: str) -> list[str]:
    """The words of `text` as written (case kept): runs of ASCII letters and digits, decimals
    whole (`8.55`); `$` becomes `USD`, possessives and digit-group marks go."""
    if "$" in text:
        text = text.replace("$", " USD ")
    if "'" in text or "’" in text:
        text = _POSSESSIVE_RE.sub("", text)
    if "," in text or "'" in text or "’" in text:
        text = _DIGIT_GROUP_RE.sub("", text)
    return _TOKEN_RE.findall(text)


_TOKEN_RE = re.compile(r"\d+(?:\.\d+)+|[A-Za-z0-9]+")


@functools.cache
def _fold_token(token: str) -> str:
    """A token as compared ('' when dropped); cached, as a bank repeats its words."""
    word = token.lower()
    if word in DROPPED or (len(word) == 1 and not word.isdigit()):
        return ""
    return _spelling(word)


def _anchors(words: Sequence[str]) -> list[int]:
    """The hash of each ANCHOR_WORDS-word run of `words`, by where it starts."""
    runs = zip(*(words[shift:] for shift in range(ANCHOR_WORDS)), strict=False)
    return list(map(hash, runs))


def _runs(anchors: Sequence[int]) -> list[tuple[int, int]]:
    """Each RUN_WORDS-word run, as the hashes of its two anchor-long halves."""
    return list(zip(anchors, anchors[RUN_WORDS - ANCHOR_WORDS :], strict=False))


def _names(flags: Sequence[bool]) -> bool:
    return sum(flags) >= NAME_SHARE * len(flags)


def _spelling(word: str) -> str:
    for pattern, replacement in SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def article_text(raw: str) -> str:
    """An article file's text: a JSON export (a WordPress post, say) is read as its strings,
    with HTML tags dropped and entities decoded; anything else as it is."""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    return "\n".join(html.unescape(_TAG_RE.sub(" ", text)) for text in _strings(data))


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@dataclass(frozen=True)
class Copy:
    """A run of a card's text found in a source: `words` of the card, `changed` of them not
    the source's, `source` the article's name."""

    source: str
    words: tuple[str, ...]
    changed: int


@dataclass
class Sources:
    """The articles' folded words, indexed by their runs: `anchors` maps the hash of each
    ANCHOR_WORDS-word run to where it occurs, `runs` each RUN_WORDS-word run (as the hashes of
    its two halves) to its article."""

    names: list[str] = field(default_factory=list)
    words: list[list[str]] = field(default_factory=list)
    runs: dict[tuple[int, int], int] = field(default_factory=dict)
    anchors: defaultdict[int, list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def of(cls, articles: Iterable[tuple[str, str]]) -> Sources:
        """Index `(name, text)` pairs."""
        sources = cls()
        for name, text in articles:
            sources.add(name, text)
        return sources

    def add(self, name: str, text: str) -> None:
        index = len(self.names)
        words = fold(text)
        self.names.append(name)
        self.words.append(words)
        anchors = _anchors(words)
        for run in _runs(anchors):
            self.runs.setdefault(run, index)
        for start, anchor in enumerate(anchors):
            self.anchors[anchor].append((index, start))

    def touches(self, text: str) -> bool:
        """Whether `text` shares an anchor-long run with a source: without one, it holds no
        copy (two set operations tell most texts)."""
        return not self.anchors.keys().isdisjoint(_anchors(_fast_fold(text)))

    def find(self, text: str) -> Copy | None:
        """The longest exact run of `text` found in a source, else a near run, else None."""
        words = _fast_fold(text)
        anchors = _anchors(words)
        exact = not self.runs.keys().isdisjoint(_runs(anchors))
        near = len(words) >= NEAR_WORDS and not self.anchors.keys().isdisjoint(anchors)
        if not (exact or near):
            return None
        flags = [flag for _, flag in _folded(text)]
        return (self._exact(words, anchors, flags) if exact else None) or (
            self._near(words, anchors, flags) if near else None
        )

    def _exact(
        self, words: Sequence[str], anchors: Sequence[int], flags: Sequence[bool]
    ) -> Copy | None:
        runs = _runs(anchors)
        best: Copy | None = None
        start = 0
        while start < len(runs):
            source = self.runs.get(runs[start])
            if source is None:
                start += 1
                continue
            end = start + 1
            while end < len(runs) and runs[end] in self.runs:
                end += 1
            span = slice(start, end - 1 + RUN_WORDS)
            if (best is None or end - start + RUN_WORDS - 1 > len(best.words)) and not _names(
                flags[span]
            ):
                best = Copy(self.names[source], tuple(words[span]), 0)
            start = end
        return best

    def _near(
        self, words: Sequence[str], anchors: Sequence[int], flags: Sequence[bool]
    ) -> Copy | None:
        seen: set[tuple[int, int]] = set()
        for start, anchor in enumerate(anchors):
            places = self.anchors.get(anchor, ())
            if len(places) > COMMON_ANCHOR:
                continue
            for source, place in places:
                offset = place - start
                if (source, offset) in seen:
                    continue
                seen.add((source, offset))
                found = self._aligned(words, flags, source, offset, start)
                if found:
                    return found
        return None

    def _aligned(
        self, words: Sequence[str], flags: Sequence[bool], source: int, offset: int, anchor: int
    ) -> Copy | None:
        """A window of NEAR_WORDS card words around `anchor` matching the source at `offset`
        (give or take SHIFT places) in all but NEAR_CHANGES words."""
        text = self.words[source]
        low = max(0, anchor - NEAR_WORDS + ANCHOR_WORDS)
        high = min(len(words), anchor + NEAR_WORDS)
        hits = [
            any(
                0 <= at + offset + shift < len(text) and text[at + offset + shift] == words[at]
                for shift in range(-SHIFT, SHIFT + 1)
            )
            for at in range(low, high)
        ]
        for first in range(len(hits) - NEAR_WORDS + 1):
            matched = sum(hits[first : first + NEAR_WORDS])
            span = slice(low + first, low + first + NEAR_WORDS)
            if matched >= NEAR_WORDS - NEAR_CHANGES and not _names(flags[span]):
                return Copy(self.names[source], tuple(words[span]), NEAR_WORDS - matched)
        return None
