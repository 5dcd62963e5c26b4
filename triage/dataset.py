"""Loads the data tree in use, through a cache of the parsed YAML keyed by content hash.

Parsing YAML with ruamel.yaml costs as much as starting Python, so the parsed files are kept
as JSON: first in the wheel (compiled when it is built), then in the user's cache directory.
Both are used only when the hash of every data file matches, so an edited file is always
re-read; invalid data is never cached.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from . import cache
from .loader import DataError, build, data_files, default_root, parse_files, plain
from .model import DataSet

COMPILED = "compiled.json"  # beside the packaged data, written by the wheel build hook
FORMAT = 1  # bump when the cached form changes


def tree_hash(root: Path, files: list[str]) -> str:
    digest = hashlib.sha256(str(FORMAT).encode())
    for rel in files:
        digest.update(rel.encode() + b"\0" + (root / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def load(root: Path | None = None) -> DataSet:
    """The validated data tree; raises DataError listing every problem."""
    root = root or default_root()
    files, problems = data_files(root)
    if problems:
        raise DataError(problems)
    try:
        key = tree_hash(root, files)
    except OSError as error:
        raise DataError([_unreadable(root, error)]) from None
    parsed = _cached(root, key)
    fresh = parsed is None
    if fresh:
        parsed = parse_files(root, files, problems)
        if problems:  # syntax first: building on a partial tree would only add echoes of these
            raise DataError(problems)
    dataset = build(root, parsed, problems, trusted=not fresh)
    if dataset is None and not fresh:  # a damaged cache entry: ignore it and read the files
        problems = []
        parsed, fresh = parse_files(root, files, problems), True
        if not problems:
            dataset = build(root, parsed, problems)
    if dataset is None:
        raise DataError(problems)
    if fresh:
        cache.write(f"data-{key[:32]}.json", {"key": key, "files": {rel: plain(node) for rel, node in parsed.items()}})
    return dataset


def compile_tree(root: Path) -> dict:
    """The parsed, validated tree as JSON-ready data (used by the wheel build hook)."""
    files, problems = data_files(root)
    parsed = parse_files(root, files, problems) if not problems else {}
    if problems or build(root, parsed, problems) is None:
        raise DataError(problems)
    return {"key": tree_hash(root, files), "files": {rel: plain(node) for rel, node in parsed.items()}}


def _cached(root: Path, key: str) -> dict | None:
    for stored in (_read_json(root / COMPILED), cache.read(f"data-{key[:32]}.json")):
        if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("files"), dict):
            return stored["files"]
    return None


def _read_json(path: Path) -> object | None:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _unreadable(root: Path, error: OSError):
    from .schema import Problem

    return Problem(str(error.filename or root), None, f"cannot be read: {error.strerror}")
