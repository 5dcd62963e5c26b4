"""The `triage` command starts here. Its first instructions set up the handling of Ctrl-C,
SIGTERM and SIGHUP, so a signal during the imports that follow (typer, rich: most of the
start-up time) ends the command with one line and its exit status, never a traceback.

The cyclic garbage collector is off while typer and rich are imported: they build objects
the process keeps until it exits, so a collection then frees almost nothing. Those objects
are then frozen (gc.freeze: never examined again) and the collector turned back on; and
everything is frozen when the command is done, so Python's exit skips its final collection.
"""
# First, before anything is imported: until signals.install() below, a Ctrl-C ends the process
# as the system does, without a traceback. (`_signal`, the C core of `signal`, is loaded with
# Python; finding and loading triage.signals takes a few milliseconds.)
import _signal

if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, _signal.SIG_DFL)

import gc

from . import signals

signals.install()
gc.disable()


def main() -> None:
    from .cli import main as run

    gc.freeze()
    gc.enable()
    try:
        run()
    finally:  # the exit status is decided: a late signal must not replace it (signals.settle)
        signals.settle()
        gc.freeze()
