"""The day's queue rules: order, limits, buried, suspended, siblings, re-drills, cram."""

from __future__ import annotations

from datetime import date, datetime

from trainer.queue import (
    DailyQueue,
    DayLog,
    ItemRecord,
    Limits,
    cram_queue,
    daily_queue,
    day_start,
    redrill_pending,
    redrill_waits,
    study_day,
)

TODAY = date(2026, 3, 10)


def item(n: int, due: date | None = None, siblings: str | None = None, **flags) -> ItemRecord:
    return ItemRecord(f"i{n}", n, siblings or f"note{n}", due, **flags)


def queue_of(records: list[ItemRecord], today: date, limits: Limits, day_log: DayLog) -> DailyQueue:
    """The queue with every record given, split as the store splits them."""
    new = sorted((r for r in records if r.is_new), key=lambda r: r.bank_order)
    return daily_queue([r for r in records if not r.is_new], new, today, limits, day_log)


def test_study_day_starts_at_four_by_default() -> None:
    assert study_day(datetime(2026, 3, 10, 3, 59)) == date(2026, 3, 9)
    assert study_day(datetime(2026, 3, 10, 4, 0)) == date(2026, 3, 10)
    assert study_day(datetime(2026, 3, 10, 5, 30), day_starts_at=6) == date(2026, 3, 9)
    assert study_day(datetime(2026, 3, 10, 0, 0), day_starts_at=0) == date(2026, 3, 10)
    assert day_start(date(2026, 3, 10)) == datetime(2026, 3, 10, 4)


def test_most_overdue_first_then_new_in_bank_order() -> None:
    records = [
        item(0),
        item(1, date(2026, 3, 9)),
        item(2, date(2026, 3, 1)),
        item(3, date(2026, 3, 11)),  # not due yet
        item(4),
        item(5, date(2026, 3, 9)),
    ]
    queue = queue_of(records, TODAY, Limits(), DayLog())
    assert queue.reviews == ("i2", "i1", "i5")
    assert queue.new == ("i0", "i4")


def test_limits_count_what_was_done_today() -> None:
    records = [item(n) for n in range(10)] + [item(n, TODAY) for n in range(10, 20)]
    queue = queue_of(records, TODAY, Limits(new_per_day=5, reviews_per_day=8), DayLog())
    assert len(queue.reviews) == 8
    assert queue.new == ()  # the review limit caps new items too, as in Anki
    queue = queue_of(records, TODAY, Limits(new_per_day=5, reviews_per_day=100), DayLog())
    assert (len(queue.reviews), len(queue.new)) == (10, 5)
    done = DayLog(new_done=3, reviews_done=4)
    queue = queue_of(records, TODAY, Limits(new_per_day=5, reviews_per_day=16), done)
    assert (len(queue.reviews), len(queue.new)) == (9, 0)
    queue = queue_of(records, TODAY, Limits(new_per_day=5, reviews_per_day=100), done)
    assert (len(queue.reviews), len(queue.new)) == (10, 2)


def test_buried_suspended_and_retired_items_are_not_shown() -> None:
    records = [
        item(0, TODAY, buried_until=TODAY),  # buried yesterday: back today
        item(1, TODAY, buried_until=date(2026, 3, 11)),
        item(2, suspended=True),
        item(3, TODAY, retired=True),
    ]
    queue = queue_of(records, TODAY, Limits(), DayLog())
    assert queue.order == ("i0",)
    assert queue_of(records, date(2026, 3, 11), Limits(), DayLog()).order == ("i0", "i1")


def test_one_sibling_per_day() -> None:
    records = [
        item(0, TODAY, siblings="cloze"),
        item(1, TODAY, siblings="cloze"),
        item(2, siblings="reverse"),
        item(3, siblings="reverse"),
        item(4, TODAY, siblings="answered"),
        item(5),
    ]
    day_log = DayLog(answered_siblings=frozenset({"answered"}))
    queue = queue_of(records, TODAY, Limits(), day_log)
    assert queue.order == ("i0", "i2", "i5")


def test_redrills_follow_the_scheduled_items() -> None:
    records = [item(0, TODAY), item(1, date(2026, 3, 11)), item(2, suspended=True)]
    day_log = DayLog(redrill_pending=("i1", "i2"))
    assert queue_of(records, TODAY, Limits(), day_log).order == ("i0", "i1")


def test_siblings_of_buried_items_wait_for_tomorrow() -> None:
    records = [item(0, siblings="n"), item(1, siblings="n"), item(2, TODAY, siblings="m")]
    day_log = DayLog(buried_siblings=frozenset({"n", "m"}))
    assert queue_of(records, TODAY, Limits(), day_log).order == ()
    day_log = DayLog(buried_siblings=frozenset({"m"}))
    assert queue_of(records, TODAY, Limits(), day_log).order == ("i0",)


def test_redrill_pending_until_graded_four() -> None:
    answers = [("a", 2), ("b", 3), ("c", 5), ("a", 3), ("b", 4), ("d", 0), ("a", 1)]
    assert redrill_pending(answers) == ("d", "a")


def test_redrill_waits_count_the_answers_after_the_latest_failure() -> None:
    answers = [("a", 2), ("b", 3), ("c", 5), ("a", 3), ("b", 4), ("d", 0), ("a", 1), ("e", 4)]
    assert redrill_waits(answers) == {"d": 2, "a": 1}
    assert redrill_waits([]) == {}


def test_a_redrill_comes_first_once_enough_answers_followed_its_failure() -> None:
    tomorrow = date(2026, 3, 11)
    records = [item(n, TODAY) for n in range(5)] + [item(8, tomorrow), item(9, tomorrow)]
    waits = {"i8": 3, "i9": 2}
    day_log = DayLog(redrill_pending=("i8", "i9"), answers_since_failure=waits)
    queue = queue_of(records, TODAY, Limits(redrill_after=3), day_log)
    assert queue.order == ("i8", "i0", "i1", "i2", "i3", "i4", "i9")
    assert (queue.redrill, queue.redrill_ready) == (("i8", "i9"), 1)
    queue = queue_of(records, TODAY, Limits(redrill_after=2), day_log)
    assert queue.order[:3] == ("i8", "i9", "i0")
    queue = queue_of(records, TODAY, Limits(redrill_after=4), day_log)
    assert queue.order[-2:] == ("i8", "i9")


def test_cram_queue_first_pass_then_failures() -> None:
    tagged = [item(2), item(0, date(2026, 5, 1)), item(1, suspended=True), item(3, TODAY)]
    first, repeats = cram_queue(tagged, TODAY, [])
    assert (first, repeats) == (("i0", "i2", "i3"), ())
    first, repeats = cram_queue(tagged, TODAY, [("i0", 5), ("i2", 2)])
    assert (first, repeats) == (("i3",), ("i2",))


def test_new_items_are_read_only_as_far_as_needed() -> None:
    read = []

    def new_items():
        for n in range(1000):
            read.append(n)
            yield item(n, siblings="same" if n < 3 else None)

    queue = daily_queue([], new_items(), TODAY, Limits(new_per_day=2), DayLog())
    assert queue.new == ("i0", "i3")  # i1 and i2 are siblings of i0
    assert len(read) <= 5
