"""`triage assess`: ask (or take from options) what applies, then show what to do now."""
# Annotations are evaluated (no `from __future__ import annotations`): NamedTuple would
# compile each string annotation on every start (see model.py).

import errno
import os
import stat
import sys
from pathlib import Path

from .errors import CANCELLED, USAGE, UserError
from .selections import Selections

CANCELLED_MESSAGE = "Assessment cancelled: nothing was saved."
FLAGS = ("immediate_danger", "mental_health_crisis", "allegation", "nothing_applies", "conditions_confirmed",
         "thresholds_checked")
ANSWER_KEYS = {"authority", "indicators", *FLAGS, "duties", "consent", "consent_exceptions", "at", "fgm_told_or_seen",
               "child_consent"}


def run_assess(*, authority, indicators, answers, immediate_danger, mental_health_crisis, allegation,
               nothing_applies, conditions_confirmed, consent, consent_exceptions, at, json_out, output,
               force, duties=(), thresholds_checked=False, fgm_told_or_seen=None, child_consent=None,
               postcode=None) -> None:
    if postcode is not None:  # the council it is in; the postcode itself goes no further
        from .session import authority_name, load_data

        authority = authority_name(load_data(), authority, postcode)
    told = _consent(fgm_told_or_seen, "--fgm-told-or-seen")
    given = Selections(authority=authority, indicators=tuple(indicators), immediate_danger=immediate_danger,
                       mental_health_crisis=mental_health_crisis, allegation=allegation,
                       nothing_applies=nothing_applies, conditions_confirmed=conditions_confirmed,
                       consent=_consent(consent), at=at,
                       consent_exceptions=tuple(consent_exceptions), duties=tuple(duties),
                       thresholds_checked=thresholds_checked, fgm_told_or_seen=None if told is None else told == "yes",
                       child_consent=_consent(child_consent, "--child-consent"))
    if answers:
        given = _merge(read_answers(answers), given)
    if output:
        check_output_path(output, force)
    if given.at is not None:  # a bad --at is said before any question, not after the danger one
        from .session import moment

        moment(given.at)
    # Any answer given as an option means no questions: the options are the whole answer.
    non_interactive = bool(answers or json_out or given.indicators or given.consent_exceptions or given.duties
                           or given.fgm_told_or_seen is not None or given.child_consent
                           or any(getattr(given, flag) for flag in FLAGS))
    if non_interactive:
        finish(given, json_out, output, force)
        return
    from . import screen

    if sys.stdin is None or getattr(sys.stdin, "closed", False):  # `<&-`, or a Windows program without a console
        raise UserError("standard input is closed, so no question can be answered: if a child is in immediate "
                        "danger, call 999; give the answers as options (--authority, --indicator, --json) or "
                        "--answers FILE", USAGE)
    line_by_line = screen.plain or screen.no_console()  # the accessible mode (triage/plain.py)
    if not line_by_line and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("no terminal to ask questions in: give the answers as options, e.g. "
                        "`triage assess --authority herts --indicator ID --json` or `--answers FILE`, "
                        "or add --plain to answer line by line", USAGE)
    if not line_by_line and not screen.unicode_output():
        # questionary marks ticked and unticked items with ● and ○: a terminal that shows
        # both as "?" would hide what is ticked.
        raise UserError("this terminal cannot show the checklists' tick marks (its encoding is "
                        f"{sys.stdout.encoding}): if a child is in immediate danger, call 999 now; then use a "
                        "UTF-8 terminal (e.g. LANG=C.UTF-8) or give the answers as options", USAGE)
    from .flow import EndedAfter999, interview

    if line_by_line:
        from .plain import PlainUI

        screen.plain = True  # the results too: no box drawing, no colour
        ui = PlainUI()
    else:
        ui = None
    try:
        collected = interview(given, ui)
    except (KeyboardInterrupt, EOFError):
        sys.stdout.write("\n")
        sys.stderr.write(f"{CANCELLED_MESSAGE}\n")
        raise SystemExit(CANCELLED) from None
    if collected is None:  # not listed, or outside England: what holds UK-wide has been shown
        return
    if isinstance(collected, EndedAfter999):  # the 999 advice is on screen: only the record asked for
        if output:
            finish(collected.selections, json_out, output, force, show=False)
        return
    finish(collected, json_out, output, force)


def finish(given: Selections, json_out: bool, output: str | None, force: bool, show: bool = True) -> None:
    from .engine import SelectionError, assess, resolve
    from .session import find_authority, load_data, moment

    data = load_data()
    name = given.authority or os.environ.get("TRIAGE_AUTHORITY")
    if not name:
        raise UserError("which authority? Pass --authority (an English council, town or district: Leeds, Corby; "
                        "or herts, notts, northants), --postcode with the child's home postcode, or set TRIAGE_AUTHORITY", USAGE)
    authority = find_authority(data, name)
    when = moment(given.at)
    check_complete(given, authority.id)
    try:
        resolve(authority, list(given.indicators), data.authorities)  # names another authority's ids as such
        outcome = assess(authority, given._replace(consent=_consent_answer(given)), when, data.have_ready)
    except SelectionError as error:  # an exception number the level's consent rule does not have
        raise UserError(str(error), USAGE) from None
    from . import signals
    from .output import outcome_json, to_json

    signals.check()  # a Ctrl-C just after the last answer may have been dropped on the way here

    # A Ctrl-C (or SIGTERM, SIGHUP) while the result is shown takes effect at the end of the
    # block: the record is then not kept, and triage exits 130 (143, 129) saying so. Raised
    # where it fell, it could land in Python's own clean-up and be lost, with a traceback.
    not_shown: OSError | None
    with signals.held():
        try:
            if show and json_out:
                sys.stdout.write(to_json(outcome_json(outcome)))
            elif show:
                from .views import console, outcome_view

                outcome_view(console(), outcome)
        except OSError as error:  # no reader (`| true`), a full disk: the record asked for is still wanted
            if not output or error.errno == errno.EIO:  # EIO: the terminal is gone, and the person with it
                raise
            not_shown = error
        else:
            not_shown = None
        if output:
            from .output import outcome_markdown
            from .screen import clean

            text = to_json(outcome_json(outcome)) if output.lower().endswith(".json") else outcome_markdown(outcome)
            if write_private(Path(output), text, force):
                sys.stderr.write(f"Record written to {clean(output, newlines=False)} ({record_privacy()}).\n")
        if not_shown is not None:
            raise not_shown  # cli.main reports it (quietly for a closed pipe)
    signals.done = True  # shown and written: the held block above raised any signal that came first


def check_complete(given: Selections, authority_id: str) -> None:
    """An assessment says what applies: an empty answer is never taken as "nothing applies"."""
    if given.nothing_applies and given.indicators:
        raise UserError("--nothing-applies contradicts --indicator: give one or the other", USAGE)
    from .engine import NATIONAL_DUTIES

    unknown = [d for d in given.duties if d not in NATIONAL_DUTIES]
    if unknown:
        raise UserError(f"unknown duty '{unknown[0]}': --duty takes {' or '.join(NATIONAL_DUTIES)} (a mental health "
                        "crisis and an allegation have --mental-health-crisis and --allegation)", USAGE)
    urgent = given.immediate_danger or given.mental_health_crisis or given.allegation or bool(given.duties)
    if not (given.indicators or given.nothing_applies or urgent):
        raise UserError("nothing to assess: tick what applies with --indicator ID (the ids: `triage lookup "
                        f"--authority {authority_id}`), or pass --nothing-applies if none of the indicators applies",
                        USAGE)


def _consent_answer(given: Selections) -> str | None:
    """Naming an exception that applies means consent was not sought or not given."""
    if not given.consent_exceptions:
        return given.consent
    if given.consent == "yes":
        raise UserError("--consent-exception is for when consent was not given: drop it, or say --consent no", USAGE)
    return "no"


def _consent(value: str | None, where: str = "--consent") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):  # never echo a structure: an alias bomb prints as gigabytes
        raise UserError(f"{where} takes yes or no", USAGE)
    answer = value.strip().lower()
    if answer in ("yes", "y", "true"):
        return "yes"
    if answer in ("no", "n", "false"):
        return "no"
    raise UserError(f"{where} takes yes or no, not '{value}'", USAGE)


def _merge(from_file: Selections, options: Selections) -> Selections:
    """Options given on the command line win over the answers file."""
    return Selections(
        authority=options.authority or from_file.authority,
        indicators=from_file.indicators + tuple(i for i in options.indicators if i not in from_file.indicators),
        immediate_danger=options.immediate_danger or from_file.immediate_danger,
        mental_health_crisis=options.mental_health_crisis or from_file.mental_health_crisis,
        allegation=options.allegation or from_file.allegation,
        nothing_applies=options.nothing_applies or from_file.nothing_applies,
        conditions_confirmed=options.conditions_confirmed or from_file.conditions_confirmed,
        consent=options.consent or from_file.consent,
        at=options.at or from_file.at,
        consent_exceptions=options.consent_exceptions or from_file.consent_exceptions,
        duties=from_file.duties + tuple(d for d in options.duties if d not in from_file.duties),
        thresholds_checked=options.thresholds_checked or from_file.thresholds_checked,
        fgm_told_or_seen=options.fgm_told_or_seen if options.fgm_told_or_seen is not None else from_file.fgm_told_or_seen,
        child_consent=options.child_consent or from_file.child_consent,
    )


def read_answers(path: str) -> Selections:
    """An answers file: YAML or JSON with the same fields as the options."""
    file = Path(path)
    try:
        readable = file.is_file()
    except OSError:  # a name too long for the system, say
        readable = False
    if not readable:
        raise UserError(f"--answers '{path}' is not a readable file", USAGE)
    from .data.reader import Refused, read_yaml  # bounded: a regular file, 2 MB, no aliases, little nesting

    try:
        raw = read_yaml(file)
    except Refused as refused:
        raise UserError(f"--answers {refused}", USAGE) from None
    if not isinstance(raw, dict):
        raise UserError(f"{path}: should be a mapping with keys {', '.join(sorted(ANSWER_KEYS))}", USAGE)
    if not all(isinstance(key, str) for key in raw):
        raise UserError(f"{path}: every key should be text, one of {', '.join(sorted(ANSWER_KEYS))}", USAGE)
    unknown = set(raw) - ANSWER_KEYS
    if unknown:
        raise UserError(f"{path}: unknown key '{sorted(unknown)[0]}' (known: {', '.join(sorted(ANSWER_KEYS))})", USAGE)
    indicators = _listed(raw, "indicators", (str,), f"{path}: 'indicators' should be a list of indicator ids")
    for flag in FLAGS:
        if not isinstance(raw.get(flag, False), bool):
            raise UserError(f"{path}: '{flag}' should be true or false", USAGE)
    for text_key in ("authority", "at"):
        if raw.get(text_key) is not None and not isinstance(raw[text_key], str):
            if text_key == "at" and hasattr(raw[text_key], "isoformat"):
                raw[text_key] = raw[text_key].isoformat()
            else:
                raise UserError(f"{path}: '{text_key}' should be text", USAGE)
    consent = raw.get("consent")
    if isinstance(consent, bool):
        consent = "yes" if consent else "no"
    exceptions = _listed(raw, "consent_exceptions", (str, int),
                         f"{path}: 'consent_exceptions' should be a list of exception numbers (1, 2, ...)")
    duties = _listed(raw, "duties", (str,), f"{path}: 'duties' should be a list of duty ids (fgm-police, prevent)")
    told = raw.get("fgm_told_or_seen")
    if told is not None and not isinstance(told, bool):
        raise UserError(f"{path}: 'fgm_told_or_seen' should be true or false", USAGE)
    child = raw.get("child_consent")
    if isinstance(child, bool):
        child = "yes" if child else "no"
    return Selections(authority=raw.get("authority"), indicators=tuple(indicators),
                      **{flag: raw.get(flag, False) for flag in FLAGS},
                      consent=_consent(consent, f"{path}: 'consent'"), at=raw.get("at"),
                      consent_exceptions=tuple(str(e) for e in exceptions), duties=tuple(duties),
                      fgm_told_or_seen=told, child_consent=_consent(child, f"{path}: 'child_consent'"))


def _listed(raw: dict, key: str, kinds: tuple, problem: str) -> list:
    """An answers-file value given as one item or a list of them (never true/false)."""
    value = raw.get(key) or []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, kinds) and not isinstance(item, bool) for item in items):
        raise UserError(problem, USAGE)
    return items


# ---------------------------------------------------------------------------------------
# The record file


def check_output_path(output: str, force: bool) -> None:
    """Refuse a bad --output before asking anything, so no answers are wasted."""
    if not output.strip():
        raise UserError("--output needs a file name, e.g. --output record.md", USAGE)
    target = Path(output)
    try:
        mode = target.stat().st_mode  # through a symbolic link: what would be written over
    except FileNotFoundError:
        mode = None
    except OSError as error:  # a name too long, a folder that cannot be entered
        raise UserError(f"--output '{output}': {error.strerror}", USAGE) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UserError(f"--output '{output}' is a folder: give a file name, e.g. {Path(output) / 'record.md'}", USAGE)
    if mode is not None and not stat.S_ISREG(mode):  # /dev/null, a pipe: never replaced, --force or not
        raise UserError(f"--output '{output}' exists and is not a regular file: choose a new file name", USAGE)
    if mode is not None and not force:
        raise UserError(f"--output '{output}' already exists: choose another name, or add --force to replace it", USAGE)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"--output '{output}': the folder '{folder}' does not exist", USAGE)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"--output '{output}': the folder '{folder}' is not writable", USAGE)


def write_private(target: Path, text: str, force: bool) -> bool:
    """Write readable by the owner only (where the system has owner-only files), all or
    nothing: never a partial file, never an overwrite without --force, and never a temporary
    file left behind, whatever stops triage. True when the record is in place: from then on it
    is kept, and the command is done (signals.done), so that a signal after it cannot say that
    nothing was saved.

    A signal before the link (or rename) saves nothing; one during the link undoes it. One
    during the rename of --force keeps the new record: undoing it would lose the old one too."""
    check_output_path(str(target), force)
    from . import signals

    folder = target.parent if str(target.parent) else Path(".")
    name = target.name

    def cannot(error: OSError) -> UserError:
        return UserError(f"cannot write --output '{target}': {error.strerror}", USAGE)

    with signals.held():  # Ctrl-C, SIGTERM or SIGHUP take effect after the block, with the files settled
        try:
            place = OpenFolder(folder) if OpenFolder.possible() else NamedFolder(folder)
        except OSError as error:
            raise cannot(error) from None
        temporary = None
        try:
            temporary, handle = place.new_private_file()
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            if signals.pending():  # stopped while writing: save nothing
                return False
            if force:
                place.replace(temporary, name)
            else:  # fails if the file appeared meanwhile: no overwrite
                place.link(temporary, name)
                if signals.pending():  # stopped during the link: undo it, save nothing
                    place.unlink(name)
                    return False
            signals.done = True  # in place, and kept: a signal from now on has nothing to stop
            return True
        except FileExistsError:
            raise UserError(f"--output '{target}' already exists: add --force to replace it", USAGE) from None
        except OSError as error:
            raise cannot(error) from None
        finally:
            try:
                if temporary is not None:
                    place.unlink(temporary)
            except FileNotFoundError:  # renamed into place
                pass
            place.close()


def record_privacy() -> str:
    """What the record file's permissions promise, as said when it is written."""
    if OpenFolder.possible():
        return "readable by you only"
    # Windows: a new file takes its folder's permissions (its access list), whatever mode is asked.
    return "it has its folder's permissions: keep it in a folder only you can open"


def _temporary_name() -> str:
    return f".triage-{os.urandom(6).hex()}.tmp"


CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class OpenFolder:
    """The record's folder, opened: every step names its file inside it, so a folder renamed
    or moved meanwhile still gets the record, and loses its temporary copy (by path, both would
    be missed). Needs O_DIRECTORY and dir_fd (POSIX)."""

    @staticmethod
    def possible() -> bool:
        # Where open takes dir_fd, so do link, rename (and replace) and unlink: the POSIX *at calls.
        return hasattr(os, "O_DIRECTORY") and os.open in os.supports_dir_fd

    def __init__(self, folder: Path):
        self.fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)

    def new_private_file(self) -> tuple[str, int]:
        """A new file readable by the owner only (0600): its name, and a handle."""
        while True:
            name = _temporary_name()
            try:
                return name, os.open(name, CREATE, 0o600, dir_fd=self.fd)
            except FileExistsError:
                continue

    def link(self, source: str, name: str) -> None:
        os.link(source, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def replace(self, source: str, name: str) -> None:
        os.replace(source, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        os.unlink(name, dir_fd=self.fd)

    def close(self) -> None:
        os.close(self.fd)


class NamedFolder:
    """The record's folder by its path, where a folder cannot be opened (Windows): the same
    steps, all or nothing, but a folder renamed while the record is written is not followed.
    (Only for Windows: there os.rename refuses to replace a file, so it can stand in for a
    hard link where the disk has none.)"""

    def __init__(self, folder: Path):
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder))
        self.folder = folder

    def new_private_file(self) -> tuple[str, int]:
        while True:
            name = _temporary_name()
            try:
                return name, os.open(self.folder / name, CREATE, 0o600)
            except FileExistsError:
                continue

    def link(self, source: str, name: str) -> None:
        try:
            os.link(self.folder / source, self.folder / name)
        except FileExistsError:
            raise
        except OSError:  # no hard links (FAT, exFAT, some shares): Windows' rename never overwrites either
            os.rename(self.folder / source, self.folder / name)

    def replace(self, source: str, name: str) -> None:
        os.replace(self.folder / source, self.folder / name)

    def unlink(self, name: str) -> None:
        os.unlink(self.folder / name)

    def close(self) -> None:
        pass
