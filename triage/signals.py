"""Ctrl-C (SIGINT), SIGTERM and SIGHUP end triage cleanly at any moment: the terminal's settings
restored, nothing written, no traceback, exit status 128 + the signal's number. On Windows,
which has no SIGHUP, SIGBREAK takes its place: Windows' C runtime raises it for Ctrl-Break and
when the console window is closed (and at log-off and shutdown).

`install()` runs as the first thing the `triage` command does (triage/entry.py). Until
cli.main is ready to turn a signal into an orderly exit (`armed`), a signal ends the process
at once with one line on stderr: nothing has been shown or written by then. Once armed, a
signal raises KeyboardInterrupt (SIGINT) or Stopped (SIGTERM, SIGHUP) where the program is,
so prompt_toolkit's clean-up puts the terminal back as it was. Inside `held()` (writing the
record), a signal waits until the block is done, so no temporary file is ever left behind.
"""
# `_signal` is the C module behind `signal`, loaded with Python itself: `import signal` takes
# 3 ms (it imports enum), 3 ms in which a Ctrl-C would still print a traceback. For the same
# reason no `from __future__ import annotations` (a module to load) here or in entry.py.
import _signal as signal
import os
import sys

STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}
NAMES = {signal.SIGINT: "cancelled", signal.SIGTERM: "stopped by SIGTERM"}
if hasattr(signal, "SIGHUP"):  # the terminal closed (POSIX)
    STATUS[signal.SIGHUP], NAMES[signal.SIGHUP] = 129, "stopped by SIGHUP"
if hasattr(signal, "SIGBREAK"):  # Ctrl-Break, or the console window closed (Windows)
    STATUS[signal.SIGBREAK] = 128 + signal.SIGBREAK
    NAMES[signal.SIGBREAK] = "stopped by Ctrl-Break or the console closing"

armed = False  # True while cli.main can turn a signal into an orderly exit
done = False  # the command's result is shown and written: a late signal has nothing to stop
_holding = 0  # depth of held() blocks
_pending: list[int] = []


class Stopped(BaseException):
    """SIGTERM, SIGHUP or SIGBREAK arrived (a BaseException, so no `except Exception` swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.message = f"{NAMES[signum]}: nothing was saved."
        self.code = STATUS[signum]


def install() -> None:
    """Handle SIGINT, SIGTERM and SIGHUP (or SIGBREAK), except those the parent asked to ignore
    (nohup, or SIGINT for a job started in the background)."""
    for signum in STATUS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_signal)
    sys.unraisablehook = _unraisable


def arm() -> None:
    """From here a signal is an orderly exit (cli.main, once it can catch one)."""
    global armed, done
    armed, done = True, False
    _pending.clear()


def check() -> None:
    """Raise a signal that arrived but was lost: raised inside Python's own clean-up (a weakref
    callback during garbage collection), an exception is printed and dropped, not propagated."""
    if _pending and not _holding:
        signum = _pending.pop(0)
        raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)


def _unraisable(report) -> None:
    """A signal's exception dropped by Python's clean-up is not news: check() raises it again
    at the next safe point. Anything else is reported as Python would."""
    if not isinstance(report.exc_value, (KeyboardInterrupt, Stopped)):
        sys.__unraisablehook__(report)


def _on_signal(signum: int, frame) -> None:
    global armed
    if done:  # the result is shown and written: nothing is left to stop
        return
    if _holding:
        _pending.append(signum)
        return
    if not armed:
        _exit_now(signum)
    armed = False  # a second signal, while the first is being handled, ends at once
    _pending.append(signum)  # kept for check(), should the exception below be dropped
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Stopped(signum)


def _exit_now(signum: int) -> None:
    try:
        os.write(2, f"triage: error: {NAMES[signum]}: nothing was saved.\n".encode())
    except OSError:  # the terminal is gone
        pass
    os._exit(STATUS[signum])


def pending() -> bool:
    """A signal is waiting for the end of a held() block."""
    return bool(_pending)


class held:
    """`with held():` signals that arrive inside the block take effect when it ends.
    (A class, not contextlib, which would take 3 ms to import before the handlers are set.)"""

    def __enter__(self) -> None:
        global _holding
        _holding += 1

    def __exit__(self, *exception) -> None:
        global _holding
        _holding -= 1
        if not _holding and _pending:
            _on_signal(_pending.pop(0), None)


def settle() -> None:
    """The command's work is done (shown, written, or refused): a signal arriving now changes
    nothing, so it is held until the process has exited. Without this, a Ctrl-C during Python's
    own shutdown (after its handlers are removed) ended the process by the signal instead of
    with the exit status already decided."""
    if hasattr(signal, "pthread_sigmask"):
        try:
            signal.pthread_sigmask(signal.SIG_BLOCK, set(STATUS))
            return
        except OSError:
            pass
    for signum in STATUS:  # no signal masks (Windows): ignored instead, to the same effect
        try:
            signal.signal(signum, signal.SIG_IGN)
        except (OSError, ValueError):  # not the main thread
            pass
