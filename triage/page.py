"""Lays out styled text for the terminal (word-wrapped paragraphs, boxes, rules) and prints
it through rich in one call.

Why not rich's own layout (Text wrapping, Padding, Panel, Table)? It took about 50 ms to lay
out one authority's contacts, a third of the cost of starting Python; these lines take under
1 ms. Rich still does the printing, and with it colour support, NO_COLOR, and plain text when
the output is not a terminal.

Every string is cleaned of control characters on its way in (screen.clean): nothing from a
data file, an answers file or an option can move the cursor, erase a line or reorder text.
"""
from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment, Segments
from rich.style import Style

from .screen import clean

Piece = tuple[str, str | None]  # some text and its rich style ("bold red"), or None
Line = tuple[list[Piece], int]  # a laid-out line and its width in cells
KEEP = "\u00a0"  # a space no line breaks at; printed as a plain space
# A UK phone number written with spaces ("0300 500 80 90", "01604 626938") is never split over
# two lines: "0300 456" and "4546" on two lines could be dialled as two numbers.
PHONE = re.compile(r"\b(?:0\d{2,4}|101)(?: (?:Ext )?\d{2,7}){1,3}\b")


class Page:
    def __init__(self, out: Console):
        self.out = out
        self.width = max(out.width, 20)
        self.lines: list[list[Piece]] = []
        # The accessible mode (screen.plain): no box drawing, section titles as plain lines, the
        # number to ring at the start of its line (views.py asks `page.plain`).
        self.plain = getattr(out, "plain", False)

    def para(self, *pieces: Piece | str, indent: int = 0, hang: int = 0, style: str | None = None) -> None:
        """One paragraph, word-wrapped; continuation lines indented `hang` more than the first.
        A piece is plain text or (text, style); newlines inside it start new lines."""
        for line, _ in wrap(_styled(pieces, style), self.width - indent, hang):
            self.lines.append([(" " * indent, None), *line])

    def height(self, *pieces: Piece | str, indent: int = 0, hang: int = 0) -> int:
        """How many lines `para` would take for these pieces."""
        return len(wrap(_styled(pieces, None), self.width - indent, hang))

    def blank(self) -> None:
        self.lines.append([])

    def rule(self, title: str) -> None:
        if self.plain:
            self._gap()
            self.lines.append([(clean(title, newlines=False), "bold")])
            return
        head = f"── {clean(title, newlines=False)} "
        self.lines.append([(head + "─" * max(self.width - cell_len(head), 0), "bold")])

    def box(self, title: str, paragraphs: list[list[Piece | str]], border: str) -> None:
        """Paragraphs framed by a rounded border with a title, as rich's Panel draws them. A
        title too long for the border becomes the first line inside."""
        title = clean(title, newlines=False)
        if self.plain:  # the title as a line of its own, the paragraphs under it, blank lines around
            self._gap()
            self.lines.append([(title, "bold")])
            for pieces in paragraphs:
                self.lines += [line for line, _ in wrap(_styled(pieces, None), self.width)]
            self.blank()
            return
        inner = self.width - 4
        head = f"╭─ {title} "
        if cell_len(head) > self.width - 2:
            head, paragraphs = "╭─", [[(title, "bold")], *paragraphs]
        self.lines.append([(head + "─" * (self.width - 1 - cell_len(head)) + "╮", border)])
        for pieces in paragraphs:
            for line, used in wrap(_styled(pieces, None), inner):
                self.lines.append([("│ ", border), *line, (" " * (inner - used) + " │", border)])
        self.lines.append([("╰" + "─" * (self.width - 2) + "╯", border)])

    def _gap(self) -> None:
        """A blank line, unless the last line is one."""
        if self.lines and self.lines[-1]:
            self.blank()

    def show(self) -> None:
        """Print everything laid out so far, and start again."""
        segments = []
        for line in self.lines:
            merged: list[Piece] = []  # one segment for each run of one style
            for text, style in line:
                if merged and merged[-1][1] == style:
                    merged[-1] = (merged[-1][0] + text, style)
                elif text:
                    merged.append((text, style))
            if merged:  # no trailing spaces: they would wrap in a terminal narrower than the page
                merged[-1] = (merged[-1][0].rstrip(" "), merged[-1][1])
            segments += [Segment(text.replace(KEEP, " "), _style(style)) for text, style in merged if text]
            segments.append(Segment.line())
        self.out.print(Segments(segments), soft_wrap=True)
        self.lines = []


def _style(name: str | None) -> Style | None:
    return Style.parse(name) if name else None  # parse is cached by rich


def _styled(pieces, default: str | None) -> list[Piece]:
    """Every text laid out passes here: control characters escaped (screen.clean), so no
    string from data, an answers file or an option can move the cursor or erase a line."""
    styled = [(piece, default) if isinstance(piece, str) else piece for piece in pieces]
    return [(PHONE.sub(_unbroken, clean(text)), style) for text, style in styled]


def _unbroken(number: re.Match) -> str:
    return number.group().replace(" ", KEEP)


def wrap(pieces: list[Piece], width: int, hang: int = 0) -> list[Line]:
    """Greedy word wrap of styled pieces to `width` cells. Lines break at spaces only (the
    spaces between words on one line are kept as given); a word too long for a line is cut.
    Each newline in the text starts a new line."""
    hang = min(hang, width // 2)  # continuation lines keep room for words
    lines: list[Line] = []
    for paragraph in _split_lines(pieces):
        size = sum(_cells(text) for text, _ in paragraph)
        if size <= width:  # most lines fit as they are
            lines.append((paragraph, size))
        elif len(paragraph) == 1 and size == len(paragraph[0][0]):  # one style, one cell a character
            lines += _wrap_narrow(*paragraph[0], width, hang)
        else:
            lines += _wrap_paragraph(paragraph, width, hang)
    return lines


def _wrap_narrow(text: str, style: str | None, width: int, hang: int) -> list[Line]:
    """The common case, with string searches instead of a loop over words (10x faster)."""
    lines: list[Line] = []
    indent, room = "", width
    while len(text) > room:
        cut = text.rfind(" ", 0, room + 1)
        if cut <= 0:  # no space to break at: cut the word
            line, text = text[:room], text[room:]
        else:
            line, text = text[:cut].rstrip(" "), text[cut:].lstrip(" ")
        lines.append(([(indent, None), (line, style)], len(indent) + len(line)))
        indent, room = " " * hang, max(width - hang, 1)
    lines.append(([(indent, None), (text, style)], len(indent) + len(text)))
    return lines


def _wrap_paragraph(pieces: list[Piece], width: int, hang: int) -> list[Line]:
    lines: list[Line] = []
    line: list[Piece] = []
    used = 0
    for gap, word in _words(pieces):
        size = sum(_cells(text) for text, _ in word)
        if line and used + gap + size > width:
            lines.append((line, used))
            line, used = [(" " * hang, None)], hang
        elif line:
            # Spaces inside a run of one style take that style, so show() prints the run whole.
            line.append((" " * gap, line[-1][1] if line[-1][1] == word[0][1] else None))
            used += gap
        while used + size > width and width - used > 0:  # a word longer than a whole line
            head, word = _cut(word, width - used)
            lines.append((line + head, width))
            line, used = [(" " * hang, None)], hang
            size = sum(_cells(text) for text, _ in word)
        line += word
        used += size
    lines.append((line, used))
    return lines


def _split_lines(pieces: list[Piece]) -> list[list[Piece]]:
    if not any("\n" in text for text, _ in pieces):
        return [pieces]
    paragraphs: list[list[Piece]] = [[]]
    for text, style in pieces:
        for n, part in enumerate(text.split("\n")):
            if n:
                paragraphs.append([])
            paragraphs[-1].append((part, style))
    return paragraphs


def _words(pieces: list[Piece]) -> list[tuple[int, list[Piece]]]:
    """Words, each with the number of spaces before it and its styled parts (pieces not
    separated by a space form one word)."""
    words: list[tuple[int, list[Piece]]] = []
    gap = 0  # spaces since the last word; none means the next text continues it
    for text, style in pieces:
        for n, chunk in enumerate(text.split(" ")):
            gap += n > 0
            if not chunk:
                continue
            if words and not gap:
                words[-1][1].append((chunk, style))
            else:
                words.append((gap, [(chunk, style)]))
            gap = 0
    return words


def _cut(word: list[Piece], room: int) -> tuple[list[Piece], list[Piece]]:
    """The first `room` cells of a word, and the rest."""
    head: list[Piece] = []
    for index, (text, style) in enumerate(word):
        size = _cells(text)
        if size <= room:
            head.append((text, style))
            room -= size
            continue
        cut = 0
        while cut < len(text) and _cells(text[: cut + 1]) <= room:
            cut += 1
        head.append((text[:cut], style))
        return head, [(text[cut:], style), *word[index + 1:]]
    return head, []


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)
