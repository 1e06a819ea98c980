"""The session's queue over several banks: each bank's queue as entries (item key, kind), merged
into one showing order. Pure rules, no I/O; the answers they weigh are passed in.

Each bank keeps its own limits and study day (`trainer.queue`). The merged order shows the
re-drills due back first (their bank's `redrill_after` answers given since their latest failure,
counted over every bank of the session, oldest failure first), then every bank's reviews, cram
cards, new cards, and last the re-drills still waiting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from trainer.core.keys import ItemKey
from trainer.core.kinds import AnswerKind
from trainer.queue import DailyQueue, ItemRecord, cram_queue, redrill_pending

Entry = tuple[ItemKey, AnswerKind]
MERGED_ORDER = (AnswerKind.REVIEW, AnswerKind.CRAM, AnswerKind.NEW, AnswerKind.REDRILL)
"""After the re-drills due back, the kinds in the order they are shown."""


class Counts(NamedTuple):
    """What is left in today's session."""

    new: int
    review: int
    redrill: int

    @property
    def total(self) -> int:
        return self.new + self.review + self.redrill


def keyed(bank: int, item_ids: Iterable[str], kind: AnswerKind) -> list[Entry]:
    return [(ItemKey(bank, item_id), kind) for item_id in item_ids]


def daily_entries(bank: int, queue: DailyQueue) -> list[Entry]:
    """A bank's queue of the day: its reviews, new cards and re-drills."""
    return (
        keyed(bank, queue.reviews, AnswerKind.REVIEW)
        + keyed(bank, queue.new, AnswerKind.NEW)
        + keyed(bank, queue.redrill, AnswerKind.REDRILL)
    )


def cram_entries(
    bank: int, tagged: Sequence[ItemRecord], today: date, crammed: Iterable[tuple[str, int]]
) -> list[Entry]:
    """A cram that leaves schedules alone: the tagged cards not answered yet in the session,
    then those failed in it; `crammed` is the session's cram answers `(item id, grade)`."""
    first_pass, repeats = cram_queue(tagged, today, crammed)
    return keyed(bank, first_pass + repeats, AnswerKind.CRAM)


def rescheduling_cram_entries(
    bank: int,
    tagged: Sequence[ItemRecord],
    today: date,
    scheduled: Iterable[tuple[str, int]],
    practised: Iterable[tuple[str, int]],
) -> list[Entry]:
    """A cram that schedules (`--reschedule`): each tagged card once as new or review (by the
    session's `scheduled` answers), then re-drills of the failed ones (by its `practised`
    answers, re-drills included)."""
    first_pass, _ = cram_queue(tagged, today, scheduled)
    available = {record.id for record in tagged if record.is_available(today)}
    is_new = {record.id for record in tagged if record.is_new}
    return [
        (ItemKey(bank, item_id), AnswerKind.NEW if item_id in is_new else AnswerKind.REVIEW)
        for item_id in first_pass
    ] + keyed(
        bank,
        (item_id for item_id in redrill_pending(practised) if item_id in available),
        AnswerKind.REDRILL,
    )


def ready_redrills(waits: Mapping[ItemKey, int], after: Mapping[int, int]) -> dict[ItemKey, int]:
    """The failed items (`waits`: answers given since each one's latest failure, oldest
    failure first) that have waited their bank's `after` answers, each with its place."""
    ready = [key for key, since in waits.items() if since >= after[key.bank]]
    return {key: place for place, key in enumerate(ready)}


def merged(parts: Sequence[Sequence[Entry]], ready: Mapping[ItemKey, int]) -> tuple[Entry, ...]:
    """The banks' entries (`parts`) in showing order: the `ready` re-drills in their places,
    then every bank's entries kind by kind (`MERGED_ORDER`)."""

    def is_ready(entry: Entry) -> bool:
        return entry[1] == AnswerKind.REDRILL and entry[0] in ready

    first = sorted(
        (entry for part in parts for entry in part if is_ready(entry)),
        key=lambda entry: ready[entry[0]],
    )
    return tuple(first) + tuple(
        entry
        for kind in MERGED_ORDER
        for part in parts
        for entry in part
        if entry[1] == kind and not is_ready(entry)
    )


def counts(entries: Iterable[Entry]) -> Counts:
    """What is left, a cram's cards counted as reviews."""
    kinds = [kind for _, kind in entries]
    return Counts(
        new=kinds.count(AnswerKind.NEW),
        review=kinds.count(AnswerKind.REVIEW) + kinds.count(AnswerKind.CRAM),
        redrill=kinds.count(AnswerKind.REDRILL),
    )
