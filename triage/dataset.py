"""Loads the data tree in use, through a stored copy of the model built from it.

Parsing YAML with ruamel.yaml and validating it costs as much as starting Python, so the model
built from a valid tree is stored (see cache.py): first in the wheel (compiled when it is
built), then in the user's cache folder. A stored copy is used only when its key matches: the
hash of every data file's bytes and of the model's fields. So an edited file is always re-read,
a copy made by another version of triage is never misread, and invalid data is never stored.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from . import cache
from .loader import DataError, build, data_files, default_root, parse_files
from .model import DataSet, shape

COMPILED = "compiled.pickle"  # beside the packaged data, written by the wheel build hook
FORMAT = 2  # bump when the stored form changes


def tree_key(root: Path, files: list[str]) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{shape()}\0".encode())
    for rel in files:
        digest.update(rel.encode() + b"\0" + (root / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def load(root: Path | None = None) -> DataSet:
    """The validated data tree; raises DataError listing every problem."""
    root = root or default_root()
    key, files = _key(root)
    stored = _stored(root, key)
    if stored is not None:
        return stored
    dataset = _build(root, files)
    cache.write(_cache_name(key), key, dataset)
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
        from .schema import Problem

        raise DataError([Problem(str(error.filename or root), None, f"cannot be read: {error.strerror}")]) from None


def _build(root: Path, files: list[str]) -> DataSet:
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
    for read in (lambda: cache.load(root / COMPILED, key), lambda: cache.read(_cache_name(key), key)):
        stored = read()
        if isinstance(stored, DataSet):
            return stored
    return None


def _cache_name(key: str) -> str:
    return f"data-{key[:32]}.pickle"
