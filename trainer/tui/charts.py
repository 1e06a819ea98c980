"""Terminal charts as rich renderables: pure, for the statistics screen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from rich.table import Table
from rich.text import Text

from trainer.visible import visible

HEATMAP_WEEKS = 26
HEATMAP_CELL = "■ "
HEATMAP_LEVELS = ("grey23", "dark_green", "green4", "green3", "bright_green")
"""Colour for no reviews, then four rising quartiles of the busiest day."""
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4
BAR_WIDTH = 24
BAR_FULL, BAR_EMPTY = "█", "░"


def _level(count: int, busiest: int) -> int:
    if count <= 0 or busiest <= 0:
        return 0
    return min(len(HEATMAP_LEVELS) - 1, 1 + (count - 1) * (len(HEATMAP_LEVELS) - 1) // busiest)


def month_labels(first_monday: date, weeks: int) -> str:
    """The line above the calendar: each month's name over the first week column it starts
    in (the first column is labelled with its own month)."""
    line = [" "] * (LABEL_WIDTH + weeks * len(HEATMAP_CELL))
    month = None
    for week in range(weeks):
        sunday = first_monday + timedelta(weeks=week, days=6)
        if sunday.month != month:
            month = sunday.month
            column = LABEL_WIDTH + week * len(HEATMAP_CELL)
            name = f"{sunday:%b}"
            line[column : column + len(name)] = name
    return "".join(line).rstrip()


def heatmap(daily: Mapping[date, int], today: date, weeks: int = HEATMAP_WEEKS) -> Text:
    """GitHub-style calendar: one column per week (oldest left), one row per weekday, month
    names above."""
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    busiest = max(
        (daily.get(first_monday + timedelta(days=d), 0) for d in range(weeks * 7)), default=0
    )
    rendered = Text(month_labels(first_monday, weeks) + "\n", "dim")
    for weekday, label in enumerate(WEEKDAY_LABELS):
        rendered.append(f"{label:<{LABEL_WIDTH}}", "dim")
        for week in range(weeks):
            day = first_monday + timedelta(weeks=week, days=weekday)
            if day > today:
                break
            rendered.append(HEATMAP_CELL, HEATMAP_LEVELS[_level(daily.get(day, 0), busiest)])
        rendered.append("\n")
    rendered.append("    less ", "dim")
    for style in HEATMAP_LEVELS:
        rendered.append(HEATMAP_CELL, style)
    rendered.append("more", "dim")
    return rendered


def whole_ticks(highest: int, count: int = 4) -> list[int]:
    """Whole-number axis ticks from 0 to at least `highest`, about `count` steps."""
    step = max(1, -(-highest // count))
    return list(range(0, max(highest, 1) + step, step))


def bar(share: float, width: int = BAR_WIDTH) -> Text:
    filled = round(max(0.0, min(1.0, share)) * width)
    return Text.assemble((BAR_FULL * filled, "green"), (BAR_EMPTY * (width - filled), "grey35"))


def share_table(rows: Sequence[tuple[str, float | None, int | None]], label: str) -> Table:
    """`label | bar | 87% | 40` for each (name, share, review count); None shows `–` or
    leaves the count out."""
    table = Table(box=None, padding=(0, 1), show_header=True, header_style="dim")
    table.add_column(label)
    table.add_column("")
    table.add_column("", justify="right")
    if any(count is not None for _, _, count in rows):
        table.add_column("reviews", justify="right", style="dim")
    for name, share, count in rows:
        shown = "–" if share is None else f"{share:.0%}"
        counted = () if count is None else (str(count),)
        table.add_row(Text(visible(name, one_line=True)), bar(share or 0.0), shown, *counted)
    return table
