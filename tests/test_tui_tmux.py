"""The real `trainer review` in a real terminal (tmux) at 80x24 and 60x15: what a review
needs is on screen, it answers keys, and quitting prints the one-line summary."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tui_support import BANK

NOW = "2026-03-01T09:00:00"
DECK = "India–Canada Security Work Plan 2026"
SCREEN_TIMEOUT = 20.0


def tmux(session: str, *args: str) -> str:
    """Run tmux on the session's own server: a shared one may pass on another run's
    environment, and one killed by the previous test may still be exiting when the next
    test's `new-session` reaches it (its session then vanishes and the screen reads blank)."""
    result = subprocess.run(
        ["tmux", "-L", f"trainer-{os.getpid()}-{session}", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + (f"[tmux: {result.stderr.strip()}]" if result.stderr else "")


def start(session: str, size: tuple[int, int], command: str) -> None:
    """A pane of exactly `size` running `command` (the pane exists at its size before the
    trainer starts: a process started with the session can see tmux's default size first)."""
    width, height = size
    tmux(
        session, "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), "sleep 60"
    )
    tmux(session, "respawn-pane", "-k", "-t", session, command)


def wait_for(session: str, text: str) -> str:
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while time.monotonic() < deadline:
        screen = tmux(session, "capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {text!r}:\n{screen}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=["80x24", "60x15"])
def test_review_in_a_small_real_terminal(tmp_path: Path, size: tuple[int, int]) -> None:
    bank = tmp_path / "cards.yaml"
    bank.write_text(BANK.replace("name: Test deck", f"name: {DECK}"), encoding="utf-8")
    db = tmp_path / "reviews.sqlite3"
    # COLUMNS and LINES (which some test tools export) would override the pane's real size
    environment = ["env", "-u", "COLUMNS", "-u", "LINES", f"TRAINER_NOW={NOW}"]
    review = shlex.join([*environment, sys.executable, "-m", "trainer", "review", str(bank)])
    # after quitting, keep the pane open so the line printed on exit can be read
    command = f"{review} --db {shlex.quote(str(db))}; echo EXITED $?; sleep 60"
    session = f"review-{size[0]}"
    width, height = size
    start(session, size, command)
    try:
        wait_for(session, "Show answer")
        tmux(session, "send-keys", "-t", session, "space")
        screen = wait_for(session, "Blackout")
        for needed in ("New 4", "Re-drill 0", "Themselves", "5 Easy", "q Quit"):
            assert needed in screen, f"{needed!r} missing:\n{screen}"
        assert (DECK if width >= 80 else "India–Canada") in screen, screen
        assert len(screen.splitlines()) <= height
        tmux(session, "send-keys", "-t", session, "5")
        wait_for(session, "Capital of Canada")
        tmux(session, "send-keys", "-t", session, "q")
        screen = wait_for(session, "EXITED")
        assert "EXITED 0" in screen
        assert "1 answer in under a minute; more cards are due now." in screen
    finally:
        tmux(session, "kill-server")


def scroll_to_the_end(session: str, key: str, wanted: str) -> str:
    """Press `key` while the key bar offers `↓ More` and `wanted` is not yet on screen; the
    screen once it is (a frame may show the new card before its hints: wait for either)."""
    for _ in range(40):
        screen = tmux(session, "capture-pane", "-p", "-t", session)
        if wanted in screen:
            return screen
        if "↓ More" in screen:
            tmux(session, "send-keys", "-t", session, key)
        time.sleep(0.2)
    raise AssertionError(f"{wanted!r} never came into view:\n{screen}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=["80x24", "60x15"])
def test_a_day_with_a_long_multiple_choice_and_ctrl_c_in_a_small_real_terminal(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """A whole (short) day: the choices, the verdict and the source are on screen or a `↓`
    away (the key bar says `↓ More`), every card answered to "Done for today", and Ctrl+C
    quits with the line printed on quitting."""
    from tests.test_tui_keys import LONG_MCQ

    bank = tmp_path / "cards.yaml"
    bank.write_text(BANK.replace("cards:\n", "cards:\n" + LONG_MCQ, 1), encoding="utf-8")
    db = tmp_path / "reviews.sqlite3"
    environment = ["env", "-u", "COLUMNS", "-u", "LINES", f"TRAINER_NOW={NOW}"]
    review = shlex.join([*environment, sys.executable, "-m", "trainer", "review", str(bank)])
    command = f"{review} --db {shlex.quote(str(db))}; echo EXITED $?; sleep 60"
    session = f"mcq-{size[0]}"
    height = size[1]
    start(session, size, command)
    try:
        wait_for(session, "Select the correct answer")
        screen = scroll_to_the_end(session, "Down", "d) 1, 3 and 4")  # every choice in view
        tmux(session, "send-keys", "-t", session, "c")
        wait_for(session, "5 Easy")
        screen = scroll_to_the_end(session, "PageDown", "Source: Pub")
        assert "Right!" in screen and "Source: Pub" in screen, screen
        assert "5 Easy" in screen and "q Quit" in screen, screen
        assert len(screen.splitlines()) <= height
        tmux(session, "send-keys", "-t", session, "5")
        for _ in range(4):  # the rest of the day: the test bank's four other cards
            wait_for(session, "Show answer")
            tmux(session, "send-keys", "-t", session, "space")
            wait_for(session, "5 Easy")
            tmux(session, "send-keys", "-t", session, "5")
        screen = wait_for(session, "Done for today")
        assert "Answers today" in screen and "5 (5 this session)" in screen, screen
        assert len(screen.splitlines()) <= height
        tmux(session, "send-keys", "-t", session, "C-c")
        screen = wait_for(session, "EXITED")
        assert "EXITED 0" in screen
        assert "5 answers in under a minute; next cards tomorrow at 04:00." in screen
    finally:
        tmux(session, "kill-server")
