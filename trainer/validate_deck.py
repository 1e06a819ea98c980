"""The validator's reading of the bank's `deck:` section: name, limits, day start, scheduler,
exam (`DeckReader`)."""

from __future__ import annotations

from datetime import date

from yaml.nodes import Node, ScalarNode

from trainer.core.limits import MAX_EXAM_WINDOW, MIN_EXAM_WINDOW
from trainer.exam import exam_day
from trainer.model import Deck
from trainer.schedulers import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION, SCHEDULERS
from trainer.validate_nodes import NodeReader, did_you_mean

DECK_FIELDS = {
    "name": True,
    "id": False,
    "description": False,
    "new_per_day": False,
    "reviews_per_day": False,
    "day_starts_at": False,
    "scheduler": False,
    "desired_retention": False,
    "redrill_after": False,
    "exam": False,
    "exam_window": False,
}
HOURS_PER_DAY = 24


class DeckReader(NodeReader):
    def deck(self, node: Node) -> Deck | None:
        entries = self.fields(node, DECK_FIELDS, "deck")
        if entries is None or "name" not in entries:
            return None
        name = self.text(entries["name"][1], "deck: 'name'")
        deck_id = self.text(entries["id"][1], "deck: 'id'") if "id" in entries else None
        settings: dict[str, int | None] = {
            key: self.count(entries[key][1], f"deck: {key!r}")
            for key in ("new_per_day", "reviews_per_day", "redrill_after")
            if key in entries
        }
        if "day_starts_at" in entries:
            node = entries["day_starts_at"][1]
            hour = self.count(node, "deck: 'day_starts_at'")
            if hour is not None and hour >= HOURS_PER_DAY:
                self.report(node, f"deck: 'day_starts_at' is an hour 0-23, not {hour}")
            settings["day_starts_at"] = hour
        choice = self.scheduler_choice(entries)
        exam = self.exam(entries)
        invalid_id = "id" in entries and deck_id is None
        if name is None or invalid_id or None in settings.values() or choice is None:
            return None
        if exam is None:
            return None
        scheduler, retention = choice
        return Deck(
            name=name,
            id=deck_id,
            description=self.optional_text(entries, "description", "deck"),
            new_per_day=settings.get("new_per_day"),
            reviews_per_day=settings.get("reviews_per_day"),
            day_starts_at=settings.get("day_starts_at"),
            redrill_after=settings.get("redrill_after"),
            scheduler=scheduler,
            desired_retention=retention,
            exam=exam[0],
            exam_window=exam[1],
            exam_line=exam[2],
        )

    def exam(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> tuple[date | None, int | None, int] | None:
        """`(exam day, window, line)` as given (None: absent); None if either is wrong."""
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
            if not MIN_EXAM_WINDOW <= window <= MAX_EXAM_WINDOW:
                self.report(
                    node,
                    f"deck: 'exam_window' is {MIN_EXAM_WINDOW}-{MAX_EXAM_WINDOW} days,"
                    f" not {window}",
                )
                return None
        return day, window, line

    def scheduler_choice(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> tuple[str | None, float | None] | None:
        """`(scheduler, desired_retention)` as given (None: absent); None if either is wrong."""
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
        return scheduler, retention

    def retention(self, node: Node) -> float | None:
        what = "deck: 'desired_retention'"
        value = self.text(node, what)
        if value is None:
            return None
        try:
            retention = float(value)
        except ValueError:
            retention = None
        if retention is None or not MIN_DESIRED_RETENTION <= retention <= MAX_DESIRED_RETENTION:
            self.report(
                node,
                f"{what} is a probability from {MIN_DESIRED_RETENTION} to"
                f" {MAX_DESIRED_RETENTION} (e.g. 0.9), not {value!r}",
            )
            return None
        return retention
