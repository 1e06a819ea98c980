"""The validator's reading of the bank's `deck:` section: name, limits, day start, scheduler,
exam (`DeckReader`)."""

from __future__ import annotations

from typing import Any

from yaml.nodes import Node, ScalarNode

from trainer.core.deck_settings import COUNT, DECK_SETTINGS, HOUR, settings_of_kind
from trainer.exam import exam_day
from trainer.model import Deck
from trainer.schedulers import SCHEDULERS
from trainer.validate_nodes import NodeReader, did_you_mean

DECK_FIELDS = {"name": True, "id": False, "description": False} | dict.fromkeys(
    DECK_SETTINGS, False
)
"""The `deck:` section's keys (True: required): the deck's name and identity, its settings."""


def _bounds(setting: str) -> tuple[float, float]:
    bounds = DECK_SETTINGS[setting][2]
    assert bounds is not None, setting
    return bounds


class DeckReader(NodeReader):
    def deck(self, node: Node) -> Deck | None:
        entries = self.fields(node, DECK_FIELDS, "deck")
        if entries is None or "name" not in entries:
            return None
        name = self.text(entries["name"][1], "deck: 'name'")
        deck_id = self.text(entries["id"][1], "deck: 'id'") if "id" in entries else None
        settings: dict[str, Any] = {
            key: self.count(entries[key][1], f"deck: {key!r}")
            for key in settings_of_kind(COUNT)
            if key in entries
        }
        settings |= {
            key: self.hour(entries[key][1], key) for key in settings_of_kind(HOUR) if key in entries
        }
        choice = self.scheduler_choice(entries)
        exam = self.exam(entries)
        invalid_id = "id" in entries and deck_id is None
        if name is None or invalid_id or None in settings.values() or choice is None:
            return None
        if exam is None:
            return None
        exam_settings, exam_line = exam
        return Deck(
            name=name,
            id=deck_id,
            description=self.optional_text(entries, "description", "deck"),
            exam_line=exam_line,
            **settings,
            **choice,
            **exam_settings,
        )

    def hour(self, node: Node, key: str) -> int | None:
        """The hour a setting gives (a count within the setting's bounds, reported if not)."""
        hour = self.count(node, f"deck: {key!r}")
        low, high = _bounds(key)
        if hour is not None and not low <= hour <= high:
            self.report(node, f"deck: {key!r} is an hour {low}-{high}, not {hour}")
        return hour

    def exam(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> tuple[dict[str, Any], int] | None:
        """The exam day and window as given (None: absent), and the exam's line; None if either
        is wrong."""
        day = window = None
        line = 0
        if "exam" in entries:
            node = entries["exam"][1]
            line = node.start_mark.line + 1
            value = self.text(node, "deck: 'exam'")
            if value is None:
                return None
            day = exam_day(value)
            if day is None:
                self.report(
                    node,
                    f"deck: 'exam' is a date like 2027-05-24 (1970-01-02 to 9899-12-31),"
                    f" not {value!r}",
                )
                return None
        if "exam_window" in entries:
            node = entries["exam_window"][1]
            window = self.count(node, "deck: 'exam_window'")
            if window is None:
                return None
            low, high = _bounds("exam_window")
            if not low <= window <= high:
                self.report(node, f"deck: 'exam_window' is {low}-{high} days, not {window}")
                return None
        return {"exam": day, "exam_window": window}, line

    def scheduler_choice(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> dict[str, Any] | None:
        """The scheduler and its desired retention as given (None: absent); None if either is
        wrong."""
        scheduler = retention = None
        if "scheduler" in entries:
            node = entries["scheduler"][1]
            scheduler = self.text(node, "deck: 'scheduler'")
            if scheduler is None:
                return None
            if scheduler not in SCHEDULERS:
                options = " or ".join(repr(option) for option in SCHEDULERS)
                hint = did_you_mean(scheduler.lower(), list(SCHEDULERS))
                self.report(node, f"deck: 'scheduler' is {options}, not {scheduler!r}{hint}")
                return None
        if "desired_retention" in entries:
            retention = self.retention(entries["desired_retention"][1])
            if retention is None:
                return None
        return {"scheduler": scheduler, "desired_retention": retention}

    def retention(self, node: Node) -> float | None:
        what = "deck: 'desired_retention'"
        value = self.text(node, what)
        if value is None:
            return None
        try:
            retention = float(value)
        except ValueError:
            retention = None
        low, high = _bounds("desired_retention")
        if retention is None or not low <= retention <= high:
            self.report(
                node, f"{what} is a probability from {low} to {high} (e.g. 0.9), not {value!r}"
            )
            return None
        return retention
