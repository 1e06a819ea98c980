"""trainer.tui.charts: the calendar heatmap and share bars of the statistics screen."""

from __future__ import annotations

from datetime import date, timedelta

from trainer.tui import charts

TODAY = date(2026, 3, 4)  # a Wednesday


def cell_styles(text) -> list[str]:
    return [str(span.style) for span in text.spans if text.plain[span.start] == "■"]


def test_heatmap_has_a_row_per_weekday_and_a_column_per_week() -> None:
    rendered = charts.heatmap({}, TODAY, weeks=4)
    rows = rendered.plain.splitlines()
    assert len(rows) == 9  # the months, 7 weekdays and the legend
    assert rows[0] == "    Feb Mar"  # Mar over the week of 1 March
    rows = rows[1:]
    assert rows[0].startswith("Mon ")
    assert rows[0].count("■") == 4
    assert rows[2].count("■") == 4  # Wednesday: today is the last cell
    assert rows[3].count("■") == 3  # Thursday of this week is still to come


def test_heatmap_colours_scale_with_the_busiest_day() -> None:
    daily = {TODAY: 40, TODAY - timedelta(days=1): 1}
    rendered = charts.heatmap(daily, TODAY, weeks=1)
    styles = cell_styles(rendered)[:3]  # Mon, Tue, Wed of this week
    assert styles == [charts.HEATMAP_LEVELS[0], charts.HEATMAP_LEVELS[1], charts.HEATMAP_LEVELS[-1]]


def test_bar_and_share_table() -> None:
    assert charts.bar(0.5, width=10).plain == "█" * 5 + "░" * 5
    assert charts.bar(1.7, width=4).plain == "████"
    table = charts.share_table([("date", 0.875, 8), ("[red]name", None, 0)], "category")
    assert table.row_count == 2


def test_axis_ticks_are_whole_numbers() -> None:
    assert charts.whole_ticks(0) == [0, 1]
    assert charts.whole_ticks(3) == [0, 1, 2, 3]
    assert charts.whole_ticks(10) == [0, 3, 6, 9, 12]
    assert all(isinstance(tick, int) for tick in charts.whole_ticks(37))
