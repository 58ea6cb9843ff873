r"""Reading scenario YAML safely and within bounds, with the line number of every field.

Files are read with PyYAML's safe loader only: no tags, one document, no duplicate keys, no alias
that contains itself, and none of YAML 1.1's surprising scalars (``yes``/``no``/``on``/``off`` as
booleans, ``010`` as octal 8, ``1:30`` as the base-60 number 90, ``0b11`` as binary 3, ``1_000``
as 1000). Every input is bounded (:mod:`simulation.limits`): at most ``MAX_FILE_BYTES`` are read
(so ``/dev/zero`` fails at once), the nesting depth is checked while composing (before Python's
recursion limit), the node count is counted with every alias expanded as each node is composed
(so an alias bomb fails after a few thousand nodes, not after expanding them), and long values and
integers with too many digits are refused before they are converted. Text that cannot be written
as UTF-8 (a lone surrogate such as ``"\ud800"`` in double quotes) is refused in every value and
key. Every problem is a :class:`~simulation.errors.ScenarioError` naming the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from simulation.errors import ScenarioError, elide, shown
from simulation.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INT_DIGITS,
    MAX_NODES,
    MAX_SCALAR_CHARS,
)

Path_ = tuple[Any, ...]
"""A field path in the document: mapping keys and list indices."""


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file of at most ``MAX_FILE_BYTES``, reading no more than one byte beyond."""
    file = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError("file not found", file=file, hint="check the path") from None
    except IsADirectoryError:
        raise ScenarioError("is a directory, not a file", file=file) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read file ({exc.strerror})", file=file) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"file is larger than {MAX_FILE_BYTES} bytes",
            file=file,
            hint="a scenario file is a few tens of kilobytes; check that this is the right file",
        )
    return raw


def read_yaml(path: str | Path) -> tuple[Any, dict[Path_, int]]:
    """Read a YAML file safely; return the data and a map from field path to line number."""
    return parse_bytes(read_bytes(path), str(path))


def parse_bytes(raw: bytes, file: str) -> tuple[Any, dict[Path_, int]]:
    """Decode UTF-8 bytes and parse them with :func:`parse_yaml`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not valid UTF-8 (byte {exc.start})", file=file, line=line, hint="save it as UTF-8"
        ) from None
    return parse_yaml(text, file)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML text with the safe loader, within the limits; reject what is ambiguous."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(f"text is longer than {MAX_FILE_BYTES} characters", file=file)
    loader = _BoundedLoader(text, file)
    try:
        try:
            node = loader.get_single_node()
            lines: dict[Path_, int] = {}
            if node is not None:
                _index_lines(node, (), lines, file)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        if "constructor" in str(exc.problem):
            problem, hint = f"YAML tag not allowed ({exc.problem})", "remove the !tag"
        else:
            problem, hint = f"YAML error: {exc.problem}", "keys must be plain names"
        raise ScenarioError(
            problem, file=file, line=line, hint=f"scenario files hold plain data: {hint}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        hint = "check indentation, colons and quotes on this line"
        if "another document" in problem:
            problem, hint = "more than one YAML document", "remove the '---' separator"
        raise ScenarioError(
            f"YAML syntax error: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            hint=hint,
        ) from None
    return data, lines


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, composing within ``MAX_DEPTH`` and ``MAX_NODES`` (aliases expanded)."""

    def __init__(self, text: str, file: str):
        super().__init__(text)
        self.file = file
        self.depth = 0
        self.weights: dict[int, int] = {}  # id(node) -> nodes in it, aliases expanded

    def fail(self, problem: str, mark: Any, hint: str) -> ScenarioError:
        line = mark.line + 1 if mark is not None else None
        return ScenarioError(problem, file=self.file, line=line, hint=hint)

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # The scanner's look-ahead for simple keys costs O(depth) per token: stop deep flow
        # nesting ([[[[...) here, before the composer sees it.
        if self.flow_level >= MAX_DEPTH:
            raise self._too_deep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        if len(self.indents) >= MAX_DEPTH:
            raise self._too_deep(self.get_mark())
        return super().add_indent(column)

    def _too_deep(self, mark: Any) -> ScenarioError:
        return self.fail(
            f"nested more than {MAX_DEPTH} levels deep",
            mark,
            "scenario files nest a few levels; check the brackets and indentation",
        )

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self.weights:  # still being composed: the alias is inside it
                raise self.fail(
                    "an alias refers to the list or mapping that contains it",
                    event.start_mark,
                    "remove the self-referencing *alias",
                )
            return node
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._too_deep(event.start_mark)
        node = super().compose_node(parent, index)
        self.depth -= 1
        weight = 1
        if isinstance(node, yaml.SequenceNode):
            weight += sum(self.weights[id(item)] for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            weight += sum(self.weights[id(k)] + self.weights[id(v)] for k, v in node.value)
        if weight > MAX_NODES:
            raise self.fail(
                f"more than {MAX_NODES} values (counting every *alias expanded)",
                node.start_mark,
                "a scenario file holds a few thousand values; remove the repeated aliases",
            )
        self.weights[id(node)] = weight
        return node


def _index_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str) -> None:
    """Record the line of every field path; reject duplicate keys and ambiguous scalars."""
    line = node.start_mark.line + 1
    lines[path] = line
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, path, file)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if isinstance(key_node, yaml.ScalarNode):
                _check_scalar(key_node, path, file)
            if key in seen:
                raise ScenarioError(
                    "duplicate key",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    field=format_path((*path, key)),
                    hint="each key may appear once in a mapping; delete one of them",
                )
            seen.add(key)
            _index_lines(value_node, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines, file)


_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


def _check_scalar(node: yaml.ScalarNode, path: Path_, file: str) -> None:
    """Refuse long values, text that is not Unicode, and what YAML 1.1 and 1.2 read apart."""
    text = node.value
    problem = hint = None
    number = node.tag in (_INT_TAG, _FLOAT_TAG)
    if len(text) > MAX_SCALAR_CHARS:
        problem = f"value of {len(text)} characters is too long"
        hint = f"values have at most {MAX_SCALAR_CHARS} characters"
    elif not _encodable(text):
        problem = f"{shown(text)} is not valid Unicode text (a lone surrogate?)"
        hint = "remove the \\ud800-\\udfff escape"
    elif node.tag == _BOOL_TAG and text.lower() not in ("true", "false"):
        problem, hint = f"{text!r} is ambiguous", "write true or false"
    elif node.tag == _INT_TAG and sum(c.isdigit() for c in text) > MAX_INT_DIGITS:
        problem = f"integer of {sum(c.isdigit() for c in text)} digits is too long"
        hint = f"integers have at most {MAX_INT_DIGITS} digits"
    elif number and ":" in text:
        problem = f"{text!r} is a base-60 number in YAML 1.1 and text in YAML 1.2"
        hint = "write the number in decimal, or quote it if it is text"
    elif node.tag == _INT_TAG and re.fullmatch(r"[-+]?0[0-9_]+", text):
        problem = f"{text!r} has a leading zero (YAML reads it as an octal number)"
        hint = f"write {text.lstrip('+-0') or '0'}"
    elif node.tag == _INT_TAG and re.fullmatch(r"[-+]?0b[01_]+", text):
        problem = f"{text!r} is a binary number in YAML 1.1 and text in YAML 1.2"
        hint = "write the number in decimal"
    elif number and "_" in text:
        problem = f"{text!r} is a number in YAML 1.1 and text in YAML 1.2"
        hint = f"write {text.replace('_', '')}"
    if problem:
        raise ScenarioError(
            problem,
            file=file,
            line=node.start_mark.line + 1,
            field=format_path(path) or None,
            hint=hint,
        )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def format_path(path: Iterable[Any]) -> str:
    """A field path as written in messages: ``nations[3].gdp_busd``."""
    out = ""
    for part in path:
        part = part if isinstance(part, int) else elide(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
