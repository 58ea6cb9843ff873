"""All-or-nothing result directories: stage, list in a manifest, swap in; one writer at a time.

A results directory (``run`` or ``compare`` ``--out``) is written whole or not at all:

1. **Lock.** The writer takes an exclusive ``fcntl.flock`` on ``.<name>.lock`` beside the
   directory (non-blocking: a second writer into the same place is refused with one line naming
   the holder's process id). The lock dies with its process, so a killed run never blocks the
   next one. The lock file itself is empty and stays.
2. **Clean.** Under the lock, temporaries that a killed writer left beside the directory
   (``.<name>.tmp-*``, ``.<name>.old-*``) are removed; they are dot-named siblings, never the
   directory itself, so nothing reads them as results.
3. **Stage.** Every file is written into a fresh sibling ``.<name>.tmp-XXXXXXXX`` and flushed to
   disk.
4. **Manifest.** ``manifest.json`` is written last: it names every staged file with its SHA-256
   and size. :func:`verify` refuses a directory whose files do not match it (a partial, mixed or
   edited directory).
5. **Swap.** A new place: one ``rename``. An existing results directory: the staged and the old
   directory are exchanged in one step (Linux ``renameat2(RENAME_EXCHANGE)``), then the old one
   is deleted; there is no moment at which neither exists. Where the exchange is unsupported
   (another kernel or file system) the old directory is renamed aside and the new one renamed
   in: between these two renames (microseconds) the place is empty; a writer killed exactly
   there leaves the old run as ``.<name>.old-*``, which the next writer restores before it
   cleans up.

A directory that exists and is neither empty nor a results directory (one with
``manifest.json``, or only the files ``run``/``compare``/``report`` write) is never replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from simulation.errors import ScenarioError

MANIFEST = "manifest.json"
FORMAT = "alliance-sim results 1"
"""``format`` of ``manifest.json``; a reader refuses any other."""

DERIVED = ("figures", "report.md")
"""Entries ``report`` redraws in place: listed in the manifest when staged, never checked."""

NAME_MAX = 255
"""Longest file name in bytes (Linux, macOS)."""
PATH_MAX = 4096
"""Longest path in bytes (Linux)."""
_SUFFIX = ".tmp-XXXXXXXX"
MAX_NAME = NAME_MAX - len(_SUFFIX) - 1
"""Longest directory name accepted: its staging sibling ``.<name>.tmp-XXXXXXXX`` must fit too."""
MAX_PATH = PATH_MAX - 512
"""Longest directory path accepted, leaving room for the files inside it."""

_HELD: dict[Path, int] = {}
"""Locks this process holds, by directory (absolute): a second ``flock`` would conflict."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


# ------------------------------------------------------------------ the destination
def check_destination(out: Path, field: str = "--out") -> Path:
    """The absolute destination, checked before any work; raise :class:`ScenarioError` if unusable.

    Refused: an empty path or ``.``, the root folder, a name over
    :data:`MAX_NAME` bytes or a path over :data:`MAX_PATH` bytes, a file where the directory or
    a parent should be, a directory that is not a results directory, a results directory with a
    file where a directory belongs or the reverse, and a parent that cannot be created or written.
    """
    if str(out) in ("", "."):  # Path("") is Path(".")
        raise ScenarioError(
            "empty or '.' output directory", field=field, hint="give a new directory path"
        )
    path = Path(os.path.abspath(out))
    if path.parent == path:
        raise ScenarioError(f"{out} is the root folder", field=field, hint="give a directory path")
    name_bytes = len(os.fsencode(path.name))
    if name_bytes > MAX_NAME:
        raise ScenarioError(
            f"directory name is {name_bytes} bytes, over the limit of {MAX_NAME}",
            field=field,
            hint="give a shorter name",
        )
    if len(os.fsencode(str(path))) > MAX_PATH:
        raise ScenarioError(
            f"path is over {MAX_PATH} bytes", field=field, hint="give a shorter path"
        )
    for part in path.parents:
        if len(os.fsencode(part.name)) > NAME_MAX:
            raise ScenarioError(
                f"a folder name in {out} is over {NAME_MAX} bytes", field=field, hint="shorten it"
            )
        if part.exists() and not part.is_dir():
            raise ScenarioError(
                f"{part} is a file, not a folder", field=field, hint="give another path"
            )
    if path.exists() or path.is_symlink():
        check_replaceable(path, field)
    return path


def check_replaceable(path: Path, field: str = "--out") -> None:
    """Refuse to replace ``path`` unless it is empty or a results directory of the right shape."""
    if path.is_symlink() or not path.is_dir():
        raise ScenarioError(
            f"{path} exists and is not a directory", field=field, hint="give a directory path"
        )
    entries = list(path.iterdir())
    names = {p.name for p in entries}
    if names and MANIFEST not in names and not names <= _known_names(names):
        foreign = sorted(names - _known_names(names))[0]
        raise ScenarioError(
            f"{path} holds {foreign!r}, which alliance-sim did not write; it will not replace it",
            field=field,
            hint="give a new or empty directory",
        )
    for entry in entries:
        want_dir = entry.name == "figures"
        if entry.is_symlink() or entry.is_dir() != want_dir:
            kind = "a directory" if want_dir else "a file"
            raise ScenarioError(
                f"{entry} should be {kind}; this is not a results directory",
                field=field,
                hint="remove it or give another directory",
            )


def _known_names(names: set[str]) -> set[str]:
    tables = {f"{t}.{ext}" for t in _TABLE_STEMS for ext in ("parquet", "csv")}
    fixed = {MANIFEST, "summary.json", "comparison.json", "scenario.resolved.yaml", *DERIVED}
    variants = {n for n in names if n.startswith("scenario.") and n.endswith(".resolved.yaml")}
    return tables | fixed | variants


_TABLE_STEMS = ("timeseries", "events", "nations", "pairs", "summaries", "differences")


# ------------------------------------------------------------------ the lock
def _lock_path(path: Path) -> Path:
    return path.parent / f".{path.name}.lock"


def reserved(out: Path, field: str = "--out") -> contextlib.AbstractContextManager[Path]:
    """Check ``out`` (:func:`check_destination`) and hold its writer's lock for the block."""
    return locked(check_destination(out, field), field)


@contextlib.contextmanager
def locked(path: Path, field: str = "--out") -> Iterator[Path]:
    """Hold the writer's lock on the absolute ``path`` for the block; yield ``path``.

    Re-entrant within one process. Raises :class:`ScenarioError` when another process holds it
    or the parent cannot be created; :class:`OSError` for an environment fault.
    """
    out = path
    if path in _HELD:
        yield path
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        raise ScenarioError(
            f"cannot create {path.parent} or its lock file ({exc.strerror})",
            field=field,
            hint="check the path and its permissions",
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
        os.close(fd)
        raise ScenarioError(
            f"another alliance-sim (pid {holder}) is writing {out}",
            field=field,
            hint="wait for it to finish or give another --out",
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _HELD[path] = fd
    try:
        _recover(path)
        yield path
    finally:
        del _HELD[path]
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the last descriptor releases the lock


def _recover(path: Path) -> None:
    """Under the lock: restore an old run a killed swap left aside, remove other temporaries."""
    olds = sorted(path.parent.glob(f".{glob_escape(path.name)}.old-*"))
    if olds and not path.exists():
        os.rename(olds.pop(), path)
    for tmp in [*olds, *path.parent.glob(f".{glob_escape(path.name)}.tmp-*")]:
        shutil.rmtree(tmp, ignore_errors=True)


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards quoted."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


# ------------------------------------------------------------------ staging and the swap
def publish(out: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Write a results directory all-or-nothing; return the final paths of the files written.

    ``write(stage)`` writes every file into the empty staging directory ``stage`` and returns
    their paths. Then the manifest is written and the directory swapped in (module docstring).
    On any error the staging directory is removed and ``out`` is left as it was.
    """
    with reserved(out) as path:
        stage = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
        try:
            os.chmod(stage, 0o777 & ~_UMASK)
            written = write(stage)
            write_manifest(stage)
            _fsync_tree(stage)
            if path.exists():
                check_replaceable(path)
            _swap_in(stage, path)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        _fsync_dir(path.parent)
        return [path / p.relative_to(stage) for p in written] + [path / MANIFEST]


def _swap_in(stage: Path, path: Path) -> None:
    if not path.exists():
        os.rename(stage, path)
        return
    if _exchange(stage, path):
        shutil.rmtree(stage, ignore_errors=True)  # now holds the old run
        return
    old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
    os.rename(path, old)  # replaces the empty directory just made
    os.rename(stage, path)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux ``renameat2``); False where unsupported."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    for directory in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------ the manifest
def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(directory: Path) -> Path:
    """Write ``manifest.json`` naming every file under ``directory`` with its SHA-256 and size."""
    files = {
        p.relative_to(directory).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
    body = {"format": FORMAT, "files": files}
    path = directory / MANIFEST
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


MAX_MANIFEST_BYTES = 1 << 20
MAX_FILES = 10_000


def verify(directory: Path) -> dict[str, Any]:
    """Check ``directory`` against its manifest; return the manifest's ``files`` mapping.

    Raises :class:`ScenarioError` (naming the file) when the manifest is missing, malformed,
    names a file that is missing or differs in size or SHA-256, or when the directory holds a
    file the manifest does not name (outside the derived ``figures/`` and ``report.md``).
    """
    where = str(directory / MANIFEST)
    hint = "re-run the command that wrote this directory"
    path = directory / MANIFEST
    if not path.is_file():
        raise ScenarioError(
            "missing: not a complete alliance-sim results directory (partial, or written by an "
            "older version)",
            file=where,
            hint=hint,
        )
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ScenarioError(f"larger than {MAX_MANIFEST_BYTES} bytes", file=where, hint=hint)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ScenarioError(f"not valid JSON ({exc})", file=where, hint=hint) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ScenarioError(f"format is not {FORMAT!r}", file=where, field="format", hint=hint)
    files = data.get("files")
    if not isinstance(files, dict) or not 0 < len(files) <= MAX_FILES:
        raise ScenarioError("no list of files", file=where, field="files", hint=hint)
    for name, entry in files.items():
        _check_entry(directory, name, entry, where, hint)
    for entry in directory.iterdir():
        if entry.name in (MANIFEST, *DERIVED) or entry.name in files:
            continue
        raise ScenarioError(
            f"{entry.name} is not in {MANIFEST}: a file from another run, or added by hand",
            file=str(directory),
            hint=f"remove it or {hint}",
        )
    return files


def _check_entry(directory: Path, name: Any, entry: Any, where: str, hint: str) -> None:
    field = f"files.{name}"
    rel = Path(str(name))
    if not isinstance(name, str) or rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ScenarioError("not a path inside the directory", file=where, field=field)
    if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)):
        raise ScenarioError("needs sha256 and bytes", file=where, field=field, hint=hint)
    if rel.parts[0] in DERIVED:
        return
    path = directory / rel
    size = entry.get("bytes")
    if not path.is_file():
        raise ScenarioError(
            "listed in the manifest but missing (a partial directory)",
            file=str(path),
            hint=hint,
        )
    if path.stat().st_size != size or sha256_file(path) != entry["sha256"]:
        raise ScenarioError(
            "differs from the manifest (changed after the run, or from another run)",
            file=str(path),
            hint=hint,
        )
