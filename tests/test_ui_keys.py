"""triage's questionary lists driven in-process through prompt_toolkit's pipe input (as
questionary's own tests feed keys): the keys that move in a filtered list."""
from __future__ import annotations

import io

import pytest

from triage import ui
from triage.ui import Choice, Heading

DOWN, UP, SPACE, ENTER = "\x1b[B", "\x1b[A", " ", "\r"
CHOICES = [Heading("── Level 4 ──"), Choice("Burns or scalds not explained", "burn"),
           Choice("Bruising on a baby", "bruise"), Heading("── Level 3 ──"),
           Choice("Ticked elsewhere: burn marks", "other", disabled="ticked under Health"),
           Choice("Missing school", "school")]


def answer_checklist(keys: str, choices=CHOICES):
    """The checklist's answer to these keys; a failure, never a hang, if it stops answering
    (it runs in a forked process: a loop in a key's handler holds the event loop for ever)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_answer, args=(keys, choices, writer))
    process.start()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()
        pytest.fail(f"the list stopped answering keys after {keys!r}")
    return reader.recv()


def _answer(keys: str, choices, writer) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from rich.console import Console

    with create_pipe_input() as keyboard, create_app_session(input=keyboard, output=DummyOutput()):
        keyboard.send_text(keys)
        writer.send(ui.TerminalUI(out=Console(file=io.StringIO())).checklist("Which apply?", choices))


@pytest.mark.parametrize("move", [DOWN, UP, DOWN * 3, UP * 2 + DOWN])
def test_arrows_in_a_list_filtered_to_one_item_keep_answering(move):
    """'burn' leaves one item under a heading: questionary 2.1.1 looped for ever on ↑ or ↓."""
    assert answer_checklist("burns" + move + SPACE + ENTER) == ["burn"]


def test_arrows_skip_headings_and_items_ticked_elsewhere():
    assert answer_checklist("bru" + DOWN + SPACE + ENTER) == ["bruise"]
    assert answer_checklist(DOWN + DOWN + SPACE + ENTER) == ["school"]  # past Level 3 and the disabled item
    assert answer_checklist(UP + SPACE + ENTER) == [ui.NONE]  # wraps round to "None of these apply"
