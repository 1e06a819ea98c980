"""The card-quality rules' names (`trainer.quality`): printed in brackets after each warning and
written under a card's `quiet:`, where the bank's validator checks them. Here, not with the
rules, so that reading a bank does not import the rules (a quarter of `import trainer.bank`)."""

from __future__ import annotations

RULES = (
    "long-answer",
    "list-answer",
    "long-option",
    "stem-echo",
    "hedged-option",
    "yes-no",
    "self-answering",
    "essay-prompt",
    "giveaway-option",
    "answer-skew",
    "near-duplicate",
    "source-question",
    "publisher-in-prompt",
    "copied-run",
)
"""Every rule name, as printed in brackets and as used under a card's `quiet:`."""
