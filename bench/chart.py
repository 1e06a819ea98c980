"""A small hand-written SVG line chart: median time against bank size, ours solid and the floor
dashed, both axes logarithmic. No plotting dependency."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import Protocol

WIDTH, HEIGHT = 760, 460
LEFT, RIGHT, TOP, BOTTOM = 70, 230, 30, 50
COLOURS = ("#0b5cad", "#c2410c", "#1a7f37", "#7c3aed", "#b91c1c", "#0f766e", "#a16207")


class _Measure(Protocol):
    time: float


class _Row(Protocol):
    size: int
    command: str
    ours: _Measure
    floor: _Measure


def _decades(low: float, high: float) -> list[float]:
    return [
        10.0**power for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    ]


def write_chart(path: Path, rows: list[_Row]) -> None:
    commands = list(dict.fromkeys(row.command for row in rows))
    sizes = sorted({row.size for row in rows})
    times = [t for row in rows for t in (row.ours.time, row.floor.time)]
    x_ticks = _decades(min(sizes), max(sizes))
    y_ticks = _decades(min(times), max(times))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(size: float) -> float:
        span = math.log10(x_ticks[-1] / x_ticks[0]) or 1
        return LEFT + plot_w * math.log10(size / x_ticks[0]) / span

    def y(seconds: float) -> float:
        span = math.log10(y_ticks[-1] / y_ticks[0]) or 1
        return TOP + plot_h * (1 - math.log10(seconds / y_ticks[0]) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14">Median wall time (s) against bank size '
        "(cards); solid: trainer, dashed: floor</text>",
    ]
    for tick in x_ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP}" x2="{x(tick):.1f}" y2="{TOP + plot_h}" '
            'stroke="#ddd"/>'
            f'<text x="{x(tick):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">'
            f"{int(tick):,}</text>"
        )
    for tick in y_ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{LEFT + plot_w}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    for index, command in enumerate(commands):
        colour = COLOURS[index % len(COLOURS)]
        series = sorted((row for row in rows if row.command == command), key=lambda r: r.size)
        for measure, dash in (("ours", ""), ("floor", ' stroke-dasharray="5,4"')):
            points = " ".join(
                f"{x(row.size):.1f},{y(getattr(row, measure).time):.1f}" for row in series
            )
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
        legend_y = TOP + 16 + index * 20
        parts.append(
            f'<line x1="{WIDTH - RIGHT + 15}" y1="{legend_y - 4}" x2="{WIDTH - RIGHT + 40}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{WIDTH - RIGHT + 46}" y="{legend_y}">{escape(command)}</text>'
        )
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
