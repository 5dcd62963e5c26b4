"""Where data comes in: files read with bounds, YAML parsed with no aliases and little nesting.

A data tree or an answers file may come from anyone, so nothing here trusts a file to be
small, regular or well-meaning: only regular files are read (a FIFO or a device would hang
or never end), symbolic links only when they stay inside the tree, each file up to
MAX_FILE_BYTES and a tree up to MAX_TREE_BYTES, and YAML without anchors or aliases (the
data format needs none; an alias bomb of 1 KB expands to gigabytes) nested at most
MAX_DEPTH deep. Every refusal is one line naming the file and the limit.

YAML is parsed with ruamel.yaml's C safe loader (ruamel.yaml.clib, about eight times faster
than its pure-Python round-trip loader); the round-trip loader, which knows every node's
line, runs only on files already found to have a problem, to say where.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Problem

MAX_FILE_BYTES = 2_000_000
MAX_TREE_BYTES = 64_000_000
MAX_TREE_FILES = 10_000
MAX_DEPTH = 32  # the data format nests about 6 deep


class Refused(Exception):
    """A file that is not read (or not parsed): `where` and a one-line message."""

    def __init__(self, where: str, message: str, line: int | None = None):
        super().__init__(f"{where}:{line}: {message}" if line else f"{where}: {message}")
        self.problem = Problem(where, line, message)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


# O_NONBLOCK (POSIX): opening a FIFO returns at once instead of waiting for a writer, and the
# FIFO is then refused. O_BINARY (Windows): the bytes as they are, no newline translation.
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
READ_FLAGS = os.O_RDONLY | NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _refuse_special(where: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise Refused(where, "is a folder, not a file: a data file is a regular file")
    if not stat.S_ISREG(mode):
        raise Refused(where, "is not a regular file (a device, FIFO or socket is never read)")


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises Refused."""
    where = str(path)
    try:
        if not NONBLOCK:  # a FIFO would wait for a writer: refuse it by its name first
            _refuse_special(where, os.stat(path).st_mode)
        handle = os.open(path, READ_FLAGS)
    except OSError as error:
        raise Refused(where, f"cannot be read: {error.strerror or error}") from None
    try:
        info = os.fstat(handle)
        _refuse_special(where, info.st_mode)
        if info.st_size > limit:
            raise Refused(where, f"is {megabytes(info.st_size)}, over the limit of {megabytes(limit)} for one file")
        chunks, size = [], 0
        while size <= limit:  # the size may have grown since fstat: read no more than the limit
            chunk = os.read(handle, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Refused(where, f"is over the limit of {megabytes(limit)} for one file")
        return b"".join(chunks)
    except OSError as error:
        raise Refused(where, f"cannot be read: {error.strerror or error}") from None
    finally:
        os.close(handle)


def decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(where, "is not UTF-8 text: save it as UTF-8", data.count(b"\n", 0, error.start) + 1) from None


def parse(text: str, where: str):
    """The plain value of one YAML document (dicts, lists, scalars); raises Refused."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        _check_events(text, where)
        return _safe_yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = " ".join(str(error.problem or error.context or "invalid YAML").split())
        raise Refused(where, f"YAML syntax error: {what}", mark.line + 1 if mark else None) from None
    except (YAMLError, ValueError, TypeError, RecursionError, OverflowError) as error:
        raise Refused(where, f"YAML syntax error: {' '.join(str(error).split())[:200]}") from None


def parse_located(text: str):
    """The same document as round-trip nodes that know their lines; only for text `parse` took."""
    from ruamel.yaml import YAML

    return YAML(typ="rt").load(text)


def read_yaml(path: str | Path):
    """A bounded YAML (or JSON) file's plain value; raises Refused. Used for --answers files."""
    return parse(decode(read_bytes(path), str(path)), str(path))


def _safe_yaml():
    global _SAFE
    if _SAFE is None:
        from ruamel.yaml import YAML

        _SAFE = YAML(typ="safe")  # the C loader when ruamel.yaml.clib is installed
    return _SAFE


_SAFE = None


def _check_events(text: str, where: str) -> None:
    """Refuse anchors, aliases and deep nesting before anything is built from the text.

    The C parser emits events without building anything, so this costs little and bounds
    what the loader (whose C composer recurses once a level) will be asked to build."""
    depth = 0
    for event in _safe_yaml().parse(text):
        kind = type(event).__name__
        if kind == "AliasEvent" or getattr(event, "anchor", None):
            raise Refused(where, "YAML anchors and aliases (& and *) are not allowed",
                          event.start_mark.line + 1)
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(where, f"is nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1)
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1


# ---------------------------------------------------------------------------------------
# The files of a tree

COMMON = "indicators/common.yaml"  # the shared files: every authority is built with them
NATIONAL = "contacts/national.yaml"


def own_files(files, folder: str) -> list[str]:
    """The files an authority is built from, besides the shared ones: its folder
    indicators/<folder>/ and its contacts/<folder>.yaml."""
    prefix = f"indicators/{folder}/"
    inside = sorted(rel for rel in files if rel.startswith(prefix))
    return inside + ([f"contacts/{folder}.yaml"] if f"contacts/{folder}.yaml" in files else [])


def list_tree(root: Path) -> tuple[dict[str, os.stat_result], list[str], list[Problem]]:
    """The YAML files of a tree ({path relative to root: its stat}), its authority folders,
    and any layout problems.

    A tree holds indicators/ (common.yaml and one folder per authority) and contacts/. Only
    regular files are listed; a symbolic link is followed only when it stays in the tree.
    Listing every authority (and validating) lists the tree; a command for one authority
    lists only its part (list_part). Either stays lean: one stat a file."""
    files: dict[str, os.stat_result] = {}
    folders: list[str] = []
    problems: list[Problem] = []
    total = 0
    try:
        inside = os.path.realpath(root, strict=True)
    except (OSError, RuntimeError) as error:
        return files, folders, [Problem(str(root), None, f"cannot be read: {getattr(error, 'strerror', None) or error}")]
    for part in ("indicators", "contacts"):
        for name, path, info in _entries(os.path.join(root, part), inside, problems,
                                         f"missing folder: a data tree holds '{part}/' (see docs/data-format.md)"):
            if part == "indicators" and stat.S_ISDIR(info.st_mode):
                folders.append(name)
                for inner, inner_path, inner_info in _entries(path, inside, problems):
                    if inner.endswith(".yaml"):
                        total += _add(files, problems, f"{part}/{name}/{inner}", inner_path, inner_info)
                    elif misnamed(inner):
                        problems.append(not_read(inner_path, inner))
            elif name.endswith(".yaml"):
                total += _add(files, problems, f"{part}/{name}", path, info)
            elif misnamed(name):
                problems.append(not_read(path, name))
            if total > MAX_TREE_BYTES or len(files) > MAX_TREE_FILES:
                problems.append(Problem(str(root), None, f"holds more than {megabytes(MAX_TREE_BYTES)} or "
                                        f"{MAX_TREE_FILES} files of data, the limit for a tree"))
                return files, folders, problems
    return files, folders, problems


def misnamed(name: str) -> bool:
    """A YAML file that is never read, its name not ending '.yaml' (family.yml, family.YAML):
    a domain saved so is half the indicators gone, with validate saying OK. Other files
    (notes, a stray store) are not data and are left alone."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot and stem) and suffix.lower() in ("yml", "yaml") and suffix != "yaml"


def not_read(path: str, name: str) -> Problem:
    return Problem(path, None, f"is ignored: only files ending '.yaml' are read: rename it {name.rpartition('.')[0]}.yaml")


def list_part(root: Path, authority: str | None = None) -> dict[str, os.stat_result] | None:
    """The files of one part of a tree, listed as list_tree lists them: the shared files, or
    with `authority` that authority's own files (see own_files). None when any is missing or
    would be refused: listing the whole tree then says what is wrong."""
    try:
        inside = os.path.realpath(root, strict=True)
    except (OSError, RuntimeError):
        return None
    found: list[tuple[str, str, os.stat_result]] = []
    problems: list[Problem] = []
    if authority is None:
        rels = [COMMON, NATIONAL]
    else:
        rels = [f"contacts/{authority}.yaml"]
        folder = os.path.join(root, "indicators", authority)
        info = _stat_inside(folder, inside)
        if info is None or not stat.S_ISDIR(info.st_mode):
            return None
        entries = _entries(folder, inside, problems)
        if any(misnamed(name) for name, _, _ in entries):
            return None  # a YAML file that is never read: the whole tree is listed, and says so
        found += [(f"indicators/{authority}/{name}", path, inner)
                  for name, path, inner in entries if name.endswith(".yaml")]
    for rel in rels:
        path = os.path.join(root, rel)
        info = _stat_inside(path, inside)
        if info is None:
            return None
        found.append((rel, path, info))
    files: dict[str, os.stat_result] = {}
    for rel, path, info in found:
        _add(files, problems, rel, path, info)
    return None if problems else files


def _stat_inside(path: str, inside: str) -> os.stat_result | None:
    """A path's stat, its link followed only if it stays inside the tree; None otherwise."""
    try:
        if os.path.islink(path) and not _inside(path, inside):
            return None
        return os.stat(path)
    except OSError:
        return None


def _entries(folder: str, inside: str, problems: list[Problem], missing: str | None = None):
    """The visible entries of a folder with their stat (links followed, if inside the tree)."""
    result: list[tuple[str, str, os.stat_result]] = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except FileNotFoundError:
        if missing:
            problems.append(Problem(folder, None, missing))
        return result
    except OSError as error:
        problems.append(Problem(folder, None, f"cannot be read: {error.strerror or error}"))
        return result
    if len(entries) > MAX_TREE_FILES:
        problems.append(Problem(folder, None, f"holds more than {MAX_TREE_FILES} entries, the limit for a tree"))
        return []
    for entry in entries:
        if entry.is_symlink() and not _inside(entry.path, inside):
            problems.append(Problem(entry.path, None, "is a link to somewhere outside the data tree: copy the file in instead"))
            continue
        try:
            result.append((entry.name, entry.path, entry.stat()))
        except OSError as error:
            problems.append(Problem(entry.path, None, f"cannot be read: {error.strerror or error}"))
    return result


def _inside(path: str, root: str) -> bool:
    try:
        target = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return False
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _add(files: dict, problems: list[Problem], rel: str, path: str, info: os.stat_result) -> int:
    if stat.S_ISDIR(info.st_mode):
        problems.append(Problem(path, None, "should be a YAML file, found a folder"))
    elif not stat.S_ISREG(info.st_mode):
        problems.append(Problem(path, None, "is not a regular file (a device, FIFO or socket is never read)"))
    elif info.st_size > MAX_FILE_BYTES:
        problems.append(Problem(path, None, f"is {megabytes(info.st_size)}, over the limit of "
                                f"{megabytes(MAX_FILE_BYTES)} for one file"))
    else:
        files[rel] = info
        return info.st_size
    return 0
