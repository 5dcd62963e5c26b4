"""The small interface the interview asks through, and its terminal implementation.

The flow (triage/flow.py) asks only through a UI: `yes_no`, `choose`, `text`, `checklist` and
`show`. `TerminalUI` asks with plain input() and questionary; `PlainUI` (triage/plain.py, the
accessible mode) line by line with numbered choices; the tests drive the same flow through a
scripted fake (tests/fake_ui.py), so all ask the same questions in the same order.

Three rules keep a stray key from turning into the wrong answer:
- keys typed before a question is on screen belong to no question: they are discarded as each
  question appears (the terminal's input queue and prompt_toolkit's typeahead store);
- every yes/no question is answered the same way, the answer then Enter, and a bare Enter
  answers nothing (nothing is preselected);
- nothing is taken as "nothing applies" unless the user chose it: Enter with nothing ticked
  stays on the question and says how to go on.
"""
from __future__ import annotations

import os
import sys
import textwrap
from typing import Any, NamedTuple, Protocol

BACK = "__back__"  # the answer of a question left with ← (or b at a yes/no question)
NONE = "__none__"  # "None of these apply", chosen on purpose
CHECK_KEYS = "(↑↓ move, space ticks, type to filter, enter goes on{back})"
SELECT_KEYS = "(↑↓ move, enter chooses{back})"
EMPTY_ANSWER = "Nothing is ticked: tick what applies with space, or tick “None of these apply”."
NONE_AND_MORE = "“None of these apply” cannot go with other ticks: untick one or the other."
NOTHING_TICKED = "Nothing is ticked: tick what applies with space."


class Choice(NamedTuple):
    title: str
    value: Any
    checked: bool = False
    disabled: str | None = None  # why it cannot be ticked here (shown beside it)
    found_by: str = ""  # more words that find it when typing filters the list (a council's towns)


class Heading(NamedTuple):
    """A label between choices ("Level 4: Specialist")."""

    text: str


class UI(Protocol):
    def yes_no(self, question: str, back: bool = False) -> bool | str: ...

    def choose(self, question: str, choices: list[Choice], back: bool = False) -> Any: ...

    def text(self, question: str, read) -> Any: ...

    def checklist(self, question: str, choices: list, *, none: bool = True, back: bool = True,
                  given: tuple = ()) -> list | str: ...

    def show(self, view, *args) -> None:
        """Show a block: `view(console, *args)`, one of triage.views' show_* functions."""


def wrap(text: str, width: int) -> str:
    """A choice's title wrapped to the terminal, its continuation lines under its text. Lines
    break at spaces only, never after a hyphen or inside a long word, so the answer echoed
    afterwards (unwrapped) is the quoted text exactly: "non-accidental", not "non- accidental"."""
    return "\n     ".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)) or text


def unwrapped(title) -> str:
    """A choice's title on one line, as its answer is echoed."""
    return " ".join(str(title).split())


def check_ticks(ticked: list, none: bool, given: tuple) -> bool | str:
    """True when a checklist's answer can be taken, else what to say."""
    if not ticked and given:
        return True
    if not ticked:
        return EMPTY_ANSWER if none else NOTHING_TICKED
    if NONE in ticked and len(ticked) > 1:
        return NONE_AND_MORE
    return True


def with_none(choices: list, none: bool) -> list:
    return [*choices, Heading("──────"), Choice("None of these apply", NONE)] if none else list(choices)


def echoed(choices: list, answer: list, given: tuple) -> str:
    """What a checklist's answer is echoed as: the ticked titles, then those ticked elsewhere."""
    titles = {c.value: unwrapped(c.title) for c in choices if isinstance(c, Choice)}
    shown = [titles[v] for v in answer] + [f"{titles[c.value]} ({c.disabled})" for c in choices
                                           if isinstance(c, Choice) and c.value in given]
    return "; ".join(shown)


def discard_typeahead(app=None) -> None:
    """Forget every key typed before the question now being shown: those in the terminal's
    input queue and, for a prompt_toolkit `app`, those a previous question read but did not use.
    Ctrl-C or Ctrl-D among them is not forgotten: it ends triage here, as at any question. (One
    pressed as a list question closes reaches the terminal as a plain byte, not as a signal:
    dropped, the person who pressed it would find triage still waiting.)"""
    typed = _typed_ahead()
    if app is not None:
        from prompt_toolkit.input.typeahead import get_typeahead
        from prompt_toolkit.keys import Keys

        pressed = {key.key for key in get_typeahead(app.input)}  # read, so gone from the buffer
        typed += b"\x03" if Keys.ControlC in pressed else b""
        typed += b"\x04" if Keys.ControlD in pressed else b""
    if b"\x03" in typed:
        raise KeyboardInterrupt
    if b"\x04" in typed or b"\x1a" in typed:  # Ctrl-D, or Windows' Ctrl-Z
        raise EOFError


LEFT = ("\x1b[d", "\x1bod")  # the ← key as a line shows it (lower case), in the two cursor modes


def _without_left(answer: str) -> str | None:
    """The answer without its ← keys, or None when it has none: a hurried ← then Enter at a
    yes/no question (← goes back in the lists) printed "^[[D" and was refused."""
    if not any(key in answer for key in LEFT):
        return None
    for key in LEFT:
        answer = answer.replace(key, "")
    return answer.strip()


def read_line() -> str:
    """A line typed then Enter. Ctrl-Z then Enter ends as Ctrl-D does: Windows' console gives it
    to input() as the end of input already, a pipe (Git Bash) as the character itself."""
    from .errors import USAGE, UserError

    try:
        line = input()
    except OSError as error:  # standard input open for writing only (`0>file`): not the output's fault
        raise UserError(f"cannot read standard input ({error.strerror or error}): if a child is in immediate "
                        "danger, call 999; give the answers as options or --answers FILE", USAGE) from None
    if line.strip() == "\x1a":
        raise EOFError
    return line


def _typed_ahead(most: int = 65536) -> bytes:
    """The bytes waiting in the terminal's input queue, read without waiting, then the rest
    flushed. Empty when standard input is not a terminal."""
    try:
        import termios
    except ImportError:  # Windows
        return _console_typed_ahead(most)
    try:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (OSError, ValueError, AttributeError, termios.error):  # not a terminal (or closed)
        return b""
    # A line not yet ended with Enter is readable only outside canonical mode: leave it for a
    # moment, with reads that return at once (VMIN 0, VTIME 0).
    quick = [*saved[:6], list(saved[6])]
    quick[3] &= ~termios.ICANON
    quick[6][termios.VMIN], quick[6][termios.VTIME] = 0, 0
    chunks: list[bytes] = []
    try:
        termios.tcsetattr(fd, termios.TCSANOW, quick)
        while sum(map(len, chunks)) < most and (chunk := os.read(fd, 4096)):
            chunks.append(chunk)
    except (OSError, termios.error):
        pass
    finally:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, saved)
            termios.tcflush(fd, termios.TCIFLUSH)
        except (OSError, termios.error):
            pass
    return b"".join(chunks)


def _console_typed_ahead(most: int) -> bytes:
    """Windows: the keys waiting in the console's input buffer, read (and so flushed) with msvcrt."""
    try:
        import msvcrt
    except ImportError:  # neither termios nor msvcrt: nothing to flush
        return b""
    try:
        if not sys.stdin.isatty():
            return b""
        keys: list[str] = []
        # The stubs declare kbhit and getwch for Windows only (sys.platform == "win32").
        while len(keys) < most and msvcrt.kbhit():  # type: ignore[attr-defined]
            keys.append(msvcrt.getwch())  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return b""
    return "".join(keys).encode("utf-8", "replace")


SEARCH_FROM = 12  # choices: a list longer than this filters as the user types


class TerminalUI:
    """Plain input() for yes/no (so the first question needs no prompt_toolkit), questionary
    for lists, rich (through triage.views) for what is shown."""

    def __init__(self, out=None):
        self._out = out

    @property
    def out(self):
        if self._out is None:
            from . import views

            self._out = views.console()
        return self._out

    def yes_no(self, question: str, back: bool = False, asked=None) -> bool | str:
        """The answer then Enter; a bare Enter, or anything else, asks again. `asked` is
        called once the question is on screen."""
        keys = "y/n, b goes back, then Enter" if back else "y/n, then Enter"
        discard_typeahead()
        self.write(f"? {question} ({keys}) ")
        if asked:
            asked()
        while True:
            answer = self.read().strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            if back and (answer in ("b", "back") or _without_left(answer) in ("b", "back", "")):  # ← too, as in lists
                return BACK
            discard_typeahead()
            self.write(f"  Please answer {'y, n or b' if back else 'y or n'}, then Enter.\n? {question} ({keys}) ")

    def text(self, question: str, read) -> Any:
        """A line typed then Enter, made an answer by `read`, which raises UserError for a line
        it cannot take (the message is shown and the question asked again). A bare Enter goes
        back (BACK); Ctrl-D (EOFError) ends as everywhere."""
        from .errors import UserError

        prompt = f"? {question} (Enter on its own goes back) "
        discard_typeahead()
        while True:
            self.write(prompt)
            line = self.read().strip()
            if not line:
                return BACK
            try:
                return read(line)
            except UserError as error:
                discard_typeahead()
                self.write(f"  {error}\n")

    def read(self) -> str:
        return read_line()

    def write(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def choose(self, question: str, choices: list[Choice], back: bool = False) -> Any:
        import questionary

        long = len(choices) > SEARCH_FROM  # a long list is found by typing ("Leeds", "Watford")
        instruction = ("(type to find, " if long else "(") + SELECT_KEYS[1:].format(back=", ← back" if back else "")
        answer = _ask(questionary.select(question, choices=_questionary(choices), instruction=instruction,
                                         use_search_filter=long, use_jk_keys=not long, erase_when_done=True), back)
        if answer != BACK:
            from . import views

            views.show_answer(self.out, question, next(c.title for c in choices if c.value == answer))
        return answer

    def checklist(self, question: str, choices: list, *, none: bool = True, back: bool = True,
                  given: tuple = ()) -> list | str:
        """The values ticked, [NONE] for "None of these apply" chosen on purpose, or BACK.
        Enter with nothing ticked stays on the question and says how to go on, unless `given`
        names items already ticked elsewhere (shown as disabled choices): then [] goes on.
        Typing filters the list ("burn", "domestic")."""
        import questionary

        choices = with_none(choices, none)
        instruction = CHECK_KEYS.format(back=", ← back" if back else "")
        answer = _ask(questionary.checkbox(question, choices=_questionary(choices), instruction=instruction,
                                           validate=lambda ticked: check_ticks(ticked, none, given),
                                           use_search_filter=True, use_jk_keys=False, erase_when_done=True),
                      back, checkbox=True)
        if answer != BACK:
            from . import views

            views.show_answer(self.out, question, echoed(choices, answer, given))
        return answer

    def show(self, view, *args) -> None:
        view(self.out, *args)


def _questionary(choices: list) -> list:
    from questionary import Choice as Q
    from questionary import Separator

    return [Separator(c.text) if isinstance(c, Heading) else
            Q(f"{c.title}{' · ' + c.found_by if c.found_by else ''}", value=c.value, checked=c.checked,
              disabled=c.disabled) for c in choices]


def _keys(back: bool, checkbox: bool):
    """Key bindings added to questionary's: ← goes back, Ctrl-D ends as Ctrl-C does, and in a
    checklist Ctrl-A (tick all) and Tab (Ctrl-I, invert) do nothing: one stray key must never
    tick a whole checklist."""
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _end(event):
        event.app.exit(exception=EOFError, style="class:aborting")

    if back:
        @keys.add("left", eager=True)
        def _back(event):
            event.app.exit(result=BACK)

    # questionary 2.1.1 moves the pointer through the filtered list but checks the unfiltered
    # one: with a filter that leaves a few items ("burn") above a heading, ↑ or ↓ looped for
    # ever, and Ctrl-C went unread. These moves skip headings and disabled items of what is shown.
    @keys.add("down", eager=True)
    def _down(event):
        _move(event.app, +1)

    @keys.add("up", eager=True)
    def _up(event):
        _move(event.app, -1)

    if checkbox:
        @keys.add("c-a", eager=True)
        @keys.add("c-i", eager=True)
        def _ignore(event):
            pass

    return keys


def _move(app, step: int) -> None:
    """Point at the next (step 1) or previous (-1) choice that can be chosen among those shown,
    wrapping round; stay where it is when none can."""
    from questionary import Separator
    from questionary.prompts.common import InquirerControl

    control = next(w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl))
    shown = control.filtered_choices
    for offset in range(1, len(shown) + 1):
        at = (control.pointed_at + step * offset) % len(shown)
        if not isinstance(shown[at], Separator) and not shown[at].disabled:
            control.pointed_at = at
            return


def _ask(question, back: bool, checkbox: bool = False):
    """Run a questionary question with triage's keys, discarding keys typed ahead of it."""
    from prompt_toolkit.key_binding import merge_key_bindings

    app = question.application
    # Later bindings win in prompt_toolkit, so these replace questionary's for the same keys.
    app.key_bindings = merge_key_bindings([app.key_bindings, _keys(back, checkbox)])
    # handle_sigint=False: Ctrl-C at a question is a key (questionary's binding), and a SIGINT
    # from outside stays triage's (triage/signals.py). asyncio would otherwise put Python's
    # default handler back when the question ends, and a Ctrl-C after the last question would
    # end the process by the signal instead of exiting 130.
    return app.run(pre_run=lambda: discard_typeahead(app), handle_sigint=False)
