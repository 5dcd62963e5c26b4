"""Shared fixtures for the triage tests.

- Every test runs with TRIAGE_CACHE_DIR set to a temporary folder, so no test reads or
  writes the real user cache. The folder is shared by the whole session (the cache is keyed
  by the content hash of the data, so sharing is safe and keeps CLI runs fast); a test that
  needs a cache of its own uses the `private_cache` fixture.
- TRIAGE_DATA_DIR and TRIAGE_AUTHORITY are removed from the environment, so the user's own
  settings never leak into a test.
- `run(*args, env=None, input=None)` runs `python -m triage ARGS` from the project root.
- `data_copy` is a copy of the project's data/ tree in tmp_path.
- `memo_parse` (opt-in) makes in-process loads of many slightly different trees fast by
  locating problems in each unchanged file once per session with the real round-trip parser.
"""
from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

# A test run started in the background (`pytest &`) inherits SIGINT ignored, and so would every
# triage it starts: triage keeps an ignored SIGINT (as for a background job), so its Ctrl-C
# tests would wait for ever. Ctrl-C is what the tests test: restore it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent  # the project root (holds triage/ and data/)
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"  # the source documents; may be absent (CI)
SOURCES = SHARED / "sources"


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """Set for the whole session too, so session- and module-scoped fixtures are covered."""
    folder = tmp_path_factory.mktemp("triage-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRIAGE_CACHE_DIR", str(folder))
        for name in ("TRIAGE_DATA_DIR", "TRIAGE_AUTHORITY"):
            patch.delenv(name, raising=False)
        yield folder


@pytest.fixture(autouse=True)
def cache_dir(_session_cache, monkeypatch) -> Path:
    """TRIAGE_CACHE_DIR for every test: a temporary folder, never the user's cache."""
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(_session_cache))
    for name in ("TRIAGE_DATA_DIR", "TRIAGE_AUTHORITY"):
        monkeypatch.delenv(name, raising=False)
    return _session_cache


@pytest.fixture
def private_cache(tmp_path, monkeypatch) -> Path:
    """A cache folder for this test alone (also set as TRIAGE_CACHE_DIR)."""
    folder = tmp_path / "private-cache"
    folder.mkdir()
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(folder))
    return folder


def run_triage(*args, env: dict | None = None, input: str | None = None, timeout: float = 120,
               cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m triage ARGS` from the project root and return the finished process.

    `env` adds to (or, with a value of None, removes from) the current environment, which
    already holds the test's TRIAGE_CACHE_DIR. Without `input`, stdin is empty (/dev/null).
    """
    full_env = dict(os.environ)
    full_env.pop("PYTHONSTARTUP", None)
    for key, value in (env or {}).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = str(value)
    return subprocess.run(
        [sys.executable, "-m", "triage", *[str(a) for a in args]],
        cwd=str(cwd or ROOT), env=full_env, text=True, encoding="utf-8", capture_output=True,
        input=input, stdin=subprocess.DEVNULL if input is None else None, timeout=timeout,
    )


@pytest.fixture
def run():
    """`run(*args, env=None, input=None)`: see run_triage."""
    return run_triage


def run_many(calls: list[tuple[tuple, dict | None]]) -> list[subprocess.CompletedProcess]:
    """run_triage(*args, env=env) for each (args, env), a few at a time; results in order."""
    from concurrent.futures import ThreadPoolExecutor

    workers = max(2, min(4, os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda call: run_triage(*call[0], env=call[1]), calls))


def invoke_triage(*args, env: dict | None = None, encoding: str | None = None) -> subprocess.CompletedProcess:
    """Run triage's real entry point (`triage.cli.main`) in this process, as `run` would.

    Much faster than a subprocess for checking output. Exit status, stdout and stderr come
    back in a CompletedProcess; an exception main() does not handle propagates (the test
    fails with it). `env` as in run_triage. With `encoding` (e.g. "ascii"), stdout and stderr
    are text files in that encoding, as PYTHONIOENCODING would make them.
    """
    import contextlib
    import io

    from triage.cli import main

    if encoding:
        out, err = (io.TextIOWrapper(io.BytesIO(), encoding=encoding, newline="") for _ in range(2))
    else:
        out, err = io.StringIO(), io.StringIO()
    saved_env, saved_argv = dict(os.environ), sys.argv
    saved_mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])  # a failing main() blocks signals until "exit"
    try:
        for key, value in (env or {}).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = str(value)
        sys.argv = ["triage", *[str(a) for a in args]]
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        signal.pthread_sigmask(signal.SIG_SETMASK, saved_mask)
    return subprocess.CompletedProcess(["triage", *args], code, _text(out), _text(err))


def _text(stream) -> str:
    if hasattr(stream, "getvalue"):
        return stream.getvalue()
    stream.flush()
    return stream.buffer.getvalue().decode(stream.encoding)  # fails if a character escaped the encoding


@pytest.fixture
def invoke():
    """`invoke(*args, env=None)`: see invoke_triage."""
    return invoke_triage


def held_ids(root: Path = DATA) -> list[str]:
    """The ids of the authorities whose indicators a tree holds (three shipped; a council may add more)."""
    return sorted(p.name for p in (root / "indicators").iterdir() if p.is_dir())


def copy_data(target: Path) -> Path:
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the project's data/ tree (tmp_path/data)."""
    return copy_data(tmp_path / "data")


@pytest.fixture(scope="session")
def shipped(_session_cache):
    """The project's own data/ tree, loaded in-process (triage.data.store.load)."""
    from triage.data.store import load

    return load(DATA)


# ---------------------------------------------------------------------------------------
# Fast in-process loads of many slightly different trees

_LOCATED: dict[str, object] = {}
_PLAIN: dict[tuple[str, str], tuple[object, Exception | None]] = {}


@pytest.fixture
def memo_parse(monkeypatch):
    """Parse each text with the round-trip loader once per session.

    The loader re-reads a part of a tree with problems with ruamel.yaml's round-trip loader
    (pure Python, slow), to say on which line each problem is. Every text is still parsed by
    `triage.data.reader.parse_located` the first time, so lines are exactly the real ones; a
    text seen before gets the same nodes back (the loader never changes them)."""
    import triage.data.reader

    real = triage.data.reader.parse_located

    def parse_located(text):
        if text not in _LOCATED:
            _LOCATED[text] = real(text)
        return _LOCATED[text]

    plain = triage.data.reader.parse

    def parse(text, where):
        # The plain parse too (about 17 ms a file, 40 files an authority): a copy each time,
        # so a build that changed its nodes could not change the next one's.
        key = (text, where)
        if key not in _PLAIN:
            try:
                _PLAIN[key] = (plain(text, where), None)
            except triage.data.reader.Refused as refused:
                _PLAIN[key] = (None, refused)
        node, refused = _PLAIN[key]
        if refused is not None:
            raise refused
        return copy.deepcopy(node)

    monkeypatch.setattr(triage.data.reader, "parse_located", parse_located)
    monkeypatch.setattr(triage.data.reader, "parse", parse)
    return parse_located


# The two longest modules (over a minute each) start first, one in each of pytest-xdist's
# processes, so neither is left running alone at the end: about 3 minutes, not 3 min 40.
LONGEST_FIRST = ("test_keys_fuzz.py", "test_fuzz.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)  # stable: the rest keep their order
