"""The deck's settings are declared once (`trainer.core.deck_settings`, #25): the bank's model,
the store and the validator hold the same settings, in the same order, with the same defaults
and bounds."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from tests.test_validate import edit, problems
from trainer.bank import parse_bank
from trainer.core.deck_settings import COUNT, DAYS, DECK_SETTINGS, HOUR, PROBABILITY
from trainer.model import Deck
from trainer.store.banks import DeckSettings, by_id
from trainer.store.mirror import mirror_bank
from trainer.validate_deck import DECK_FIELDS

EVERY_SETTING = """\
  new_per_day: 7
  reviews_per_day: 70
  day_starts_at: 6
  scheduler: fsrs
  desired_retention: 0.85
  redrill_after: 5
  exam: 2027-05-24
  exam_window: 9
"""


def with_settings(text: str) -> str:
    return edit("  name: Test Deck\n", "  name: Test Deck\n" + text)


def test_the_model_the_store_and_the_validator_hold_the_cores_settings() -> None:
    identity = {"name", "id", "description", "exam_line"}
    assert tuple(field.name for field in fields(Deck) if field.name not in identity) == tuple(
        DECK_SETTINGS
    )
    assert DeckSettings._fields == (*DECK_SETTINGS, "today_only")
    assert tuple(DECK_FIELDS) == ("name", "id", "description", *DECK_SETTINGS)


def test_a_deck_that_sets_nothing_has_the_cores_defaults() -> None:
    plain = DeckSettings()
    exam = DeckSettings(exam=date(2027, 5, 24)).exam_plan
    assert exam is not None and plain.exam_plan is None
    resolved = {
        "new_per_day": plain.new_limit(),
        "reviews_per_day": plain.review_limit(),
        "day_starts_at": plain.day_start_hour,
        "scheduler": plain.choice.scheduler,
        "desired_retention": plain.choice.desired_retention,
        "redrill_after": plain.limits().redrill_after,
        "exam": None,
        "exam_window": exam.window,
    }
    assert resolved == {name: default for name, (_, default, _) in DECK_SETTINGS.items()}


def test_every_setting_goes_into_the_store_and_comes_back(fresh_db: sqlite3.Connection) -> None:
    bank = parse_bank(with_settings(EVERY_SETTING), Path("bank.yaml"))
    assert {name: getattr(bank.deck, name) for name in DECK_SETTINGS} == {
        "new_per_day": 7,
        "reviews_per_day": 70,
        "day_starts_at": 6,
        "scheduler": "fsrs",
        "desired_retention": 0.85,
        "redrill_after": 5,
        "exam": date(2027, 5, 24),
        "exam_window": 9,
    }
    stored = by_id(fresh_db, mirror_bank(fresh_db, bank))
    assert stored is not None
    assert stored.settings == DeckSettings(*(getattr(bank.deck, name) for name in DECK_SETTINGS))


BOUNDED = [
    (name, bounds)
    for name, (kind, _, bounds) in DECK_SETTINGS.items()
    if kind in (COUNT, HOUR, DAYS, PROBABILITY) and bounds is not None
]


@pytest.mark.parametrize(("name", "bounds"), BOUNDED, ids=[name for name, _ in BOUNDED])
def test_the_validator_holds_each_setting_to_its_bounds(
    name: str, bounds: tuple[float, float]
) -> None:
    low, high = bounds
    step = 1 if isinstance(high, int) else 0.01
    for value in (low, high):
        deck = parse_bank(with_settings(f"  {name}: {value}\n"), Path("bank.yaml")).deck
        assert getattr(deck, name) == value
    for value in (low - step, high + step):
        found = problems(with_settings(f"  {name}: {round(value, 2)}\n"))
        assert len(found) == 1 and f"deck: {name!r}" in found[0], found
