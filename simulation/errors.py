"""Errors a user can cause and fix: bad scenario files, bad overrides, bad arguments.

Every error raised for bad input is a :class:`ScenarioError`. It carries the file, the line (when
known), the dotted field path, what is wrong and how to fix it, so the CLI can print one line and
exit with code 2 instead of a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from simulation.limits import MAX_ECHO_CHARS, MAX_MESSAGE_PART_CHARS


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
        self.problem = elide(problem, MAX_MESSAGE_PART_CHARS)
        self.file = file
        self.line = line
        self.field = None if field is None else elide(field, MAX_MESSAGE_PART_CHARS)
        self.hint = None if hint is None else elide(hint, MAX_MESSAGE_PART_CHARS)
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


def elide(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, eliding its middle with ``...``."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = (limit - 3) // 2
    return f"{text[:head]}...{text[len(text) - (limit - 3 - head) :]}"


def shown(value: Any) -> str:
    """A value as echoed in a message: its ``repr``, elided to ``MAX_ECHO_CHARS`` characters."""
    if isinstance(value, str) and len(value) > 4 * MAX_ECHO_CHARS:
        value = value[: 2 * MAX_ECHO_CHARS] + value[-2 * MAX_ECHO_CHARS :]  # repr stays short
    elif isinstance(value, list | dict | tuple) and len(value) > MAX_ECHO_CHARS:
        return f"a {type(value).__name__} of {len(value)} items"
    return elide(repr(value))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a hint naming the closest valid choice, or listing the valid ones."""
    options = sorted(str(c) for c in choices)
    close = []
    if len(str(word)) <= MAX_ECHO_CHARS:  # a long word is close to no name; skip the matching
        close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"valid choices: {shown}"
