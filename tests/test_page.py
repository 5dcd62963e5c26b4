"""triage.page lays out what every command prints: nothing may be lost, reordered, restyled
or pushed past the edge of the terminal, at any width."""
from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from triage.page import Page, wrap

STYLES = [None, "bold", "green", "bold red"]
WORD = st.text(st.sampled_from("abcdefghij’“”é–0123456789.,:/()"), min_size=1, max_size=14)
PIECE = st.tuples(st.lists(WORD, min_size=1, max_size=12).map(" ".join), st.sampled_from(STYLES))
PIECES = st.lists(PIECE, min_size=1, max_size=5)


def styled_characters(pieces) -> list[tuple[str, str | None]]:
    """Every character that is not a space, with its style, in order."""
    return [(c, style) for text, style in pieces for c in text if c != " "]


def line_text(line) -> str:
    return "".join(text for text, _ in line[0])


@settings(max_examples=300, deadline=None)
@given(pieces=PIECES, width=st.integers(5, 100), hang=st.integers(0, 6))
def test_wrapped_lines_fit_and_keep_every_character_and_style(pieces, width, hang):
    lines = wrap(list(pieces), width, hang)
    for line in lines:
        assert len(line_text(line)) <= width, line
        assert line[1] == len(line_text(line)), "the width a line reports is its real width"
    out = [piece for line in lines for piece in line[0]]
    assert styled_characters(out) == styled_characters(pieces)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=40), width=st.integers(15, 100))
def test_lines_break_only_between_words_when_every_word_fits(words, width):
    lines = wrap([(" ".join(words), None)], width)
    assert [w for line in lines for w in line_text(line).split()] == words
    for first, second in zip(lines, lines[1:]):  # greedy: the next word did not fit
        assert len(line_text(first)) + 1 + len(line_text(second).split()[0]) > width


def test_a_word_longer_than_the_line_is_cut_not_pushed_past_the_edge():
    url = "https://www.hertfordshire.gov.uk/services/childrens-social-care/child-protection"
    lines = wrap([(f"See {url} now", "green")], 30)
    assert all(len(line_text(line)) <= 30 for line in lines)
    assert "".join(line_text(line) for line in lines).replace(" ", "") == f"See{url}now"


def test_spaces_inside_a_line_are_kept_as_given():
    (line,) = wrap([("open   ", "green"), ("Police (101)", "bold")], 80)
    assert line_text(line) == "open   Police (101)"


def test_continuation_lines_hang_under_the_first():
    lines = wrap([("closed ", "red"), ("Multi-Agency Safeguarding Hub (MASH) for Nottinghamshire", "bold")], 30, hang=7)
    assert len(lines) > 1
    assert all(line_text(line).startswith(" " * 7) and line_text(line)[7] != " " for line in lines[1:])


def render(width: int, build, terminal: bool = False) -> str:
    out = Console(file=io.StringIO(), width=width, force_terminal=terminal, color_system="standard" if terminal else None)
    page = Page(out)
    build(page)
    page.show()
    return out.file.getvalue()


@settings(max_examples=100, deadline=None)
@given(paragraphs=st.lists(PIECES, min_size=1, max_size=4), width=st.integers(20, 100),
       title=st.lists(WORD, min_size=1, max_size=8).map(" ".join))
def test_a_box_is_closed_on_every_line_at_any_width(paragraphs, width, title):
    lines = render(width, lambda page: page.box(title, paragraphs, border="red")).splitlines()
    assert lines[0].startswith("╭") and lines[0].endswith("╮")
    assert lines[-1] == "╰" + "─" * (width - 2) + "╯"
    assert all(line.startswith("│ ") and line.endswith(" │") for line in lines[1:-1])
    assert {len(line) for line in lines} == {width}


def test_to_a_pipe_no_colour_codes_and_no_trailing_spaces():
    text = render(40, lambda page: (page.para(("Level 4", "bold red")), page.para("x " * 50, indent=4)))
    assert "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_to_a_terminal_a_styled_phrase_is_one_run_of_colour():
    text = render(80, lambda page: page.para(("Call 999 now.", "bold red")), terminal=True)
    assert "Call 999 now." in text  # not broken up by a reset between the words
    assert text.startswith("\x1b[")


NUMBERS = ["0300 123 4043", "0300 500 80 90", "01604 626938", "0115 8041275", "101 Ext 801 5060", "0800 1111"]


@settings(max_examples=200, deadline=None)
@given(before=st.lists(WORD, max_size=12).map(" ".join), number=st.sampled_from(NUMBERS),
       after=st.lists(WORD, max_size=12).map(" ".join), width=st.integers(20, 80))
def test_a_phone_number_is_never_split_over_two_lines(before, number, after, width):
    text = render(width, lambda page: page.para(f"{before} call {number} {after}", indent=4))
    assert any(number in line for line in text.splitlines()), text


def test_a_title_too_long_for_the_border_is_kept_inside():
    title = "Duty: Prevent: concerns about extremism and radicalisation"
    lines = render(40, lambda page: page.box(title, [["Refer to Children’s Services."]], border="magenta")).splitlines()
    inside = " ".join(line.strip("│ ") for line in lines[1:-1])
    assert title in inside


# ---------------------------------------------------------------------------------------
# Nothing from outside reaches the terminal as a control sequence (issue 14)

CONTROLS = "\x00\x07\x08\x0b\x0c\r\x1b\x7f\x85\x9b\u061c\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069\udcff"


def _printed(draw) -> str:
    out = io.StringIO()
    page = Page(Console(file=out, width=60, color_system=None, force_terminal=False))
    draw(page)
    page.show()
    return out.getvalue()


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.sampled_from(CONTROLS + "ab 0123\n"), max_size=40))
def test_control_characters_are_escaped_wherever_text_is_laid_out(text):
    from triage.screen import controls

    def draw(page):
        page.para(text, ("styled " + text, "bold"))
        page.rule(text)
        page.box(text, [[text], [(text, "green")]], border="red")

    printed = _printed(draw)
    assert controls().search(printed) is None, repr(printed)
    assert "\t" not in printed


def test_an_escape_sequence_is_shown_where_it_was():
    printed = _printed(lambda page: page.box("Call now", [["EDT\x1b[2K\rFAKE LINE: 0800 000 0000"]], border="red"))
    assert "EDT\\x1b[2K\\x0dFAKE LINE: 0800 000 0000" in printed
    assert printed.count("│") == 2  # the border is whole: one line inside, both sides drawn


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_clean_leaves_printable_text_alone(text):
    from triage.screen import clean, controls

    cleaned = clean(text)
    assert controls().search(cleaned) is None
    if controls().search(text) is None and "\t" not in text:
        assert cleaned == text
    assert clean(text, newlines=False).count("\n") == 0
