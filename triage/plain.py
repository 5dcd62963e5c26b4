"""The accessible mode's UI: every question asked line by line, for screen readers, terminals
that cannot be driven (TERM=dumb, Git Bash's mintty) and answers piped in a line at a time.

Each question is printed, then each choice on its own line starting with its number; the
answer is typed, then Enter: a number, several numbers (spaces or commas between) in a
checklist, y or n at a yes/no question. Nothing moves the cursor or redraws, and nothing is
printed but plain text. It is the flow's UI (triage/ui.py) as TerminalUI is, with the same
rules: nothing is preselected, and nothing is taken as "nothing applies" unless chosen.
"""
from __future__ import annotations

import re
import sys
import textwrap
from typing import Any

from .errors import UserError
from .screen import clean, is_terminal, layout_width
from .ui import (
    BACK,
    EMPTY_ANSWER,
    NONE_AND_MORE,
    NOTHING_TICKED,
    SEARCH_FROM,
    Choice,
    Heading,
    TerminalUI,
    check_ticks,
    echoed,
    read_line,
    unwrapped,
    with_none,
)

LEADING = 2  # a long list shows its first choices (by postcode; not listed), the rest are found by typing
NUMBERS = re.compile(r"[\s,]+")


class PlainUI(TerminalUI):
    """yes_no and text as TerminalUI asks them (already line by line); lists by numbers."""

    @property
    def out(self):
        if self._out is None:
            from . import views

            self._out = views.console(plain=True)
        return self._out

    def choose(self, question: str, choices: list[Choice], back: bool = False) -> Any:
        numbered = [c for c in choices if isinstance(c, Choice)]
        long = len(numbered) > SEARCH_FROM
        self.say(question)
        shown = numbered[:LEADING] if long else numbered
        self.say(*(self.item(n, c) for n, c in enumerate(shown, 1)))
        if long:
            self.say(f"Or type part of a name to find it among all {len(numbered)}.")
        keys = "a number" + (" or words to find one" if long else "") + (", b goes back" if back else "")
        while True:
            line = self.ask(f"Answer with {keys}, then Enter:")
            if back and line.lower() in ("b", "back"):
                return BACK
            if line.isdecimal():
                number = int(line)
                if 1 <= number <= len(numbered) and not numbered[number - 1].disabled:
                    chosen = numbered[number - 1]
                    break
                self.say(f"  There is no choice {number}: answer with a number from 1 to {len(numbered)}.")
                continue
            exact = [(n, c) for n, c in enumerate(numbered, 1) if line and _names(line, c)] if long else []
            found = exact if len(exact) == 1 else \
                [(n, c) for n, c in enumerate(numbered, 1) if line and _finds(line, c)] if long else []
            if len(found) == 1:
                chosen = found[0][1]
                break
            if found:
                self.say(f"  {len(found)} match “{clean(line, newlines=False)}”:",
                         *(self.item(n, c) for n, c in found))
            else:
                self.say(f"  Nothing matches “{clean(line, newlines=False)}”: answer with a number"
                         + (", or other words." if long else "."))
        self.say(f"Answer: {unwrapped(chosen.title)}", "")
        return chosen.value

    def checklist(self, question: str, choices: list, *, none: bool = True, back: bool = True,
                  given: tuple = ()) -> list | str:
        choices = with_none(choices, none)
        numbered = [c for c in choices if isinstance(c, Choice)]
        self.say(question)
        number = 0
        for choice in choices:
            if isinstance(choice, Heading):
                heading = choice.text.strip("─ ")  # a separator alone leaves a blank line
                self.say("", *([heading] if heading else []))
            else:
                number += 1
                self.say(self.item(number, choice))
        ticked_before = [n for n, c in enumerate(numbered, 1) if c.checked and not c.disabled]
        keys = "the numbers of all that apply (spaces or commas between)"
        if ticked_before:  # come back to: what was ticked stays ticked unless answered again
            keys += ", Enter on its own keeps " + ", ".join(map(str, ticked_before))
        keys += ", b goes back" if back else ""
        while True:
            line = self.ask(f"Answer with {keys}, then Enter:")
            if back and line.lower() in ("b", "back"):
                return BACK
            try:
                picked = self.numbers(line, numbered) if line or not ticked_before else ticked_before
            except UserError as error:
                self.say(f"  {error}")
                continue
            answer = [numbered[n - 1].value for n in picked]
            verdict = check_ticks(answer, none, given)
            if verdict is True:
                break
            self.say(f"  {_in_numbers(str(verdict))}")
        self.say(f"Answer: {echoed(choices, answer, given) or 'nothing more'}", "")
        return answer

    # -- lines ------------------------------------------------------------------------------

    def item(self, number: int, choice: Choice) -> str:
        """'3. Young carer', wrapped under its text; a choice that cannot be ticked says why."""
        text = unwrapped(choice.title) + (f" ({choice.disabled})" if choice.disabled else " (ticked)" if choice.checked
                                          else "")
        head = f"{number}. "
        return textwrap.fill(clean(text, newlines=False), max(layout_width() - 1, 30), initial_indent=head,
                             subsequent_indent=" " * len(head), break_on_hyphens=False, break_long_words=False)

    def numbers(self, line: str, numbered: list[Choice]) -> list[int]:
        """The numbers typed, each once, in the order typed; raises UserError for one not offered."""
        picked: list[int] = []
        for word in NUMBERS.split(line.strip()):
            if not word:
                continue
            if not word.isdecimal() or not 1 <= int(word) <= len(numbered):
                raise UserError(f"“{clean(word, newlines=False)}” is not one of the numbers: answer with numbers "
                                f"from 1 to {len(numbered)}.")
            choice = numbered[int(word) - 1]
            if choice.disabled:
                raise UserError(f"{word} needs no tick: {choice.disabled}.")
            if int(word) not in picked:
                picked.append(int(word))
        return picked

    def ask(self, prompt: str) -> str:
        self.write(f"{prompt} ")
        return self.read().strip()

    def read(self) -> str:
        """A line, echoed when it came from a pipe (nothing else shows it), so that what was
        answered reads in order after each question."""
        line = read_line()
        if not is_terminal(sys.stdin):
            self.say(clean(line, newlines=False))
        return line

    def say(self, *lines: str) -> None:
        self.write("".join(f"{line}\n" for line in lines))

    def write(self, text: str) -> None:
        """Where the results are shown (the console's file: standard output), in their order;
        a line too long for the terminal is broken between words, never inside one ("Ente/r")."""
        width = max(layout_width() - 1, 30)
        lines = [_fill(line, width) if len(line) > width else line for line in text.split("\n")]
        self.out.file.write("\n".join(lines))
        self.out.file.flush()


def _fill(line: str, width: int) -> str:
    """A long line (a question, a prompt) wrapped; a prompt keeps its last space for the answer."""
    wrapped = textwrap.fill(line, width, break_on_hyphens=False, break_long_words=False)
    return wrapped + " " if line.endswith(" ") else wrapped


def _finds(words: str, choice: Choice) -> bool:
    """Every word typed is in the choice's title or its towns (found_by)."""
    haystack = _plain(f"{choice.title} {choice.found_by}")
    return all(word in haystack for word in _plain(words).split())


def _names(words: str, choice: Choice) -> bool:
    """What was typed is the whole of a name the choice has: its title up to " (", the name in
    the brackets ("Leeds City Council"), or one of its towns ("York" is York, not North Yorkshire)."""
    title = str(choice.title)
    head, _, inner = title.partition(" (")
    names = [head, inner.rstrip(")").split(" - ")[0], *choice.found_by.split(", ")]
    return _plain(words) in {_plain(name) for name in names if name}


def _plain(text: str) -> str:
    """Lower case, no apostrophes or full stops, single spaces: "St. Helens" is "st helens", "King's
    Lynn" is "kings lynn" (as the directory spells it)."""
    return " ".join(text.lower().replace("\u2019", "").replace("'", "").replace(".", "").split())


# check_ticks' words are for ticking with space: here a choice is answered by its number.
IN_NUMBERS = {
    EMPTY_ANSWER: "Nothing is answered: type the numbers of what applies, or the number of “None of these apply”.",
    NOTHING_TICKED: "Nothing is answered: type the numbers of what applies.",
    NONE_AND_MORE: "“None of these apply” cannot go with other answers: type one or the other.",
}


def _in_numbers(message: str) -> str:
    return IN_NUMBERS.get(message, message)
