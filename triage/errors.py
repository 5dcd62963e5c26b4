"""Expected failures: each becomes one line on stderr and an exit status, never a traceback."""
# Annotations are evaluated (no `from __future__ import annotations`): a NamedTuple would
# compile each string annotation on every start (see model.py).
from typing import NamedTuple

USAGE = 2  # bad usage or input
DATA = 2  # the data tree is broken (validate itself exits 1 for problems found)
CANCELLED = 130  # Ctrl-C or end of input at a prompt


class UserError(Exception):
    def __init__(self, message: str, code: int = USAGE):
        super().__init__(message)
        self.message = message
        self.code = code


class Problem(NamedTuple):
    """One problem in a data file, shown as `file:line: message`."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        from .screen import clean  # a message may quote the data: shown, never acted on by the terminal

        text = f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"
        return clean(text, newlines=False)


class DataError(Exception):
    """The data tree has problems; `problems` lists every one found."""

    def __init__(self, problems: list):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
