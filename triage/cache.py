"""A small on-disk cache of public data only: the parsed data tree and bank holiday dates.

Nothing about an assessment is ever written here. Every read is checked by the caller
(content hash, package stamp); a missing, corrupt or unwritable cache is simply ignored.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    override = os.environ.get("TRIAGE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("triage", appauthor=False))


def read(name: str) -> object | None:
    try:
        with open(cache_dir() / name, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write(name: str, value: object) -> None:
    """Write atomically (a temporary file renamed into place); give up quietly on failure."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(value, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass
