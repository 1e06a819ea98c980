"""One fact per card, recalled and not read: rules on the answer side of basic and cloze cards."""

from __future__ import annotations

import re

from trainer.notetypes.reverse import ReverseNote
from trainer.quality.analysis import BasicCard, ClozeCard, Text
from trainer.quality.text import answer_words
from trainer.quality.warning import CardWarning, warn

LONG_ANSWER_WORDS = 18
"""An answer of this many words or more holds more than one fact to recall."""
LIST_ITEMS = 3
LIST_ITEM_WORDS = 6
"""An answer of LIST_ITEMS or more short items (LIST_ITEM_WORDS words at most) is a list."""
PROSE_OPENERS = frozenset(
    re.findall(
        r"\w+", "so which who whom because when while that to as but with rather making since than"
    )
)
"""A part of an answer opening with one of these continues a sentence: it is no list item."""
SELF_ANSWER_SHARE = 2 / 3
"""An answer this much of whose key words the question already holds is read off the question."""

_LIST_SPLIT_RE = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*")
_PAREN_RE = re.compile(r"\([^()]*\)")


def long_answer(card: BasicCard, out: list[CardWarning]) -> None:
    """A back of many words asks for several facts at once: the learner half-recalls it."""
    words = len(card.back.pieces)
    if words >= LONG_ANSWER_WORDS:
        out.append(
            warn(
                card.note,
                "back",
                "long-answer",
                f"the answer has {words} words; keep one fact per card "
                f"(under {LONG_ANSWER_WORDS} words), or split it",
            )
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


def list_answer(card: BasicCard, out: list[CardWarning]) -> None:
    """A list on the back of a card is recalled in pieces and graded all-or-nothing."""
    back = card.note.back
    if "," not in back and ";" not in back:
        return  # no list without a comma or a semicolon (what `list_items` looks for first)
    items = list_items(back.rstrip("."))
    if items and all(_is_item(item) for item in items):
        out.append(
            warn(
                card.note,
                "back",
                "list-answer",
                f"the answer lists {len(items)} items; make it a cloze with one deletion per item",
            )
        )


def self_answering(card: BasicCard, out: list[CardWarning]) -> None:
    """An answer the question already spells out is read, not recalled."""
    if isinstance(card.note, ReverseNote):
        shared = _shared(card.front.answer_words, card.back)
        if shared:
            out.append(
                warn(
                    card.note,
                    "back",
                    "self-answering",
                    f"the back repeats the front's {sorted(shared)[0]!r}, so the reverse card's "
                    "prompt gives its answer away; describe it without the name's words",
                )
            )
        return
    answer = card.back.answer_words
    shared = _shared(answer, card.front)
    if answer and len(shared) >= SELF_ANSWER_SHARE * len(answer):
        out.append(
            warn(
                card.note,
                "back",
                "self-answering",
                f"the question already holds the answer's {sorted(shared)[0]!r}; ask without it",
            )
        )


def _shared(words: set[str], text: Text) -> set[str]:
    """Those of `words` among `text`'s answer words. A word found nowhere in `text` (a key
    word is a prefix of the word it comes from) needs no look at `text`'s words."""
    if not any(map(text.lower.__contains__, words)):
        return set()
    return words & text.answer_words


def self_answering_cloze(card: ClozeCard, out: list[CardWarning]) -> None:
    """A deletion whose words the rest of the text spells out is read, not recalled."""
    parts = card.parts  # text, number, answer, text, number, answer...
    around = answer_words(" ".join(parts[0::3]))
    deletions = [
        (parts[at], parts[at + 1], answer_words(parts[at + 1])) for at in range(1, len(parts), 3)
    ]
    for number, answer, words in deletions:
        shown = around.union(*(other for n, _, other in deletions if n != number))
        if words and words <= shown:
            out.append(
                warn(
                    card.note,
                    "text",
                    "self-answering",
                    f"the deletion {answer!r} (c{number}) is spelt out in the rest of the "
                    "text; hide it there too, or reword",
                )
            )
            return
