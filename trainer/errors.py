"""Errors the user can act on. The CLI prints them without a traceback and exits with their code."""

from typing import NamedTuple

EXIT_INPUT = 1
"""A problem with the user's input or data: invalid bank, unusable database, unwritable output."""
EXIT_USAGE = 2
"""Wrong usage: unknown option, missing argument, malformed TRAINER_NOW."""


class TrainerError(Exception):
    """An error with a message meant for the user."""

    exit_code = EXIT_INPUT


class UsageError(TrainerError):
    exit_code = EXIT_USAGE


class Problem(NamedTuple):
    """One located problem in a bank; `line` and `column` are 1-based."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class BankError(TrainerError):
    """The bank cannot be used; `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
