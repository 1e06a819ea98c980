"""The words the rules read: key words (what a reader matches on) and answer words (key words
and figures), each looked up once per distinct word for the whole bank."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain

from trainer.copying import tokens

WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
"""A word of lower-cased text (an apostrophe inside it kept)."""
CLOZE_PART_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::.*?)?\}\}", re.DOTALL)
"""A deletion's number and answer: splitting on it gives text, number, answer, text, ...
(regular expressions suffice once the validator has parsed the text)."""
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
NUMBERS = frozenset(
    re.findall(
        r"\w+", "one two three four five six seven eight nine ten eleven twelve first second"
    )
)
IGNORECASE_EXTRAS = frozenset("\u0130\u0131\u017f")
"""Characters that a case-insensitive pattern matches to an ASCII letter though `str.lower`
does not give that letter (dotless i, long s), or gives it with a combining mark after it
(dotted capital I): a text holding none of them, and none of a pattern's words once
lower-cased, cannot match it. Written as escapes: no ASCII letter may be among them, or every
text holding that letter would be run through the pattern."""


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class Pieces(dict[str, tuple[str, ...]]):
    """What a rule reads of each whitespace-free piece of text, worked out once per distinct
    piece: a bank repeats its words, and every rule reads the same ones. None of the patterns
    read here matches across white space, so a text reads as its pieces one after another."""

    def __init__(self, read: Callable[[str], tuple[str, ...]]) -> None:
        super().__init__()
        self.read = read
        self._one = _One(self).__getitem__

    def __missing__(self, piece: str) -> tuple[str, ...]:
        found = self[piece] = self.read(piece)
        return found

    def of(self, pieces: list[str]) -> Iterator[str]:
        return chain.from_iterable(map(self.__getitem__, pieces))

    def set_of(self, pieces: list[str]) -> set[str]:
        """What `pieces` hold, as a set: made of each piece's one word at C speed where every
        piece has at most one (most do), chaining the pieces' tuples only where one has more."""
        found = set(map(self._one, pieces))
        if SEVERAL in found:
            return set(self.of(pieces))
        found.discard("")
        return found


class _One(dict[str, str]):
    """Each piece's one word (of a `Pieces`) as a string, worked out once per distinct piece:
    "" where the piece has none, SEVERAL where it has more than one."""

    def __init__(self, pieces: Pieces) -> None:
        super().__init__()
        self.pieces = pieces

    def __missing__(self, piece: str) -> str:
        words = self.pieces[piece]
        found = self[piece] = words[0] if len(words) == 1 else SEVERAL if words else ""
        return found


SEVERAL = "\0"
"""No word: the words read are letters, figures, apostrophes and decimal points."""


def _words(piece: str) -> tuple[str, ...]:
    lowered = piece.lower()
    return tuple(WORD_RE.findall(lowered.replace("’", "'") if "’" in lowered else lowered))


def _key_word(word: str) -> str:
    return "" if word in STOP_WORDS or len(word) <= 2 else singular(word)


def _answer_word(token: str) -> str:
    word = token.lower()
    return word if word.isdigit() or word in NUMBERS else _key_word(word)


WORDS = Pieces(_words)
"""Each piece's words, lower-cased, apostrophes as `'`."""
KEYS = Pieces(lambda piece: tuple(filter(None, map(_key_word, WORDS[piece]))))
"""Each piece's key words: content words, plural -s dropped (what a reader matches on)."""
ANSWER_WORDS = Pieces(lambda piece: tuple(filter(None, map(_answer_word, tokens(piece)))))
"""Each piece's answer words: key words and numbers (`8.55` as 8 and 55, `three`), as an
answer's figure is its substance."""


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, apostrophes as `'`."""
    return list(WORDS.of(text.split()))


def key_words(text: str) -> set[str]:
    """The key words of `text`."""
    return KEYS.set_of(text.split())


def answer_words(text: str) -> set[str]:
    """The answer words of `text`."""
    return ANSWER_WORDS.set_of(text.split())


class Hints(dict[str, bool]):
    """Lower-case strings one of which a text must hold (in any case) for a pattern to match
    it: most texts are cleared by these without running the pattern. A hint holds no white
    space, so a text is tested piece by piece, and each distinct piece once.

    With `ignorecase`, a piece holding a character that a case-insensitive pattern matches to
    an ASCII letter though `str.lower` does not give that letter (IGNORECASE_EXTRAS) passes."""

    def __init__(self, hints: tuple[str, ...], *, ignorecase: bool) -> None:
        super().__init__()
        self.hints = hints
        self.ignorecase = ignorecase

    def __missing__(self, piece: str) -> bool:
        lowered = piece.lower()
        found = any(hint in lowered for hint in self.hints) or (
            self.ignorecase and not IGNORECASE_EXTRAS.isdisjoint(piece)
        )
        self[piece] = found
        return found

    def in_any(self, pieces: list[str]) -> bool:
        """Whether one of `pieces` (a text's `split()`) holds a hint."""
        return any(map(self.__getitem__, pieces))
