"""The command that opens the user's editor at a line of the bank."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

FALLBACK_EDITOR = "vi"


def editor_command(path: Path, line: int) -> list[str]:
    """`$EDITOR +LINE PATH` as an argument list (no shell); `$EDITOR` may hold options."""
    editor = shlex.split(os.environ.get("EDITOR", "")) or [FALLBACK_EDITOR]
    return [*editor, f"+{max(1, line)}", str(path)]
