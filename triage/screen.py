"""What may reach the terminal. Text from data files, answers files, options and the
environment is shown with its control characters escaped, so no string can move the cursor,
erase a line or reorder what is shown; and characters the output encoding lacks (box lines,
curly quotes under PYTHONIOENCODING=ascii or latin-1) become plain ASCII, never a traceback.

Kept free of imports beyond the standard library's cheapest: error lines use it too.
"""
from __future__ import annotations

import codecs
import re
import sys

# C0 controls (newline and tab are handled apart), DEL, C1 controls (U+009B is a one-character
# CSI to some terminals), the invisible marks that reorder or break lines: the bidi
# embeddings, overrides and isolates (U+202A-E, U+2066-9), the directional marks (U+200E/F,
# U+061C), the line and paragraph separators (U+2028/9); and lone surrogates, which is how
# Python holds a command line's undecodable bytes (a raw 0x9B byte among them).
CONTROL = ("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
           "\ud800-\udfff]")
LONGEST = 1000  # an error line echoes what it was given; never megabytes of it


def clean(text: str, newlines: bool = True) -> str:
    """`text` safe to print: each control character written out as an escape (ESC as
    \\x1b), tabs as a space, and newlines kept only where they may start a new line."""
    if text.isprintable():  # the common case, at C speed
        return text
    text = text.replace("\t", " ")
    if not newlines:
        text = text.replace("\n", "\\n")
    return controls().sub(_escape, text)


def controls() -> re.Pattern:
    """CONTROL compiled, when first needed: 0.5 ms (the surrogates make a large set) that
    most runs never spend, their text being printable. re keeps it compiled after that."""
    return re.compile(CONTROL)


def _escape(control: re.Match) -> str:
    code = ord(control.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a command line: shown as that byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def error_line(message: str) -> str:
    """One line for stderr: controls escaped, newlines too, and at most LONGEST characters."""
    line = clean(message, newlines=False)
    return line if len(line) <= LONGEST else line[: LONGEST - 1] + "…"


# ---------------------------------------------------------------------------------------
# Any output encoding

ASCII = {
    "─": "-", "━": "-", "│": "|", "┃": "|", "╭": "+", "╮": "+", "╰": "+", "╯": "+", "┌": "+", "┐": "+",
    "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "‘": "'", "’": "'", "‚": "'",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‹": "'", "›": "'", "–": "-", "—": "-", "‑": "-",
    "−": "-", "…": "...", "•": "*", "·": ".", "→": "->", "←": "<-", "↑": "^", "↓": "v", "£": "GBP ",
    "\u00a0": " ", "✓": "v", "✗": "x", "×": "x",
}
FALLBACK = "triage.ascii"


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """A replacement for each character the encoding cannot show: the ASCII look-alike, the
    letter without its accent (é as e), or '?'."""
    import unicodedata

    if not isinstance(error, UnicodeEncodeError):  # registered for encoding only
        raise error
    replaced = []
    for character in error.object[error.start:error.end]:
        if character in ASCII:
            replaced.append(ASCII[character])
            continue
        bare = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode()
        replaced.append(bare or "?")
    return "".join(replaced), error.end


codecs.register_error(FALLBACK, _ascii_fallback)


def unicode_output(stream=None) -> bool:
    """Can `stream` (standard output) encode every character? True for UTF-8, and for streams
    without an encoding (a StringIO in tests)."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    return codecs.lookup(encoding).name.startswith("utf")


def guard_streams() -> None:
    """Standard output and error print what their encoding can, with ASCII look-alikes for
    the rest (a no-op for UTF-8, and for streams that are not text files, as in tests). One
    closed by the caller (`>&-`, which Python shows as None) takes what is written nowhere."""
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    unusable = []
    for stream in (sys.stdout, sys.stderr):
        if not hasattr(stream, "reconfigure"):
            continue
        if not writes_plain_text(stream.encoding):  # idna, undefined, utf-16: UTF-8 instead
            unusable.append(stream.encoding)
            stream.reconfigure(encoding="utf-8", errors="replace")
        elif not unicode_output(stream):
            stream.reconfigure(errors=FALLBACK)
    if unusable:
        sys.stderr.write(f"triage: the output encoding {clean(unusable[0], newlines=False)} cannot show text: "
                         "writing UTF-8 (set PYTHONIOENCODING=utf-8, or unset it)\n")


# A line as triage writes them: longer than a DNS label (idna), no dot, ASCII throughout.
_SAMPLE = "If a child is in immediate danger, left alone or missing, call 999 now: 0300 123 4043\n"


def writes_plain_text(encoding: str | None) -> bool:
    """Whether an encoding writes ASCII text as ASCII bytes, as a terminal or a file reader
    expects: not one that fails on it (idna, undefined) or doubles every byte (utf-16)."""
    try:
        return _SAMPLE.encode(encoding or "utf-8") == _SAMPLE.encode("ascii")
    except (LookupError, UnicodeError, ValueError, TypeError):
        return False


# ---------------------------------------------------------------------------------------
# The accessible mode

plain = False  # set once by each command (use_plain): line by line, no box drawing, no colour


def use_plain(asked: bool) -> bool:
    """The accessible mode, for screen readers and terminals that cannot be driven: asked with
    --plain or ACCESSIBLE (any value but 0 or false, the convention charmbracelet's huh keeps),
    or chosen by itself for TERM=dumb."""
    import os

    global plain
    accessible = os.environ.get("ACCESSIBLE", "").strip().lower() not in ("", "0", "false", "no")
    plain = asked or accessible or os.environ.get("TERM", "") == "dumb"
    return plain


def no_console() -> bool:
    """Windows, with standard input not a console (Git Bash's mintty gives a pipe): questions
    there can only be asked line by line."""
    import os

    return os.name == "nt" and not is_terminal(sys.stdin)


def is_terminal(stream) -> bool:
    """Whether `stream` is a terminal; False for one that is missing or closed."""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


WIDEST = 200  # columns laid out at most: wider is no easier to read, and COLUMNS=99999999999 must not cost memory


def layout_width() -> int:
    """The width to lay out for: $COLUMNS or the terminal's, at most WIDEST. Zero, negative
    or unreadable means unknown: 80, so that "Call 999 now" is never laid out into nothing."""
    import shutil

    try:
        columns = shutil.get_terminal_size((80, 24)).columns
    except (ValueError, OverflowError):  # COLUMNS beyond a C int
        columns = 80
    return min(columns, WIDEST) if columns > 0 else 80
