"""A scripted UI for driving triage's flow in-process (triage/ui.py's interface).

Each question takes the next scripted answer; the questions asked and everything shown are
recorded, so a test reads as "answer these, see that". A question with no answer left fails
the test (the flow asked more than the script expected)."""
from __future__ import annotations

import io

from rich.console import Console

from triage.ui import BACK, Choice, check_ticks, with_none

YES, NO = True, False


class ScriptedUI:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.asked: list[tuple[str, str]] = []  # (kind, question)
        self.choices: dict[str, list] = {}  # question -> the choices offered
        self.screen = io.StringIO()
        self.out = Console(file=self.screen, width=80, color_system=None, highlight=False)

    def _next(self, kind: str, question: str):
        self.asked.append((kind, question))
        if not self.answers:
            raise AssertionError(f"no scripted answer for {kind} {question!r}; asked so far: {self.questions}")
        return self.answers.pop(0)

    @property
    def questions(self) -> list[str]:
        return [question for _, question in self.asked]

    def yes_no(self, question: str, back: bool = False, asked=None):
        answer = self._next("yes_no", question)
        assert answer in (True, False) or (back and answer == BACK), f"{question!r}: cannot answer {answer!r}"
        return answer

    def choose(self, question: str, choices: list[Choice], back: bool = False):
        self.choices[question] = choices
        answer = self._next("choose", question)
        assert answer == BACK or answer in [c.value for c in choices], f"{question!r}: no choice {answer!r}"
        return answer

    def text(self, question: str, read):
        """The next answer is the line typed; "" goes back. A line `read` refuses is shown, as
        the terminal shows it, and the next answer is taken, as the terminal asks again."""
        from triage.errors import UserError

        while True:
            line = self._next("text", question)
            if line == "":
                return BACK
            try:
                return read(line)
            except UserError as error:
                self.out.print(f"  {error}")

    def checklist(self, question: str, choices: list, *, none: bool = True, back: bool = True, given: tuple = ()):
        choices = with_none(choices, none)
        self.choices[question] = choices
        answer = self._next("checklist", question)
        if answer == BACK:
            return BACK
        values = [c.value for c in choices if isinstance(c, Choice) and not c.disabled]
        assert all(a in values for a in answer), f"{question!r}: not offered: {set(answer) - set(values)}"
        assert check_ticks(list(answer), none, given) is True, f"{question!r}: the terminal would refuse {answer!r}"
        return list(answer)

    def show(self, view, *args) -> None:
        view(self.out, *args)

    @property
    def shown(self) -> str:
        return self.screen.getvalue()

    def offered(self, question_start: str) -> list[Choice]:
        """The choices of the question that starts so (headings left out)."""
        question = next(q for q in self.choices if q.startswith(question_start))
        return [c for c in self.choices[question] if isinstance(c, Choice)]
