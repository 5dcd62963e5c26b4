"""Hostile input and faults (issue 14): each case the red team reproduced ends in one line on
stderr and a known exit status, nothing is spoofed on screen, and the terminal and the disk
are left as they were."""
from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_data, invoke_triage

HERTS_L4 = "herts-health-l4-01"
WHEN = "2026-11-27T16:45"
ASSESS = ("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN)
SPOOF = "\x1b[2K\rFAKE LINE: 0800 000 0000"
# A control character of any kind (C0 but newline, DEL, C1), a bidi or line-separator mark, or
# a lone surrogate (an undecodable byte of the command line, written back raw).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
SCRIPT = Path(sys.executable).parent / "triage"  # the installed command, where there is one
COMMAND = f"{SCRIPT}" if SCRIPT.exists() else f"{sys.executable} -m triage"


def one_line_error(result, code=2) -> str:
    assert result.returncode == code, (result.returncode, result.stdout[-500:], result.stderr[-500:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("triage: error: ")
    return lines[0]


def no_control(result) -> None:
    for name in ("stdout", "stderr"):
        found = CONTROL.search(getattr(result, name))
        assert found is None, f"{name} carries {found.group()!r}: {getattr(result, name)[:300]!r}"


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------------------
# Tracebacks: each a one-line error now


def test_answers_nested_too_deeply_is_one_line(tmp_path):
    answers = tmp_path / "deep.json"
    answers.write_text("[" * 20_000 + "]" * 20_000, encoding="utf-8")
    assert "nested more than 32 levels deep" in one_line_error(invoke_triage("assess", "--answers", str(answers), "--json"))


def test_answers_nested_100000_deep_is_refused_quickly(tmp_path):
    answers = tmp_path / "deep.json"
    answers.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "nested more than 32 levels deep" in one_line_error(invoke_triage("assess", "--answers", str(answers),
                                                                              "--json"))


def alias_bomb(levels: int = 9) -> str:
    """A YAML list whose every level holds nine copies of the one below: 9**9 strings when
    expanded, a few hundred bytes when not."""
    rows = ['  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"  - &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("key", ["consent", "authority", "indicators", "at", "immediate_danger"])
def test_an_alias_bomb_in_answers_is_one_short_line_at_once(tmp_path, key):
    answers = tmp_path / "bomb.yaml"
    head = "" if key == "authority" else "authority: herts\n"
    answers.write_text(f"{head}{key}:\n{alias_bomb()}", encoding="utf-8")
    start = time.perf_counter()
    line = one_line_error(invoke_triage("assess", "--answers", str(answers), "--json"))
    assert time.perf_counter() - start < 5
    assert len(line) < 300 and "lol" not in line


def test_answers_at_year_one_names_the_supported_range(tmp_path):
    answers = tmp_path / "at.yaml"
    answers.write_text(f"authority: herts\nindicators: [{HERTS_L4}]\nat: 0001-01-01T00:00:00Z\n", encoding="utf-8")
    line = one_line_error(invoke_triage("assess", "--answers", str(answers), "--json"))
    assert "2000-01-01" in line and "2100-12-31" in line


@pytest.mark.parametrize("at", ["0001-01-01T00:00Z", "0001-01-01T00:00+01:00", "9999-12-31T23:59",
                                "9999-12-31T23:59-23:59", "1999-12-31T23:59", "2101-01-01T00:00"])
@pytest.mark.parametrize("command", [("contacts", "-a", "herts"), ("assess", "-a", "herts", "-i", HERTS_L4)])
def test_moments_outside_the_supported_range_are_refused_naming_it(at, command):
    line = one_line_error(invoke_triage(*command, "--at", at))
    assert "outside the supported range" in line and "2000-01-01" in line and "2100-12-31" in line


@pytest.mark.parametrize("at", ["2000-01-01T00:00+14:00", "2000-01-01T00:00", "2100-12-31T23:59-12:00",
                                "2100-12-31T23:59"])
def test_the_ends_of_the_range_are_answered(at):
    result = invoke_triage("contacts", "-a", "notts", "--at", at)
    assert result.returncode == 0, result.stderr
    assert "Call now" in result.stdout


def test_output_with_a_300_character_name_is_one_line(tmp_path):
    line = one_line_error(invoke_triage(*ASSESS, "--output", str(tmp_path / ("x" * 300 + ".md"))))
    assert "too long" in line.lower()
    assert listing(tmp_path) == []


def _as_nobody(job) -> tuple[int, str]:
    """Run `job()` in a child process with the user id of nobody; its exit status and what it
    returned. The child keeps every module this process has loaded, so it reads no file of ours."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.close(read)
        code = 0
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(write, job().encode())
        except BaseException as error:  # everything comes back to the test as text
            os.write(write, f"{type(error).__name__}: {error}".encode())
            code = 1
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), text


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0,
                    reason="becomes the user nobody, which needs root (root itself enters every folder)")
def test_output_into_a_folder_writable_but_not_enterable_is_one_line(tmp_path):
    folder = tmp_path / "no-entry"
    folder.mkdir()
    folder.chmod(0o722)  # others may write but not enter
    tmp_path.chmod(0o755)

    def job() -> str:
        from triage.assess import check_output_path
        from triage.errors import UserError

        try:
            check_output_path(str(folder / "record.md"), force=False)
        except UserError as error:
            return error.message
        return "accepted"

    code, text = _as_nobody(job)
    assert code == 0, text
    assert "Permission denied" in text and "record.md" in text
    assert listing(folder) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_standard_output_on_a_full_disk_is_one_line():
    commands = [("contacts", "-a", "notts", "--at", WHEN), ("lookup", "-a", "herts", "--json"), ("--help",),
                (*ASSESS, "--json")]
    for args in commands:
        with open("/dev/full", "w") as full:
            result = subprocess.run([sys.executable, "-m", "triage", *args], cwd=ROOT, stdout=full,
                                    stderr=subprocess.PIPE, text=True, timeout=60)
        line = one_line_error(result)
        assert "No space left on device" in line, args


# pip's wrapper for the entry point imports re and sys, then finds triage.entry: a Ctrl-C in
# those few milliseconds is Python's own KeyboardInterrupt, before any line of triage has run
# (no frame of triage/ in the traceback).
PIP_WRAPPER_IMPORTS = re.compile(r'Traceback \(most recent call last\):\n  File "[^"\n]+", line [345], in <module>\n'
                                 r'    (import re|import sys|from triage\.entry import main)\n')
PYTHON_BEFORE_LINE_1 = re.compile(r'Traceback \(most recent call last\):\n  File "[^"\n]+", line 0, in <module>\n'
                                  r'KeyboardInterrupt\n')


def test_ctrl_c_in_the_first_50_ms_is_never_a_traceback_of_ours():
    """Two dozen Ctrl-Cs, 0 to 46 ms after start. Each ends with 130 and one line, or (before
    triage's first line runs) as the system ends a process on SIGINT. Only Python's own
    start-up, and pip's wrapper's imports of re and sys before triage.entry, may still print
    Python's own error or KeyboardInterrupt."""
    env = {**os.environ, "COLUMNS": "80"}
    for attempt in range(24):
        process = subprocess.Popen([*COMMAND.split(), "contacts", "-a", "herts", "--at", WHEN], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(attempt * 0.002)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        text = err.decode(errors="replace")
        if "Fatal Python error: init_" in text:  # Python's own initialisation (site, sys streams), not triage's
            continue
        if text.startswith("Exception ignored in") and "triage" not in text:
            # Python's own start-up (site), before the script's first line sets SIGINT aside:
            # its KeyboardInterrupt landed in an import lock's callback and was dropped.
            continue
        if text.startswith("Failed checking if argv[0] is an import path entry") and "triage/" not in text:
            # Python's own start-up: it asks the path hooks (zipimport) whether the script is
            # a zip file before running it; no line of ours has run (CPython's pymain_get_importer).
            continue
        if process.returncode in (1, -signal.SIGINT) and PYTHON_BEFORE_LINE_1.fullmatch(text):
            # Python's own start-up again: the signal came as the script's frame was entered,
            # before its first line (line 0), which sets SIGINT aside. No line of ours ran;
            # pip's rewritten shebang takes no interpreter options that could prevent it.
            continue
        last = text[text.rfind("Traceback (most recent call last):"):]  # a KeyError's may come first, chained
        if process.returncode in (1, -signal.SIGINT) and PIP_WRAPPER_IMPORTS.match(last) and "triage/" not in text:
            continue
        assert "Traceback" not in text, (attempt, text)
        assert process.returncode in (0, 130, -signal.SIGINT), (attempt, process.returncode, text)
        if process.returncode == 130:
            assert text == "triage: error: cancelled: nothing was saved.\n"


# ---------------------------------------------------------------------------------------
# Nothing spoofed on screen


@pytest.fixture(scope="module")
def spoofed_tree(tmp_path_factory) -> Path:
    """A copy of the data with escape sequences, a bidi override and a C1 CSI in a contact's
    name and in the authority's name: the strings a red team planted."""
    tree = copy_data(tmp_path_factory.mktemp("spoof") / "data")
    escaped = SPOOF.replace("\x1b", "\\e").replace("\r", "\\r") + "\\u202e\\x9b"
    contacts = tree / "contacts" / "herts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace('name: "Hertfordshire Children\'s Services"',
                                     f'name: "Hertfordshire Children\'s Services{escaped}"', 1), encoding="utf-8")
    authority = tree / "indicators" / "herts" / "authority.yaml"
    text = authority.read_text(encoding="utf-8")
    authority.write_text(re.sub(r"^name: .*$", lambda _: f'name: "Hertfordshire{escaped}"', text, count=1,
                                flags=re.M), encoding="utf-8")
    return tree


@pytest.mark.parametrize("args", [
    ("contacts", "-a", "herts", "--at", WHEN), ("contacts", "--at", WHEN), ("contacts", "-a", "herts", "--json"),
    ("lookup", "-a", "herts"), ("lookup", "-a", "herts", "health"), (*ASSESS,), (*ASSESS, "--json"),
    ("assess", "-a", "herts", "--immediate-danger", "--at", WHEN), ("validate",),
])
def test_escape_sequences_in_the_data_never_reach_the_terminal(spoofed_tree, args):
    """The loader refuses a tree with control characters (validate lists them); the refusal
    itself shows them escaped. Page escapes them too, for text that passed no check
    (tests/test_page.py)."""
    result = invoke_triage(*args, env={"TRIAGE_DATA_DIR": str(spoofed_tree)})
    no_control(result)
    if args == ("validate",):
        assert result.returncode == 1 and "control character" in result.stdout
    else:
        assert "control character" in one_line_error(result)


def test_escape_sequences_in_an_answers_file_never_reach_the_terminal(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text('authority: herts\nindicators: ["\\e[2K\\rtriage: Level 1, no action needed"]\n',
                       encoding="utf-8")
    result = invoke_triage("assess", "--answers", str(answers))
    line = one_line_error(result)
    no_control(result)
    assert "\\x1b[2K\\x0dtriage: Level 1" in line


@pytest.mark.parametrize("args", [
    ("contacts", "-a", SPOOF), ("lookup", "-a", "herts", SPOOF), ("contacts", "--at", SPOOF),
    ("contacts", "-a", "notts", "-d", SPOOF), ("assess", "-a", "herts", "-i", SPOOF),
    ("assess", "-a", "herts", "--consent", SPOOF, "-i", HERTS_L4), ("validate", f"/nowhere/{SPOOF}"),
    ("assess", "--answers", f"/nowhere/{SPOOF}"), (*ASSESS, "--output", f"/nowhere/{SPOOF}"), (SPOOF,),
    ("contacts", f"--{SPOOF}"), ("lookup", "-a", "herts", "-l", SPOOF),
])
def test_escape_sequences_in_options_are_escaped_in_the_error(args):
    result = invoke_triage(*args)
    one_line_error(result)
    no_control(result)
    assert "\\x1b[2K" in result.stderr


def test_escape_sequences_in_a_search_are_shown_escaped():
    result = invoke_triage("lookup", "-a", "herts", "-s", SPOOF)
    assert result.returncode == 0
    no_control(result)
    assert "nothing matches “\\x1b[2K\\x0dFAKE LINE" in result.stdout


def test_escape_sequences_in_the_environment_are_escaped():
    result = invoke_triage("contacts", env={"TRIAGE_AUTHORITY": SPOOF})
    one_line_error(result)
    no_control(result)


def test_an_output_name_with_escapes_is_written_and_shown_escaped(tmp_path):
    name = tmp_path / f"rec{SPOOF}.md"
    result = invoke_triage(*ASSESS, "--json", "--output", str(name))
    assert result.returncode == 0, result.stderr
    no_control(result)
    assert name.exists()


def test_an_error_line_is_bounded():
    result = invoke_triage("contacts", "-a", "x" * 100_000)
    assert len(one_line_error(result)) < 1100


# ---------------------------------------------------------------------------------------
# Any output encoding (issue 11, item 10)

EVERY_COMMAND = [
    ((), 0), (("--help",), 0), (("--version",), 0), (("lookup", "--help"), 0), (("lookup", "-a", "herts"), 0),
    (("lookup", "health", "-a", "herts"), 0), (("lookup", "-a", "notts", "--search", "missing"), 0),
    (("lookup", "-a", "herts", "--level", "4", "--json"), 0), (("contacts", "--at", WHEN), 0),
    (("contacts", "-a", "herts", "--at", WHEN), 0), (("contacts", "-a", "notts", "--json", "--at", WHEN), 0),
    (("contacts", "-a", "notts", "-d", "Newark", "--at", WHEN), 0), (ASSESS, 0), ((*ASSESS, "--json"), 0),
    (("assess", "-a", "herts", "--immediate-danger", "--at", WHEN), 0), (("validate",), 0),
    (("lookup", "nosuch", "-a", "herts"), 2), (("assess",), 2), (("contacts", "-a", "nowhere"), 2),
]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_every_command_under_a_narrow_output_encoding(encoding):
    """As PYTHONIOENCODING sets it, in a real process: no traceback, what the encoding lacks
    shown as ASCII (boxes as +-|, quotes straight), the expected exit status."""
    from concurrent.futures import ThreadPoolExecutor

    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"}

    def run(args):  # decoded with the encoding asked for: a byte outside it fails the test
        return subprocess.run([sys.executable, "-m", "triage", *args], cwd=ROOT, env=env, capture_output=True,
                              stdin=subprocess.DEVNULL, text=True, encoding=encoding, timeout=120)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(run, [args for args, _ in EVERY_COMMAND]))
    for (args, code), result in zip(EVERY_COMMAND, results):
        assert result.returncode == code, (args, result.stderr[-500:])
        assert "Traceback" not in result.stderr, args
        for text in (result.stdout, result.stderr):
            assert "?" * 3 not in text, args  # look-alikes, not runs of '?'
    contacts = results[EVERY_COMMAND.index((("contacts", "-a", "herts", "--at", WHEN), 0))].stdout
    assert "+- Call now about a child ---" in contacts and "| Hertfordshire Children's Services: 0300 123 4043" in contacts


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_under_a_narrow_encoding_keeps_every_character(encoding):
    import json

    wide = json.loads(invoke_triage("lookup", "-a", "herts", "--json").stdout)
    narrow = invoke_triage("lookup", "-a", "herts", "--json", encoding=encoding)
    assert narrow.returncode == 0
    assert json.loads(narrow.stdout) == wide  # escaped (\u2019), never replaced


# ---------------------------------------------------------------------------------------
# Signals: the terminal and the disk left as they were


def to_the_first_checklist(child) -> None:
    """No to each yes/no question (danger, crisis, allegation...) until a checklist is shown:
    there prompt_toolkit has the terminal raw."""
    while child.expect([r"\(y/n", "space ticks"]) == 0:
        child.sendline("n")


def _stty_after(tmp_path, signum: int) -> tuple[int, str, list[str]]:
    """Under sh, in a pseudo-terminal: triage assess at its checklist, then `signum`, then
    `stty -a`. The exit status, stty's report, and what is in the --output folder."""
    pexpect = pytest.importorskip("pexpect")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "PS1": "$ ", "COLUMNS": "80"}
    shell = pexpect.spawn("sh", cwd=str(ROOT), env=env, encoding="utf-8", timeout=30, dimensions=(40, 80))
    try:
        shell.expect_exact("$ ")
        shell.sendline(f"sh -c 'echo PID=$$; exec {COMMAND} assess --authority herts --output {out}/record.md'; "
                       "echo STATUS=$?")
        shell.expect(r"PID=(\d+)")
        pid = int(shell.match.group(1))
        to_the_first_checklist(shell)
        time.sleep(0.2)
        os.kill(pid, signum)
        shell.expect(r"STATUS=(\d+)")
        status = int(shell.match.group(1))
        shell.expect_exact("$ ")
        shell.sendline("stty -a; echo EN''D")  # the typed line never reads END
        shell.expect("END\r?\n")
        report = shell.before
        shell.sendline("exit")
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
    return status, report, listing(out)


@pytest.mark.parametrize("signum,status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_a_prompt_restores_the_terminal_and_writes_nothing(tmp_path, signum, status):
    code, report, written = _stty_after(tmp_path, signum)
    assert code == status
    assert re.search(r"(?<![-\w])icanon\b", report), report
    assert re.search(r"(?<![-\w])echo\b", report), report
    assert written == []


def test_the_terminal_closed_during_a_prompt_with_sighup_ignored_is_one_line(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    err, status = tmp_path / "err", tmp_path / "status"
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn("sh", ["-c", f"trap '' HUP; {COMMAND} assess -a herts 2>{err}; echo $? >{status}"],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30, dimensions=(40, 80))
    to_the_first_checklist(child)
    os.close(child.child_fd)  # the terminal window is closed
    deadline = time.monotonic() + 30
    while not (status.exists() and status.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.read_text().strip() == "2"
    assert err.read_text() == "triage: error: the terminal was closed (input/output error): nothing was saved.\n"


@pytest.fixture
def handlers():
    """triage's own signal handlers in this process, armed as cli.main arms them; put back after."""
    from triage import signals

    saved = {signum: signal.getsignal(signum) for signum in signals.STATUS}
    signals.install()
    signals.arm()
    yield signals
    signals.armed = False
    signals._pending.clear()
    sys.unraisablehook = sys.__unraisablehook__
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _signalled_during(monkeypatch, step: str, signum: int) -> None:
    real = getattr(os, step)

    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), signum)
        time.sleep(0.01)  # the handler runs here, inside the held block: it must wait
        return real(*args, **kwargs)

    monkeypatch.setattr(os, step, interrupted)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_at_the_records_link_leaves_nothing(tmp_path, monkeypatch, handlers, signum):
    from triage.assess import write_private

    _signalled_during(monkeypatch, "link", signum)
    with pytest.raises((handlers.Stopped, KeyboardInterrupt)):
        write_private(tmp_path / "record.md", "Level 4 ... FGM\n", force=False)
    assert listing(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_at_the_rename_of_force_keeps_the_new_record_whole(tmp_path, monkeypatch, handlers, signum):
    """Undoing the rename would lose the old record with the new one (red team: 4 runs of 800
    left neither): the new record, complete, is kept, and the command is done."""
    from triage.assess import write_private

    (tmp_path / "record.md").write_text("the old record\n", encoding="utf-8")
    _signalled_during(monkeypatch, "replace", signum)
    assert write_private(tmp_path / "record.md", "Level 4 ... FGM\n", force=True) is True
    assert listing(tmp_path) == ["record.md"]
    assert (tmp_path / "record.md").read_text(encoding="utf-8") == "Level 4 ... FGM\n"


def test_a_signal_once_the_record_is_in_place_never_says_nothing_was_saved(tmp_path, monkeypatch, handlers, capsys):
    """Red team: a SIGTERM just after the record was linked gave 'Record written to ...', then
    'stopped by SIGTERM: nothing was saved.' and exit 143, with the record kept."""
    import triage.assess as assess

    real = assess.write_private

    def then_signalled(*args):
        written = real(*args)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.01)
        return written

    monkeypatch.setattr(assess, "write_private", then_signalled)
    given = assess.Selections(authority="herts", indicators=("herts-health-l4-01",), at="2026-11-25T10:00")
    assess.finish(given, json_out=True, output=str(tmp_path / "record.json"), force=False)  # no signal raised
    assert "Record written to" in capsys.readouterr().err
    assert json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))["level"] == 4


def test_a_record_is_written_when_the_reader_of_the_output_has_gone(tmp_path):
    """`triage assess ... --output r.md | true`: the output's reader is gone before it is
    written. The record asked for is still written, and said to be; the exit is 1, as for any
    closed pipe. Before, rich ended the process at once: exit 1, no record, nothing said."""
    record = tmp_path / "record.md"
    reader, writer = os.pipe()
    os.close(reader)
    result = subprocess.run([sys.executable, "-m", "triage", *ASSESS, "--output", str(record)], cwd=ROOT,
                            stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(writer)
    assert result.returncode == 1
    assert result.stderr == f"Record written to {record} (readable by you only).\n"
    assert record.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("step", ["link", "replace"])
def test_a_failure_at_the_records_link_or_rename_leaves_no_temporary_file(tmp_path, monkeypatch, step):
    from triage.assess import write_private
    from triage.errors import UserError

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, step, failing)
    with pytest.raises(UserError, match="No space left"):
        write_private(tmp_path / "record.md", "text\n", force=step == "replace")
    assert listing(tmp_path) == []


def test_a_signal_before_the_record_is_linked_saves_nothing_and_still_stops(tmp_path, handlers):
    """A held signal is not lost: the one that came before the write stops triage after it."""
    from triage.assess import write_private

    with pytest.raises(handlers.Stopped):
        with handlers.held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)
            write_private(tmp_path / "record.md", "text\n", force=False)
    assert listing(tmp_path) == []


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_output_refuses_a_device_or_a_pipe_with_or_without_force(tmp_path, force):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/null", str(fifo)):
        line = one_line_error(invoke_triage(*ASSESS, "--output", target, *force))
        assert "not a regular file" in line
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert listing(tmp_path) == ["pipe"]


# ---------------------------------------------------------------------------------------
# Empty values are errors, naming the option


@pytest.mark.parametrize("args,named", [
    ((*ASSESS, "--output", ""), "--output"), (("contacts", "--authority", ""), "--authority"),
    (("contacts", "-a", "notts", "--district", ""), "--district"), (("assess", "--answers", ""), "--answers"),
    (("lookup", "--authority", " "), "--authority"), (("assess", "-a", "herts", "-i", ""), "--indicator"),
    (("contacts", "--at", ""), "--at"), (("validate", ""), "path"), (("lookup", "-a", "herts", ""), "domain"),
    (("assess", "-a", "herts", "-i", HERTS_L4, "--consent", ""), "--consent"),
])
def test_an_empty_value_is_an_error_naming_the_option(args, named):
    line = one_line_error(invoke_triage(*args))
    assert f"'{named}'" in line and "empty" in line


SECOND_SIGNAL = """
import os, signal, sys
from triage import cli, signals
signals.install()
signals.arm()

class Stderr:  # a SIGTERM arrives while the first signal's line is written
    def write(self, text):
        sys.__stderr__.write(text)
        sys.__stderr__.flush()
        os.kill(os.getpid(), signal.SIGTERM)

    def flush(self):
        sys.__stderr__.flush()

sys.stderr = Stderr()
cli._fail("cancelled: nothing was saved.", 130)
"""


def test_a_second_signal_while_the_first_is_reported_changes_nothing():
    """Red team: SIGINT then SIGTERM within 0.5 ms printed two error lines and exited 143 (34
    runs of 400): the second signal's handler ran after the first line was written."""
    result = subprocess.run([sys.executable, "-c", SECOND_SIGNAL], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stderr) == (130, "triage: error: cancelled: nothing was saved.\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_record_is_written_when_standard_output_is_full(tmp_path):
    """The output could not be shown; the record asked for is still written, and both are said."""
    record = tmp_path / "record.md"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "triage", *ASSESS, "--output", str(record)], cwd=ROOT,
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"Record written to {record} (readable by you only).",
                                          "triage: error: cannot write the output: No space left on device"]
    assert record.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("args", [("lookup", "-a", "herts"), ("contacts", "-a", "notts", "--at", WHEN), ("validate",),
                                  (*ASSESS, "--json")])
def test_a_closed_standard_output_is_never_a_traceback(args):
    """`triage ... >&-`: Python gives a closed standard output as None, and every command ended in
    an AttributeError traceback. What is written there now goes nowhere."""
    result = subprocess.run([sys.executable, "-m", "triage", *args], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            timeout=60, preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_renamed_while_the_record_is_written_keeps_no_temporary_copy(tmp_path, monkeypatch, force):
    """Red team: renaming the output's folder mid-write left the whole record as a hidden
    .triage-*.tmp there (19 runs of 200): its clean-up used the old path. Every step now names
    its file inside the folder opened first, so the record lands in the folder, wherever it is."""
    from triage.assess import write_private

    folder, moved = tmp_path / "notes", tmp_path / "notes-renamed"
    folder.mkdir()
    step = "replace" if force else "link"
    real = getattr(os, step)

    def renamed_first(*args, **kwargs):
        folder.rename(moved)
        return real(*args, **kwargs)

    monkeypatch.setattr(os, step, renamed_first)
    assert write_private(folder / "record.md", "Level 4 ... FGM\n", force=force) is True
    assert listing(tmp_path) == ["notes-renamed"]
    assert listing(moved) == ["record.md"]
    assert (moved / "record.md").read_text(encoding="utf-8") == "Level 4 ... FGM\n"


# ---------------------------------------------------------------------------------------
# Keys typed ahead of a question

@pytest.mark.parametrize("typed,ending", [(b"yn \x03\r", KeyboardInterrupt), (b"\x1b[B\x04", EOFError),
                                          (b"ny\r \x1b[A", None)])
def test_ctrl_c_or_ctrl_d_typed_ahead_of_a_question_ends_it_the_rest_is_forgotten(monkeypatch, typed, ending):
    """Keys pressed while a list question closes reach the terminal as plain bytes (it is still
    in raw mode): the next question forgets them, but a Ctrl-C or Ctrl-D among them must end
    triage as at a question, never leave it waiting for a person who has pressed it."""
    import pty
    import termios
    import tty

    from triage import ui

    leader, follower = pty.openpty()
    with os.fdopen(follower, "r", closefd=False) as stdin:
        tty.setraw(follower)  # as prompt_toolkit leaves it while a question closes
        os.write(leader, typed)
        time.sleep(0.05)
        cooked = termios.tcgetattr(follower)
        cooked[3] |= termios.ICANON  # and back to lines, as when the question has closed
        termios.tcsetattr(follower, termios.TCSANOW, cooked)
        monkeypatch.setattr(sys, "stdin", stdin)
        if ending is None:
            ui.discard_typeahead()
        else:
            with pytest.raises(ending):
                ui.discard_typeahead()
        os.write(leader, b"n\n")  # what is typed after the question appears is kept
        assert os.read(follower, 100) == b"n\n"
    os.close(leader)
    os.close(follower)


# ---------------------------------------------------------------------------------------
# Odd environments (issue 20)

@pytest.mark.parametrize("columns,width", [("0", 80), ("-5", 80), ("abc", 80), ("100000000", 200),
                                           ("99999999999", 200), ("40", 40)])
def test_an_odd_width_still_shows_the_number_laid_out_to_a_sane_width(columns, width):
    """COLUMNS=0 printed nothing at all; 99999999999 ended in a MemoryError dump."""
    start = time.perf_counter()
    result = invoke_triage("contacts", "-a", "herts", "--at", WHEN, env={"COLUMNS": columns})
    assert time.perf_counter() - start < 5
    assert result.returncode == 0 and "0300 123 4043" in result.stdout, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) == width


@pytest.mark.parametrize("encoding", ["idna", "undefined", "utf-16"])
def test_an_output_encoding_that_cannot_show_text_falls_back_to_utf_8_with_one_line(encoding):
    result = subprocess.run([sys.executable, "-m", "triage", "contacts", "-a", "herts", "--at", WHEN], cwd=ROOT,
                            env={**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"},
                            capture_output=True, timeout=60)
    assert result.returncode == 0
    assert "0300 123 4043" in result.stdout.decode("utf-8")
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and f"output encoding {encoding} cannot show text" in lines[0]
