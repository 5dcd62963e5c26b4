"""triage on Windows, simulated: every command run with what Windows' Python lacks removed
before the package is imported (tests/as_windows.py), and a test for each platform branch."""
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import copy_data, held_ids

from triage import cache, signals
from triage.data import reader

ROOT = Path(__file__).resolve().parent.parent
AS_WINDOWS = [sys.executable, str(Path(__file__).with_name("as_windows.py"))]
WHEN = "2026-12-02T10:00"  # a Wednesday morning
ASSESS = ("assess", "-a", "herts", "-i", "herts-health-l4-01", "--consent", "yes", "--at", WHEN)


def as_windows(*args, cache_dir: Path, profile: Path | None = None, data: Path | None = None,
               **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRIAGE_CACHE_DIR": str(cache_dir), "COLUMNS": "80"}
    if data is not None:
        env["TRIAGE_DATA_DIR"] = str(data)
    env.pop("USERPROFILE", None)
    if profile is not None:
        env["USERPROFILE"] = str(profile)
    return subprocess.run([*AS_WINDOWS, *args], cwd=kwargs.pop("cwd", ROOT), env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


@pytest.mark.parametrize("args, code, shown", [
    (("--version",), 0, "triage 0.1.0"),
    (("lookup", "health", "-a", "herts"), 0, "Hertfordshire"),
    (("lookup", "-a", "notts", "--search", "missing", "--json"), 0, '"id": "notts-'),
    (("contacts", "-a", "notts", "--at", "2026-12-05T10:00"), 0, "Emergency Duty Team"),
    (("contacts", "-a", "Leeds", "--at", WHEN), 0, "Leeds"),
    (ASSESS, 0, "Level 4"),
    ((*ASSESS, "--json"), 0, '"level": 4'),
    (("validate",), 0, f"OK: {len(held_ids())} authorities"),
    (("lookup", "-a", "nowhere"), 2, "unknown authority 'nowhere'"),
    (("assess", "--no-such-option"), 2, "No such option"),
])
def test_every_command_runs_without_what_windows_lacks(tmp_path, args, code, shown):
    result = as_windows(*args, cache_dir=tmp_path / "cache")
    no_traceback(result)
    assert result.returncode == code, result.stderr
    assert shown in (result.stdout if code == 0 else result.stderr)


def test_the_record_on_windows_says_what_it_can_promise(tmp_path):
    record = tmp_path / "record.md"
    result = as_windows(*ASSESS, "--output", str(record), cache_dir=tmp_path / "cache")
    no_traceback(result)
    assert result.returncode == 0
    assert result.stderr == (f"Record written to {record} (it has its folder's permissions: keep it in a folder only "
                             "you can open).\n")
    assert "Level 4" in record.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".triage-")] == []  # no temporary left
    again = as_windows(*ASSESS, "--output", str(record), cache_dir=tmp_path / "cache")
    assert again.returncode == 2 and "already exists" in again.stderr
    forced = as_windows(*ASSESS, "--output", str(record), "--force", cache_dir=tmp_path / "cache")
    assert forced.returncode == 0 and "Record written" in forced.stderr


def test_the_cache_is_trusted_inside_the_users_profile_only(tmp_path):
    """On Windows a folder's mode is always 0o777: the cache is trusted by where it is."""
    profile = tmp_path / "Users" / "someone"
    inside = profile / "AppData" / "Local" / "triage"
    outside = tmp_path / "shared-drive"
    tree = copy_data(tmp_path / "data")  # a tree of its own: built, and so stored, on first use
    for folder in (inside, outside):
        assert as_windows("lookup", "health", "-a", "herts", cache_dir=folder, profile=profile, data=tree).returncode == 0
    assert list((inside / "triage").rglob("*.msgpack")), "nothing stored in the profile's cache"
    assert not list((outside / "triage").rglob("*.msgpack")), "a cache outside the profile was written"


def test_the_accessible_mode_reads_a_pipe_as_git_bash_gives_it(tmp_path):
    """Git Bash (mintty) gives a pipe, not a console: --plain asks line by line."""
    result = as_windows("assess", "-a", "herts", "--plain", "--at", WHEN, cache_dir=tmp_path / "cache",
                        input="n\nn\nn\n1\n2\ny\n")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "Level 4: Specialist" in result.stdout


def test_ctrl_break_or_closing_the_console_ends_with_one_line(tmp_path):
    """SIGBREAK: Ctrl-Break, and the console window closing (Windows' C runtime raises it)."""
    env = {**os.environ, "TRIAGE_CACHE_DIR": str(tmp_path / "cache")}
    shown = tmp_path / "shown.txt"
    with open(shown, "w") as out:
        process = subprocess.Popen([*AS_WINDOWS, "assess", "-a", "herts", "--plain"], cwd=ROOT, env=env,
                                   stdin=subprocess.PIPE, stdout=out, stderr=subprocess.PIPE, text=True)
        try:
            waited = time.monotonic()
            while "immediate danger" not in shown.read_text() and time.monotonic() - waited < 60:
                time.sleep(0.05)
            process.send_signal(21)  # the simulation's SIGBREAK (its number on Windows)
            _, err = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 128 + 21
    assert err == "triage: error: stopped by Ctrl-Break or the console closing: nothing was saved.\n"


def test_no_glibc_only_date_formats_in_the_source():
    """%-d, %-H... are glibc's alone: Windows' strftime refuses them (ValueError)."""
    glibc_only = re.compile(r"%[-_^][a-zA-Z]")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "triage").rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if glibc_only.search(line)]
    assert found == []


def test_the_glibc_check_can_fail():
    assert re.compile(r"%[-_^][a-zA-Z]").search('f"{day:%A %-d %B %Y}"')


# ---------------------------------------------------------------------------------------
# Each platform branch, in-process


def test_without_signal_masks_a_late_signal_is_ignored(monkeypatch):
    """settle(): where there is no pthread_sigmask (Windows), the signals are ignored instead."""
    monkeypatch.delattr(signals.signal, "pthread_sigmask")
    saved = {s: signal.getsignal(s) for s in signals.STATUS}
    try:
        signals.settle()
        assert all(signal.getsignal(s) is signal.SIG_IGN for s in signals.STATUS)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def test_with_signal_masks_a_late_signal_waits(monkeypatch):
    blocked = []
    monkeypatch.setattr(signals.signal, "pthread_sigmask", lambda how, which: blocked.append(set(which)),
                        raising=False)
    saved = {s: signal.getsignal(s) for s in signals.STATUS}
    signals.settle()
    assert blocked == [set(signals.STATUS)]
    assert {s: signal.getsignal(s) for s in signals.STATUS} == saved  # not ignored: held


def test_without_o_nonblock_a_fifo_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    monkeypatch.setattr(reader, "NONBLOCK", 0)
    monkeypatch.setattr(reader, "READ_FLAGS", os.O_RDONLY)
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.setdefault("error", _refusal(fifo)), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "opening the FIFO waited for a writer"
    assert "not a regular file" in outcome["error"]


def _refusal(path) -> str:
    try:
        reader.read_bytes(path)
    except reader.Refused as error:
        return str(error)
    return ""


def test_a_file_is_read_in_binary_where_the_system_has_text_mode():
    assert reader.READ_FLAGS & getattr(os, "O_BINARY", 0) == getattr(os, "O_BINARY", 0)


def test_the_record_by_path_where_a_folder_cannot_be_opened(tmp_path, monkeypatch):
    from triage import assess

    monkeypatch.setattr(assess.OpenFolder, "possible", staticmethod(lambda: False))
    record = tmp_path / "record.md"
    assert assess.write_private(record, "the record\n", force=False)
    assert record.read_text(encoding="utf-8") == "the record\n"
    with pytest.raises(assess.UserError, match="already exists"):
        assess.write_private(record, "again\n", force=False)
    assert assess.write_private(record, "replaced\n", force=True)
    assert record.read_text(encoding="utf-8") == "replaced\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.md"]
    assert "folder's permissions" in assess.record_privacy()


def test_the_record_through_the_open_folder_where_it_can(tmp_path):
    from triage import assess

    assert assess.OpenFolder.possible()
    assert assess.record_privacy() == "readable by you only"
    record = tmp_path / "record.md"
    assert assess.write_private(record, "the record\n", force=False)
    assert record.stat().st_mode & 0o777 == 0o600


def test_the_cache_without_user_ids_is_trusted_by_the_profile(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "getuid")
    profile = tmp_path / "profile"
    inside, outside = profile / "AppData" / "triage", tmp_path / "elsewhere"
    inside.mkdir(parents=True)
    outside.mkdir()
    monkeypatch.setenv("USERPROFILE", str(profile))
    assert cache.trusted(inside)
    assert not cache.trusted(outside)
    monkeypatch.delenv("USERPROFILE")
    assert not cache.trusted(inside)


def test_the_cache_with_user_ids_is_trusted_by_owner_and_mode(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    assert cache.trusted(folder)
    folder.chmod(0o777)
    assert not cache.trusted(folder)


class FakeConsole:
    """msvcrt as Windows' console gives keys: kbhit() while keys wait, getwch() one at a time."""

    def __init__(self, keys: str):
        self.keys = list(keys)

    def kbhit(self) -> bool:
        return bool(self.keys)

    def getwch(self) -> str:
        return self.keys.pop(0)


@pytest.mark.parametrize("keys, ending", [("ab\r", None), ("y\x03", KeyboardInterrupt), ("\x04", EOFError),
                                          ("\x1a\r", EOFError)])
def test_typeahead_is_flushed_with_msvcrt_on_windows(monkeypatch, keys, ending):
    from triage import ui

    console = FakeConsole(keys)
    monkeypatch.setitem(sys.modules, "termios", None)
    monkeypatch.setitem(sys.modules, "msvcrt", console)
    monkeypatch.setattr(sys, "stdin", type("Console", (), {"isatty": lambda self: True})())
    if ending is None:
        ui.discard_typeahead()
    else:
        with pytest.raises(ending):
            ui.discard_typeahead()
    assert console.keys == []  # every key typed ahead is gone


@pytest.mark.parametrize("ask", ["text", "yes_no"])
def test_ctrl_z_then_enter_ends_as_ctrl_d(monkeypatch, ask):
    """Windows' console gives Ctrl-Z, Enter to input() as the end of input; a pipe (Git Bash)
    gives the character: both end triage as Ctrl-D does."""
    import io

    from triage.plain import PlainUI

    monkeypatch.setattr(sys, "stdin", io.StringIO("\x1a\n"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    with pytest.raises(EOFError):
        if ask == "text":
            PlainUI().text("The child's home postcode:", str)
        else:
            PlainUI().yes_no("Is a child in immediate danger, left alone or missing?")


@pytest.mark.parametrize("system, console, expected", [("nt", False, True), ("nt", True, False), ("posix", False, False)])
def test_without_a_windows_console_questions_are_asked_line_by_line(monkeypatch, system, console, expected):
    """Git Bash's mintty gives Windows programs a pipe, not a console: prompt_toolkit cannot
    drive it, so triage asks line by line there (screen.no_console)."""
    from triage import screen

    monkeypatch.setattr(os, "name", system)
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"isatty": lambda self: console})())
    assert screen.no_console() is expected


def test_the_default_cache_folder_on_windows_is_in_the_profile_and_trusted(tmp_path):
    """Red team: without TRIAGE_CACHE_DIR the simulation crashed in platformdirs' Unix code; on
    Windows the cache is %LOCALAPPDATA%\\triage\\Cache, inside the profile, so it is used."""
    profile = tmp_path / "Users" / "someone"
    env = {**os.environ, "USERPROFILE": str(profile), "LOCALAPPDATA": str(profile / "AppData" / "Local"),
           "TRIAGE_DATA_DIR": str(copy_data(tmp_path / "data"))}
    env.pop("TRIAGE_CACHE_DIR", None)
    result = subprocess.run([*AS_WINDOWS, "contacts", "-a", "leeds"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert list((profile / "AppData" / "Local" / "triage" / "Cache" / "triage").rglob("*.msgpack"))


def test_a_record_on_a_disk_without_hard_links(tmp_path, monkeypatch):
    """FAT and exFAT (a USB stick) have no hard links: a new record is renamed into place, which
    on Windows never replaces a file."""
    from triage import assess

    def no_links(*args, **kwargs):
        raise OSError(1, "Incorrect function")

    monkeypatch.setattr(assess.OpenFolder, "possible", staticmethod(lambda: False))
    monkeypatch.setattr(os, "link", no_links)
    record = tmp_path / "record.md"
    assert assess.write_private(record, "the record\n", force=False)
    assert record.read_text(encoding="utf-8") == "the record\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.md"]
