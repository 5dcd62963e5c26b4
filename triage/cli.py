"""The `triage` command line. Each command is a few lines over the modules that do the work.

Heavy modules (questionary, holidays, ruamel.yaml, the data) are imported inside the
commands that need them, so every command starts about as fast as Typer and rich alone.
"""
# Annotations are evaluated (no `from __future__ import annotations`): typer reads them on
# every run, and string annotations cost an eval each.

import errno
import sys

import typer

from . import __version__
from .errors import CANCELLED, USAGE, UserError

app = typer.Typer(
    add_completion=False,
    # Plain help: typer's rich help imports markdown-it (about 0.1 s) before printing a line.
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="How serious is a worry about a child, and whom to call now (England: "
    "Hertfordshire, Nottinghamshire, Northamptonshire). In immediate danger, call 999.",
)

AUTHORITY_HELP = ("Any English council, by name, town or district (Leeds, Watford, Corby), or an id (herts, notts, "
                  "northants: the authorities whose indicators triage holds). Default: $TRIAGE_AUTHORITY.")
POSTCODE_HELP = ("The child's home postcode, instead of --authority: it finds the council responsible (ONS Postcode "
                 "Directory). Looked up, never written anywhere.")
PLAIN_HELP = ("The accessible mode, for screen readers and plain terminals: questions line by line, answered by "
              "numbers; no box drawing or colour (also ACCESSIBLE=1, and by itself under TERM=dumb).")
AT_HELP = "The moment to use instead of now, ISO 8601 (UK time without an offset), e.g. 2026-11-27T16:45."


def _given(value):
    """An option or argument given as '' is a mistake to report, never the same as leaving it out."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if any(v is not None and not str(v).strip() for v in values):
        raise typer.BadParameter("is empty: give a value, or leave the option out")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"triage {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """triage: how serious is a worry about a child, and whom to call now."""


@app.command()
def lookup(
    domain: str | None = typer.Argument(None, callback=_given, help="A domain id, name or unambiguous prefix, e.g. 'mental' or 'Drug'."),
    authority: str | None = typer.Option(None, "--authority", "-a", callback=_given, help=AUTHORITY_HELP),
    level: int | None = typer.Option(None, "--level", "-l", min=1, max=4, help="Only indicators at this level (1-4)."),
    search: str | None = typer.Option(None, "--search", "-s", callback=_given, help="Search every domain's indicators for this text."),
    json_out: bool = typer.Option(False, "--json", help="Print every matching item as a JSON array."),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP),
) -> None:
    """Quick reference to the official indicators of need.

    \b
    Examples:
      triage lookup health -a herts
      triage lookup -a notts --search missing
      triage lookup -a herts --json
    """
    from .lookup import run_lookup
    from .screen import use_plain

    use_plain(plain)
    run_lookup(domain, authority, level, search, json_out)


@app.command()
def validate(
    path: str | None = typer.Argument(None, callback=_given, help="A council's own folder (indicators/<id>/ and contacts/<id>.yaml, laid out as triage's data/), checked over the shipped data; or a whole data tree. Default: the one in use."),
) -> None:
    """Check a council's folder (or a data tree) and list every problem as file:line: message.

    Exit 0 when clean, 1 when problems were found. TRIAGE_DATA_DIR=FOLDER makes every
    command use the folder, read over the shipped data. The format, with a guide for a
    council's data officer, is docs/data-format.md in triage's source; `triage schema`
    prints the schemas an editor can check files against.

    \b
    Example:
      triage validate ./rutland
      TRIAGE_DATA_DIR=./rutland triage contacts -a rutland
    """
    from .data.validate import run_validate

    raise typer.Exit(run_validate(path))


@app.command()
def schema(
    kind: str = typer.Argument(..., callback=_given, help="The kind of data file: authority, domain, common or contacts."),
) -> None:
    """Print the JSON Schema (draft 2020-12) of one kind of data file, for editors.

    Save it beside the data and name it on a file's first line, and an editor with a YAML
    language server checks the file as it is typed (triage validate checks the rest).

    \b
    Kinds: authority (indicators/<id>/authority.yaml), domain (indicators/<id>/<domain>.yaml),
           common (indicators/common.yaml), contacts (contacts/<id>.yaml, contacts/national.yaml)
    \b
    Example:
      triage schema authority > authority.schema.json
      # yaml-language-server: $schema=authority.schema.json
    """
    from .data.json_schema import KINDS, run_schema

    if kind not in KINDS:
        raise UserError(f"unknown kind of data file '{kind}': give one of {', '.join(KINDS)}", USAGE)
    run_schema(kind)


@app.command()
def contacts(
    authority: str | None = typer.Option(None, "--authority", "-a", callback=_given, help=AUTHORITY_HELP),
    at: str | None = typer.Option(None, "--at", callback=_given, help=AT_HELP),
    postcode: str | None = typer.Option(None, "--postcode", "-p", callback=_given, help=POSTCODE_HELP),
    district: str | None = typer.Option(None, "--district", "-d", callback=_given, help="Nottinghamshire: only this district's local contacts."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP),
) -> None:
    """Who to call, which line answers now, and when each opens.

    \b
    Examples:
      triage contacts --authority notts
      triage contacts --authority notts --at 2026-11-27T16:45 --json
      triage contacts --authority Leeds
      triage contacts --postcode "NN17 1AA"
    """
    from .contacts import run_contacts
    from .screen import use_plain

    use_plain(plain)
    run_contacts(authority, at, district, json_out, postcode)


@app.command()
def assess(
    authority: str | None = typer.Option(None, "--authority", "-a", callback=_given, help=AUTHORITY_HELP),
    postcode: str | None = typer.Option(None, "--postcode", "-p", callback=_given, help=POSTCODE_HELP),
    indicator: list[str] | None = typer.Option(None, "--indicator", "-i", callback=_given, help="An indicator id to tick (repeatable). Asks nothing."),
    answers: str | None = typer.Option(None, "--answers", callback=_given, help="A YAML or JSON file with the same fields as the options. Asks nothing."),
    immediate_danger: bool = typer.Option(False, "--immediate-danger", help="A child is in immediate danger, left alone or missing: 999."),
    mental_health_crisis: bool = typer.Option(False, "--mental-health-crisis", help="A young person is at immediate risk of harm from a mental health crisis."),
    allegation: bool = typer.Option(False, "--allegation", help="The concern is about an adult who works with children (the designated officer)."),
    duty: list[str] | None = typer.Option(None, "--duty", callback=_given, help="A national duty that applies, in any authority: fgm-police (a known case of FGM in a girl under 18) prevent (a child being drawn into extremism) or csa-report (the duty to report child sexual abuse, Crime and Policing Act 2026). Repeatable."),
    nothing_applies: bool = typer.Option(False, "--nothing-applies", help="None of the indicators applies (Level 1). Without it, no indicator is an error."),
    thresholds_checked: bool = typer.Option(False, "--thresholds-checked", help="The social-care threshold criteria (Nottinghamshire 4a/4b/4c) were checked and none applies. Without it a Level 3 or 4 result names them as not checked."),
    fgm_told_or_seen: str | None = typer.Option(None, "--fgm-told-or-seen", callback=_given, help="FGM: did the girl tell you herself, or did you see physical signs? yes or no (the police duty applies only then)."),
    child_consent: str | None = typer.Option(None, "--child-consent", callback=_given, help="Has the child or young person agreed too, where the consent rule asks it? yes or no."),
    conditions_confirmed: bool = typer.Option(False, "--condition-confirmed", help="The condition of a ticked criterion holds (Nottinghamshire 4a: issues not resolved by interventions at Levels 1-3)."),
    consent: str | None = typer.Option(None, "--consent", callback=_given, help="Have the parents been told and agreed? yes or no."),
    consent_exception: list[str] | None = typer.Option(None, "--consent-exception", callback=_given, help="When consent was not sought: the number of the exception that applies, as listed under Consent (repeatable)."),
    at: str | None = typer.Option(None, "--at", callback=_given, help=AT_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON. Asks nothing."),
    output: str | None = typer.Option(None, "--output", "-o", callback=_given, help="Write a record (Markdown, or JSON for .json). No names are ever asked."),
    force: bool = typer.Option(False, "--force", help="Overwrite the --output file if it exists."),
    plain: bool = typer.Option(False, "--plain", help=PLAIN_HELP + " Answers may then come from a pipe, a line at a time."),
) -> None:
    """Work out the level of need and what to do now.

    Asks first about immediate danger, then the urgent routes (a mental health crisis; an
    adult who works with children), then which indicators apply. Without a terminal, give
    the answers as options: --indicator (or --nothing-applies) and any urgent flags.

    \b
    Examples:
      triage assess
      triage assess -a herts -i herts-health-l4-01 --json
      triage assess -a notts --answers answers.yaml --output record.md
      triage assess --postcode "LS1 1AA" --immediate-danger
    """
    from .assess import run_assess
    from .screen import use_plain

    use_plain(plain)
    run_assess(authority=authority, postcode=postcode, indicators=indicator or [], answers=answers, immediate_danger=immediate_danger,
               mental_health_crisis=mental_health_crisis, allegation=allegation, nothing_applies=nothing_applies,
               conditions_confirmed=conditions_confirmed,
               consent=consent, consent_exceptions=consent_exception or [], at=at, json_out=json_out,
               output=output, force=force, duties=duty or [], thresholds_checked=thresholds_checked,
               fgm_told_or_seen=fgm_told_or_seen, child_consent=child_consent)


def main() -> None:
    """Entry point: every expected failure is one line on stderr and an exit status."""
    from typer import Abort
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    from . import signals
    from .screen import guard_streams

    guard_streams()
    try:
        signals.arm()  # from here a signal is an orderly exit (see triage/signals.py)
        code = app(standalone_mode=False, prog_name="triage")
        if code == CANCELLED:  # typer's own answer to a Ctrl-C inside a command
            raise KeyboardInterrupt
        sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
        signals.armed = False
    except UserError as error:
        _fail(error.message, error.code)
    except NoArgsIsHelpError as error:  # bare `triage`: the help, as --help prints it
        signals.armed = False
        sys.stdout.write(error.format_message() + "\n")
        code = 0
    except ClickException as error:
        context = getattr(error, "ctx", None)
        command = context.command_path if context is not None else "triage"
        _fail(f"{error.format_message()} (see `{command} --help`)", error.exit_code or USAGE)
    except (KeyboardInterrupt, EOFError, Abort):
        _fail("cancelled: nothing was saved.", CANCELLED)
    except signals.Stopped as stop:
        _fail(stop.message, stop.code)
    except BrokenPipeError:  # `triage ... | head`: the reader has all it wanted
        _quiet_stdout()
        sys.exit(1)
    except OSError as error:  # standard output on a full disk, the terminal closed
        _quiet_stdout()
        if error.errno == errno.EIO:
            _fail("the terminal was closed (input/output error): nothing was saved.", USAGE)
        where = f" {error.filename}" if error.filename else " the output"
        _fail(f"cannot write{where}: {error.strerror or error}", USAGE)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    from . import signals
    from .screen import error_line

    signals.armed = False
    signals.settle()  # the exit status is decided: a second signal must not add its own line and status
    try:
        sys.stderr.write(f"triage: error: {error_line(message)}\n")
        sys.stderr.flush()
    except OSError:  # stderr is gone too (a closed terminal): the exit status still tells
        pass
    sys.exit(code)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so Python's last flush at exit finds nothing to
    fail on (what was not written is lost either way)."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass
