"""The command that opens the user's editor at a line of the bank."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

from trainer.errors import TrainerError

FALLBACK_EDITOR = "vi"


class EditorError(TrainerError):
    """$EDITOR cannot be run; said before the screen is handed over, so the review stays."""


def editor_command(path: Path, line: int) -> list[str]:
    """`$EDITOR +LINE PATH` as an argument list (no shell); `$EDITOR` may hold options.
    Raises EditorError if `$EDITOR` cannot be split."""
    value = os.environ.get("EDITOR", "")
    try:
        editor = shlex.split(value) or [FALLBACK_EDITOR]
    except ValueError as error:  # e.g. an unbalanced quote
        raise EditorError(f"cannot read $EDITOR={value!r}: {error}. Fix $EDITOR.") from None
    return [*editor, f"+{max(1, line)}", str(path)]


def check_found(command: list[str]) -> None:
    """Raise EditorError unless the editor's program exists and may be run."""
    if shutil.which(command[0]) is None:
        raise EditorError(f"the editor {command[0]!r} is not found. Set $EDITOR.")
