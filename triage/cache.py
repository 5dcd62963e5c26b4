"""triage's own folder in the user's cache directory: public data only, written atomically.

Everything lives under <cache directory>/triage/ (the cache directory is $TRIAGE_CACHE_DIR
or the platform's), in files whose names only triage writes. Each file starts with a header
line naming what it holds and the key it was made from, then a line with the hash of the rest;
a reader passes the header it expects and gets the bytes after them, or None for a file that is
missing, foreign, of another key, damaged (its hash differs), too large or not a regular file,
so the caller rebuilds it. Pruning removes only files named as triage names them. Values are
decoded by the caller with msgspec into typed records: nothing read here can run code. Nothing
about an assessment is ever written here.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import USAGE, UserError

try:  # hashlib itself first loads OpenSSL, about 3 ms of every run; blake2b is built in
    from _blake2 import blake2b
except ImportError:  # an interpreter without the built-in module
    from hashlib import blake2b

FOLDER = "triage"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.msgpack$")  # the only names written or pruned here
MAX_BYTES = 64_000_000
CHECK_BYTES = 33  # the line after the header: 32 hexadecimal digits of the payload's hash, and a newline


def env_folder(name: str) -> Path | None:
    """The folder an environment variable names (`~` expanded), or None when it is unset."""
    value = os.environ.get(name)
    if not value:
        return None
    try:
        return Path(value).expanduser()
    except RuntimeError:  # ~nosuchuser
        raise UserError(f"{name} '{value}' names a home folder that does not exist", USAGE) from None


def cache_dir() -> Path:
    """The user's cache directory (not yet triage's folder inside it)."""
    override = env_folder("TRIAGE_CACHE_DIR")
    if override:
        return override
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("triage", appauthor=False))


def own_folder() -> Path:
    return cache_dir() / FOLDER


def header(kind: str, key: str) -> bytes:
    return f"triage {kind} {key}\n".encode()


def load(path: str | Path, expected: bytes, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes stored at `path` after the header `expected`, or None."""
    from .data.reader import Refused, read_bytes

    try:
        data = read_bytes(path, limit)
    except Refused:
        return None
    if not data.startswith(expected):
        return None
    check, payload = data[len(expected):len(expected) + CHECK_BYTES], data[len(expected) + CHECK_BYTES:]
    return payload if check == _check(payload) else None  # a bit flipped, a file cut short: rebuilt



def _check(payload: bytes) -> bytes:
    return blake2b(payload, digest_size=16).hexdigest().encode() + b"\n"


def read(name: str, expected: bytes) -> bytes | None:
    if not NAME.match(Path(name).name) or not trusted(own_folder()):
        return None
    return load(own_folder() / name, expected)


def trusted(folder: Path) -> bool:
    """Whether triage's folder is the user's own, and no one else can write in it. A store is
    data, never code, but a store planted by someone else could show a wrong number."""
    if not hasattr(os, "getuid"):
        return _in_own_profile(folder)
    try:
        info = folder.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _in_own_profile(folder: Path) -> bool:
    """Windows, where a folder's mode says nothing (always 0o777) and its owner is in an access
    list: the user's profile folder (%USERPROFILE%, holding %LOCALAPPDATA%) is by Windows' own
    rights readable and writable only by that user (and the administrators). A cache there is
    trusted; one elsewhere ($TRIAGE_CACHE_DIR on a shared drive) is never read, only rebuilt."""
    profile = os.environ.get("USERPROFILE")
    if not profile:
        return False
    try:
        return folder.is_dir() and folder.resolve().is_relative_to(Path(profile).resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def write(name: str, expected: bytes, payload: bytes) -> None:
    """Store in triage's cache folder; give up quietly when it cannot be written."""
    try:
        folder = own_folder()
        make_folder(folder)
        if trusted(folder):
            store(folder / name, expected, payload)
    except OSError:
        pass


def make_folder(folder: Path) -> None:
    """Create `folder` and its missing parents, each owner-only (0o700) whatever the umask
    (Path.mkdir gives parents the umask's mode: world-writable under umask 000, so anyone could
    swap a folder of stores). A folder that exists is left as it is; raises OSError."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue  # made just now by another triage
        os.chmod(path, 0o700)  # exactly: a umask may also have taken the owner's bits


def store(path: Path, expected: bytes, payload: bytes) -> None:
    """Write atomically (a temporary file renamed into place); raises OSError on failure."""
    import tempfile

    if not NAME.match(path.name):
        raise ValueError(f"not a name triage writes: {path.name}")
    make_folder(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(expected + _check(payload) + payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prune(subfolder: str, keep: set[str]) -> None:
    """Remove triage's own files in `subfolder` of its cache folder that are not in `keep`.
    Only a regular file named as triage names them and starting with triage's header is
    removed: any other file there is someone else's, and is left alone."""
    try:
        folder = own_folder() / subfolder
        for entry in os.scandir(folder):
            if NAME.match(entry.name) and entry.name not in keep and entry.is_file(follow_symlinks=False) \
                    and _written_by_triage(entry.path):
                os.unlink(entry.path)
    except OSError:
        pass


def _written_by_triage(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(b"triage ")) == b"triage "
