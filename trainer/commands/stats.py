"""`trainer stats`: review statistics as tables, or one JSON object with --json."""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING

from trainer.commands import spare_the_collection_at_exit
from trainer.commands.progress import when_slow
from trainer.library import read_library
from trainer.stats import Stats
from trainer.store.reports import load_stats
from trainer.visible import clipped, visible, visible_json
from trainer.wording import plural

if TYPE_CHECKING:
    import argparse

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from trainer.exam import ExamReport

HARDEST_SHOWN = 10
PROMPT_WIDTH = 60


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _short(text: str) -> str:
    return clipped(" ".join(visible(text).split()), PROMPT_WIDTH)


def _literal(text: str) -> Text:
    """Bank text for a table cell: never markup, control characters visible."""
    from rich.text import Text

    return Text(visible(text, one_line=True))


def _console() -> Console:
    """A console that reads no markup, emoji codes or highlighting into strings, and lets a
    closed pipe reach the CLI's one-line error (rich would exit silently)."""
    from rich.console import Console

    class PlainConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return PlainConsole(markup=False, emoji=False, highlight=False)


def _banks_table(stats: Stats) -> Table:
    """Each bank's figures and the totals (the overview above)."""
    from rich.table import Table

    table = Table(title="By bank")
    for heading in ("Bank", "Due now", "Today", "Reviews", "Retention (30 days)", "Cards"):
        table.add_column(heading, justify="left" if heading == "Bank" else "right")
    last = list(stats.banks)[-1]
    for name, bank in [*stats.banks.items(), ("Total", stats)]:
        table.add_row(
            _literal(name),
            str(bank.due_now),
            str(bank.reviews_today),
            str(bank.reviews_total),
            _percent(bank.retention_30d),
            str(bank.items_total),
            end_section=name == last,
        )
    return table


def _exam_table(name: str, exam: ExamReport) -> Table:
    """The countdown, the predicted recall on the day and the pace of new cards."""
    from rich.table import Table

    table = Table(title=_literal(f"Exam day: {name}"), show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("Exam", exam.headline())
    table.add_row("Window", f"from {exam.exam.window_start.isoformat()} ({exam.exam.window} days)")
    if exam.recall is not None:
        label = f"Predicted recall on the day (target {exam.target:.0%})"
        table.add_row(label, _percent(exam.recall))
        for category, share in exam.recall_by_category.items():
            table.add_row(_literal(f"  {category}"), _percent(share))
    if exam.pace is not None and exam.pace.new_left:
        pace = exam.pace
        verdict = "yes" if pace.before_window else "no"
        table.add_row(
            "New cards learned before the window",
            f"{verdict}: {pace.new_left} left at {pace.new_per_day} a day",
        )
        needed = "no day left" if pace.needed_per_day is None else f"{pace.needed_per_day} a day"
        table.add_row("Pace that would do it", needed)
    return table


def render(stats: Stats) -> None:
    """Readable tables: today, collection, forecast, accuracy by category, hardest, leeches."""
    from rich.table import Table

    console = _console()
    overview = Table(title=f"Today ({stats.today.isoformat()})", show_header=False)
    overview.add_column(style="bold")
    overview.add_column(justify="right")
    for label, value in (
        (
            "Due now",
            f"{stats.due_now} ({plural(stats.due_reviews, 'review')}, {stats.due_new} new, "
            f"{plural(stats.due_redrill, 're-drill')})",
        ),
        ("Reviews today", stats.reviews_today),
        ("Streak", plural(stats.streak_days, "day")),
        ("Retention (30 days)", _percent(stats.retention_30d)),
        *(
            [("Predicted retention today (FSRS)", _percent(stats.predicted_retention))]
            if stats.scheduler != "sm2"
            else []
        ),
        ("Reviews in total", f"{stats.reviews_total} (+{stats.practice_total} practice)"),
        (
            "Cards",
            f"{stats.items_total} ({stats.items_new} new, {stats.items_suspended} "
            f"suspended; {stats.items_retired} retired)",
        ),
    ):
        overview.add_row(label, str(value))
    console.print(overview)
    if len(stats.banks) > 1:
        console.print(_banks_table(stats))
    for name, bank in stats.banks.items():
        if bank.exam is not None:
            console.print(_exam_table(name, bank.exam))

    forecast = Table(title="Forecast: reviews due", show_header=True)
    forecast.add_column("Day")
    forecast.add_column("Due", justify="right")
    for day, count in stats.forecast.items():
        if count:
            forecast.add_row(day.strftime("%a %d %b"), str(count))
    console.print(forecast if forecast.row_count else "No reviews due in the next 30 days.")

    accuracy = Table(title="Accuracy by category")
    for heading in ("Category", "Reviews", "Correct"):
        accuracy.add_column(heading, justify="left" if heading == "Category" else "right")
    for category, result in stats.category_accuracy.items():
        accuracy.add_row(_literal(category), str(result.reviews), _percent(result.share))
    if accuracy.row_count:
        console.print(accuracy)

    for title, briefs in (("Hardest cards", stats.hardest), ("Leeches (suspended)", stats.leeches)):
        if not briefs:
            continue
        table = Table(title=title)
        for heading in ("Card", "Question", "Lapses", "Ease"):
            table.add_column(heading)
        for brief in briefs[:HARDEST_SHOWN]:
            table.add_row(
                _literal(brief.id),
                _literal(_short(brief.prompt)),
                str(brief.lapses),
                f"{brief.easiness:.2f}",
            )
        console.print(table)


def run(args: argparse.Namespace) -> int:
    spare_the_collection_at_exit()
    stats = read_library(args.db, args.bank, load_stats, slow=when_slow)
    if args.json:
        print(visible_json(stats.to_json()))
    else:
        render(stats)
    return 0
