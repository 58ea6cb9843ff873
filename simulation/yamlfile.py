"""Reading scenario YAML safely, with the line number of every field.

Files are read with PyYAML's safe loader only: no tags, one document, no duplicate keys, no alias
that contains itself, and none of YAML 1.1's surprising scalars (``yes``/``no``/``on``/``off`` as
booleans, ``010`` as octal 8). Every problem is a
:class:`~simulation.errors.ScenarioError` naming the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from simulation.errors import ScenarioError

Path_ = tuple[Any, ...]
"""A field path in the document: mapping keys and list indices."""


def read_yaml(path: str | Path) -> tuple[Any, dict[Path_, int]]:
    """Read a YAML file safely; return the data and a map from field path to line number."""
    file = str(path)
    try:
        raw_bytes = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError("file not found", file=file, hint="check the path") from None
    except IsADirectoryError:
        raise ScenarioError("is a directory, not a file", file=file) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read file ({exc.strerror})", file=file) from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not valid UTF-8 (byte {exc.start})", file=file, line=line, hint="save it as UTF-8"
        ) from None
    return parse_yaml(text, file)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML text with the safe loader; reject tags, duplicate keys and multiple documents."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
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
    lines: dict[Path_, int] = {}
    if node is not None:
        _index_lines(node, (), lines, file)
    return data, lines


_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"


def _index_lines(
    node: yaml.Node,
    path: Path_,
    lines: dict[Path_, int],
    file: str,
    open_nodes: frozenset[int] = frozenset(),
) -> None:
    """Record the line of every field path; reject what YAML 1.1 reads surprisingly."""
    line = node.start_mark.line + 1
    lines[path] = line
    if id(node) in open_nodes:
        raise ScenarioError(
            "an alias refers to the list or mapping that contains it",
            file=file,
            line=line,
            field=format_path(path) or None,
            hint="remove the self-referencing *alias",
        )
    open_nodes = open_nodes | {id(node)}
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, path, file)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise ScenarioError(
                    "duplicate key",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    field=format_path((*path, key)),
                    hint="each key may appear once in a mapping; delete one of them",
                )
            seen.add(key)
            _index_lines(value_node, (*path, key), lines, file, open_nodes)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines, file, open_nodes)


def _check_scalar(node: yaml.ScalarNode, path: Path_, file: str) -> None:
    """YAML 1.1 reads yes/no/on/off as booleans and 010 as octal 8: reject both as ambiguous."""
    text = node.value
    problem = hint = None
    if node.tag == _BOOL_TAG and text.lower() not in ("true", "false"):
        problem, hint = f"{text!r} is ambiguous", "write true or false"
    elif node.tag == _INT_TAG and re.fullmatch(r"[-+]?0[0-9_]+", text):
        problem = f"{text!r} has a leading zero (YAML reads it as an octal number)"
        hint = f"write {text.lstrip('+-0') or '0'}"
    if problem:
        raise ScenarioError(
            problem,
            file=file,
            line=node.start_mark.line + 1,
            field=format_path(path) or None,
            hint=hint,
        )


def format_path(path: Iterable[Any]) -> str:
    """A field path as written in messages: ``nations[3].gdp_busd``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
