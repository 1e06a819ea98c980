"""A question that asks for one recalled fact: not a coin toss, not an essay."""

from __future__ import annotations

import re

from trainer.quality.analysis import BasicCard, Card
from trainer.quality.text import Hints
from trainer.quality.warning import CardWarning, warn

AUXILIARIES = frozenset(
    re.findall(
        r"\S+",
        "is are was were am do does did can could will would shall should has have had may "
        "might must isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't "
        "wouldn't shouldn't hasn't haven't hadn't",
    )
)
"""A question opening with one of these (and offering no `or`) is answered by yes or no."""
ESSAY_HINTS = (
    *re.findall(
        r"\w+",
        "discuss examin analy evaluat assess comment elucidat justif judg "
        "critiq elaborat explain extent word mains",
    ),
)
"""Stems one of which an essay question holds: most questions are cleared by these alone."""
_ESSAY = Hints(ESSAY_HINTS, ignorecase=False)

_YES_NO_ANSWER_RE = re.compile(r"^\s*(?:yes|no)\s*(?:[.,:;!—–-]|$)", re.IGNORECASE)
_ESSAY_RE = re.compile(
    r"(?:^|[.:;?!)]\s*)(?:critically\s+)?(?:discuss|examine|analy[sz]e|evaluate|assess|"
    r"comment(?:\s+on)?|elucidate|justify|judge|critique|elaborate|explain\s+(?:why|how))\b"
    r"|\bto\s+what\s+extent\b|\b\d+\s*words?\b|\bmains\s+(?:practice|question)\b",
    re.IGNORECASE,
)


def yes_no(card: BasicCard, out: list[CardWarning]) -> None:
    """A question answered by yes or no is a coin toss: recall is not tested."""
    pieces = card.front.pieces
    asks = (
        bool(pieces) and pieces[0].lower() in AUXILIARIES and " or " not in f" {card.front.lower} "
    )
    if asks or _YES_NO_ANSWER_RE.match(card.note.back):
        out.append(
            warn(
                card.note,
                "front" if asks else "back",
                "yes-no",
                "is answered by yes or no (a 50 % guess); ask for the fact itself",
            )
        )


def essay_prompt(card: Card, out: list[CardWarning]) -> None:
    """'Discuss', 'examine', '250 words': an essay cannot be graded as one recalled fact."""
    prompt = card.prompt
    found = _ESSAY_RE.search(prompt.text) if _ESSAY.in_any(prompt.pieces) else None
    if found:
        out.append(
            warn(
                card.note,
                card.asked[0][0],
                "essay-prompt",
                f"asks for an essay ({found.group(0).strip(' .:;?!)')!r}), not a fact; "
                "make atomic cards of its points",
            )
        )
