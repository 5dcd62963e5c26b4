"""The `triage` command starts here. Its first instructions set up the handling of Ctrl-C,
SIGTERM and SIGHUP, so a signal during the imports that follow (typer, rich: most of the
start-up time) ends the command with one line and its exit status, never a traceback."""
from . import signals

signals.install()


def main() -> None:
    from .cli import main as run

    try:
        run()
    finally:  # the exit status is decided: a late signal must not replace it (signals.settle)
        signals.settle()
