"""Errors a user can cause and fix: bad scenario files, bad overrides, bad arguments.

Every error raised for bad input is a :class:`ScenarioError`. It carries the file, the line (when
known), the dotted field path, what is wrong and how to fix it, so the CLI can print one line and
exit with code 2 instead of a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ScenarioError(ValueError):
    """Bad input in a scenario or sweep file, a variant or a ``--set`` override."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-line message shown to the user: ``file:line: field: problem; hint``."""
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: " if where else ""
        if self.field:
            text += f"{self.field}: "
        text += self.problem
        if self.hint:
            text += f"; {self.hint}"
        return text

    def located(self, *, file: str | None = None, line: int | None = None) -> ScenarioError:
        """Return a copy with file and line filled in where they were missing."""
        return ScenarioError(
            self.problem,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            field=self.field,
            hint=self.hint,
        )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a hint naming the closest valid choice, or listing the valid ones."""
    options = sorted(str(c) for c in choices)
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"valid choices: {shown}"
