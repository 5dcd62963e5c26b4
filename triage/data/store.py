"""Loads the data tree in use, through a stored copy of the model built from it.

Parsing YAML with ruamel.yaml and validating it costs as much as starting Python, so the model
built from a valid tree is stored (see cache.py): first in the wheel (compiled when it is
built), then in the user's cache folder. A stored copy is used only when its key matches: the
hash of every data file's bytes and of the model's fields. So an edited file is always re-read,
a copy made by another version of triage is never misread, and invalid data is never stored.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import cache
from .errors import DataError, Problem
from .model import DataSet, shape

try:  # hashlib itself first loads OpenSSL, about 3 ms of every run; blake2b is built in
    from _blake2 import blake2b
except ImportError:  # an interpreter without the built-in module
    from hashlib import blake2b

COMPILED = "compiled.pickle"  # beside the packaged data, written by the wheel build hook
FORMAT = 2  # bump when the stored form changes
KEEP = 4  # stored models kept in the user's cache: the trees in use, not every edit


def tree_key(root: Path, files: list[str]) -> str:
    digest = blake2b(f"{FORMAT}\0{shape()}\0".encode())
    for rel in files:
        digest.update(rel.encode() + b"\0" + (root / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def data_files(root: Path) -> tuple[list[str], list[Problem]]:
    """The data files of a tree, as paths relative to `root`, and any layout problems."""
    problems: list[Problem] = []
    files: list[str] = []
    for part in ("indicators", "contacts"):
        folder = root / part
        if not folder.is_dir():
            problems.append(Problem(str(folder), None, f"missing folder: a data tree holds '{part}/' (see docs/data-format.md)"))
            continue
        for entry in sorted(folder.iterdir()):
            rel = f"{part}/{entry.name}"
            if part == "indicators" and entry.is_dir():
                for inner in sorted(entry.iterdir()):
                    if inner.name.startswith("."):
                        continue
                    if _is_yaml_name(inner.name):
                        if inner.is_file():
                            files.append(f"{rel}/{inner.name}")
                        else:
                            problems.append(Problem(str(inner), None, "should be a YAML file, found a folder"))
            elif _is_yaml_name(entry.name):
                if entry.is_file():
                    files.append(rel)
                else:
                    problems.append(Problem(str(entry), None, "should be a YAML file, found a folder"))
    return files, problems


def _is_yaml_name(name: str) -> bool:
    return name.endswith(".yaml") and not name.startswith(".")


def default_root() -> Path:
    """The data tree in use: $TRIAGE_DATA_DIR, else the packaged copy, else the source tree's."""
    override = os.environ.get("TRIAGE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    packaged = Path(__file__).resolve().parent / "data"  # installed from the wheel
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def load(root: Path | None = None) -> DataSet:
    """The validated data tree; raises DataError listing every problem."""
    root = root or default_root()
    key, files = _key(root)
    stored = _stored(root, key)
    if stored is not None:
        return stored
    dataset = _build(root, files)
    cache.write(_cache_name(key), key, dataset)
    cache.prune("data-", KEEP)
    return dataset


def compile_tree(root: Path) -> tuple[str, DataSet]:
    """The key and the validated model of a tree (used by the wheel build hook)."""
    key, files = _key(root)
    return key, _build(root, files)


def _key(root: Path) -> tuple[str, list[str]]:
    files, problems = data_files(root)
    if problems:
        raise DataError(problems)
    try:
        return tree_key(root, files), files
    except OSError as error:
        raise DataError([Problem(str(error.filename or root), None, f"cannot be read: {error.strerror}")]) from None


def _build(root: Path, files: list[str]) -> DataSet:
    from .loader import build, parse_files

    problems: list = []
    parsed = parse_files(root, files, problems)
    if problems:  # syntax first: building on a partial tree would only add echoes of these
        raise DataError(problems)
    dataset = build(root, parsed, problems)
    if dataset is None:
        raise DataError(problems)
    return dataset


def _stored(root: Path, key: str) -> DataSet | None:
    # The packaged copy first: reading it needs no cache folder (nor platformdirs).
    stored = cache.load(root / COMPILED, key)
    if not isinstance(stored, DataSet):
        stored = cache.read(_cache_name(key), key)
    return stored if isinstance(stored, DataSet) else None


def _cache_name(key: str) -> str:
    return f"data-{key[:32]}.pickle"
