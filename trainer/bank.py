"""Read a card bank file: bytes -> text -> YAML nodes -> validated `Bank`.

Every failure becomes a `BankError` of located problems (`FILE:LINE:COL: message`), never a
traceback. Parsing uses libyaml's C parser through `trainer.yamltree`, which keeps the line
and column of every node.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import yaml

from trainer import yamltree
from trainer.bankfile import BankFile
from trainer.errors import BankError, Problem
from trainer.gcpause import gc_paused
from trainer.model import Bank, Note, Source
from trainer.reading import MAX_BANK_BYTES, NotRegularFile, TooLarge, read_regular
from trainer.validate import Validator


def _problem(file: str, message: str, line: int = 1, column: int = 1) -> BankError:
    return BankError([Problem(file, line, column, message)])


def read_file(path: Path) -> tuple[str, BankFile]:
    """The bank's text and a record of what was read (stat first, then the bytes, whose digest
    is taken); one clear problem for a missing, binary or non-UTF-8 file, and for what is not
    a regular file or is too large to be a bank (`trainer.reading`: never hangs on a FIFO)."""
    file = str(path)
    try:
        status, data = read_regular(path, MAX_BANK_BYTES)
    except FileNotFoundError:
        raise _problem(file, "no such file") from None
    except IsADirectoryError:
        raise _problem(file, "is a directory, not a card bank") from None
    except NotRegularFile as error:
        kind = str(error).removeprefix(f"{path} is ")
        raise _problem(file, f"is {kind}, not a card bank (a regular file)") from None
    except TooLarge:
        raise _problem(
            file, f"is larger than {MAX_BANK_BYTES // (1024 * 1024)} MB: not a card bank"
        ) from None
    except OSError as error:
        raise _problem(file, f"cannot read: {error.strerror or error}") from None
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise _problem(file, "binary file (contains NUL bytes), not a YAML card bank", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise _problem(
            file,
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the bank as UTF-8",
            line,
            column,
        ) from None
    read = BankFile(
        str(path.resolve()),
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        BankFile.digest_of(data),
    )
    return text, read


def compose(text: str, file: str) -> yaml.Node | None:
    """The YAML node tree of `text`; syntax errors become a located `BankError`."""
    try:
        return yamltree.compose(text)
    except yamltree.ComposeError as error:
        raise _problem(file, str(error), error.mark.line + 1, error.mark.column + 1) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and mark and mark.index >= len(text):
            mark = (
                error.context_mark
            )  # the text ended inside a quote or bracket: point at its start
        message = f"YAML syntax error: {error.problem or error.context}"
        if error.context and error.problem:
            message += f" ({error.context}"
            if error.context_mark and mark and error.context_mark.line != mark.line:
                message += f" on line {error.context_mark.line + 1}"
            message += ")"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _problem(file, message, line, column) from None
    except yaml.YAMLError as error:  # reader errors without a mark, e.g. control characters
        raise _problem(file, f"YAML error: {error}") from None


def parse_bank(text: str, path: Path, read: BankFile | None = None) -> Bank:
    """Validate bank text (read from `read`, if from a file); raise `BankError` listing every
    problem."""
    file = str(path)
    validator = Validator(file)
    with gc_paused():
        bank = validator.bank(compose(text, file), path, read)
    if bank is None:
        raise BankError(validator.problems)
    return bank


def load_bank(path: Path | str, early: Callable[[str, Path], object] | None = None) -> Bank:
    """The bank at `path`. `early` is handed its text before it is parsed, for work that can
    begin on it meanwhile (`trainer check`'s quality rules, on another core)."""
    path = Path(path)
    text, read = read_file(path)
    if early is not None:
        early(text, path)
    return parse_bank(text, path, read)


class FirstNotes(NamedTuple):
    """A bank's sources and first notes."""

    sources: dict[str, Source]
    notes: tuple[Note, ...]


def first_notes(text: str, path: Path, stop: int) -> FirstNotes | None:
    """The sources and the notes of the cards that start before line `stop` (counted from 0)
    of a bank's text (`yamltree.compose`), read without parsing the rest: for work that begins
    on a large bank's first notes (in another process) while the whole bank is loaded. None
    where something read is wrong; where a bank's sources come after its cards, they are
    missing."""
    validator = Validator(str(path))
    try:
        with gc_paused():
            read = validator.parts(yamltree.compose(text, stop))
    except (yaml.YAMLError, yamltree.ComposeError):
        return None
    return None if read is None else FirstNotes(read[1], tuple(read[2]))
