"""A small on-disk store of public data only: the built data model and bank holiday dates.

Nothing about an assessment is ever written here. Each file starts with a key line (a hash of
what the value was made from); a reader passes the key it expects, and a file whose key
differs, or that is damaged in any way, is ignored, so the caller rebuilds it. A missing or
unwritable cache folder is ignored too.

Values are pickled: `pickle` is already loaded with typer's stack and loads the model in a
single call, several times faster than rebuilding it from JSON. The files are written only by
triage, into the user's own cache folder; anyone able to plant a file there could as well edit
the user's shell start-up files, so unpickling them adds no exposure.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

PROTOCOL = 4  # readable by every Python triage supports


def cache_dir() -> Path:
    override = os.environ.get("TRIAGE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("triage", appauthor=False))


def load(path: str | Path, key: str) -> object | None:
    """The value stored at `path` under `key`, or None (missing, another key, or damaged)."""
    try:
        with open(path, "rb") as handle:
            if handle.readline() != key.encode() + b"\n":
                return None
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a damaged pickle can raise almost anything; rebuild instead
        return None


def store(path: str | Path, key: str, value: object) -> None:
    """Write atomically (a temporary file renamed into place); raises OSError on failure."""
    import tempfile

    folder = Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{Path(path).name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(key.encode() + b"\n")
            pickle.dump(value, out, protocol=PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(name: str, key: str) -> object | None:
    return load(cache_dir() / name, key)


def write(name: str, key: str, value: object) -> None:
    """Store in the user's cache folder; give up quietly when it cannot be written."""
    try:
        store(cache_dir() / name, key, value)
    except OSError:
        pass


def prune(prefix: str, keep: int) -> None:
    """Remove all but the `keep` newest files whose names start with `prefix`, so a data
    author's many edits do not pile up copies; give up quietly on any error."""
    try:
        stored = sorted((p for p in cache_dir().iterdir() if p.name.startswith(prefix)),
                        key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in stored[keep:]:
            old.unlink()
    except OSError:
        pass
