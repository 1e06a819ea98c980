"""A small bank (one card of each type, markup-like text) and a ReviewApp over it, for the
pilot and snapshot tests of the review trainer. Files live in tmp_path, never the user's."""

from __future__ import annotations

import asyncio
import functools
import html
import re
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.widgets import Static

from trainer.session import Session, open_session
from trainer.tui.app import ReviewApp

FIRST_SCREEN = """
import asyncio, sys
from pathlib import Path
from trainer.session import open_session
from trainer.tui.app import ReviewApp

async def first_screen(app):
    async with app.run_test() as pilot:
        await pilot.pause()
        return type(app.screen).__name__

with open_session(Path(sys.argv[1]), Path(sys.argv[2])) as session:
    print(asyncio.run(first_screen(ReviewApp(session))))
print(sorted(name for name in sys.argv[3:] if name in sys.modules))
"""


def first_screen_in_a_new_process(bank: Path, db: Path, modules: tuple[str, ...]) -> list[str]:
    """`trainer review`'s first screen shown in a fresh interpreter: the screen's class name,
    then which of `modules` that interpreter imported to show it."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(bank), str(db), *modules],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.split("\n")[:2]


DAY_1 = "2026-03-01T09:00:00"
DAY_2 = "2026-03-02T09:00:00"
SIZE = (100, 32)

MARKUP_FRONT = "What do [red]x[/], <b>bold</b>, &amp; and {{not a cloze}} mean here?"
MARKUP_BACK = "Themselves: [bold]literal[/bold] 🇮🇳 नमस्ते 日本"

BANK = f"""\
deck:
  name: Test deck
sources:
  src:
    title: "A <title> & [more]"
    publisher: Pub
    date: "1 Mar 2026"
cards:
  - id: markup-basic
    type: basic
    tags: [context]
    source: [src]
    front: "{MARKUP_FRONT}"
    back: "{MARKUP_BACK}"
    extra: "Extra [i]note[/i]"
  - id: capital-reverse
    type: reverse
    tags: [name]
    source: [src]
    front: Capital of Canada
    back: Ottawa
  - id: plan-cloze
    type: cloze
    tags: [component]
    source: [src]
    text: "Plan: {{{{c1::security}}}}, {{{{c1::policing}}}} and {{{{c2::cyber::domain}}}}."
    extra: Three domains.
  - id: talks-mcq
    type: mcq
    tags: [name]
    source: [src]
    question: Where were the talks held?
    choices: [Ottawa, New Delhi, Toronto, London]
    answer: a
    explanation: On Canadian soil.
"""

DAY_1_ORDER = ("markup-basic", "capital-reverse", "plan-cloze:c1", "talks-mcq")
"""New items in bank order; siblings (the reverse side, cloze c2) wait for another day."""


def write_bank(tmp_path: Path, text: str = BANK) -> Path:
    path = tmp_path / "cards.yaml"
    path.write_text(text, encoding="utf-8")
    return path


LONG_BACK = " ".join(f"word{n}" for n in range(600))
"""A back far taller than the screen: the card must wrap and scroll."""


def write_long_card_bank(tmp_path: Path) -> Path:
    """The test bank with its first card's back replaced by LONG_BACK."""
    return write_bank(tmp_path, BANK.replace(f'back: "{MARKUP_BACK}"', f'back: "{LONG_BACK}"'))


def start(tmp_path: Path, **options: object) -> Session:
    bank_path = tmp_path / "cards.yaml"
    if not bank_path.exists():
        write_bank(tmp_path)
    return open_session(bank_path, tmp_path / "reviews.sqlite3", **options)


def make_app(tmp_path: Path, **options: object) -> ReviewApp:
    """An app with a frozen timer, so the elapsed clock never changes a snapshot."""
    return ReviewApp(start(tmp_path, **options), timer=lambda: 0.0)


def text_of(app: ReviewApp, selector: str) -> str:
    content = app.screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


_SVG_TEXT_RE = re.compile(r"<text [^>]*>([^<]*)</text>")


def screen_text(app: ReviewApp) -> str:
    """Everything visible on the screen, as text (from the SVG screenshot, unescaped)."""
    runs = _SVG_TEXT_RE.findall(app.export_screenshot())
    return "".join(html.unescape(run) for run in runs).replace("\xa0", " ")


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async pilot test without an async pytest plugin (none is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
