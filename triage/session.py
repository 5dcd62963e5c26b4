"""What every command needs: the data, the authority asked for, and the moment."""
from __future__ import annotations

import difflib
import os
from datetime import datetime

from .errors import DATA, USAGE, UserError
from .model import Authority, DataSet


def load_data() -> DataSet:
    from .dataset import load
    from .errors import DataError

    try:
        return load()
    except DataError as error:
        first = error.problems[0]
        more = len(error.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''}: run `triage validate` for all)" if more else \
            " (run `triage validate` to check the data tree)"
        raise UserError(f"the data is broken: {first}{tail}", DATA) from None


def find_authority(data: DataSet, name: str) -> Authority:
    wanted = name.strip().lower()
    for authority in data.authorities.values():
        if wanted == authority.id or wanted in authority.aliases:
            return authority
    names = sorted(data.authorities)
    every = sorted({*names, *(a for x in data.authorities.values() for a in x.aliases)})
    close = difflib.get_close_matches(wanted, every, n=1, cutoff=0.5)
    hint = ""
    if close:
        owner = next(a.id for a in data.authorities.values() if close[0] == a.id or close[0] in a.aliases)
        hint = f" did you mean '{owner}'?"
    raise UserError(f"unknown authority '{name}':{hint} Known: {', '.join(names)}", USAGE)


def chosen_authorities(data: DataSet, name: str | None) -> list[Authority]:
    """The authority named (by option or TRIAGE_AUTHORITY), else every authority."""
    name = name or os.environ.get("TRIAGE_AUTHORITY") or None
    if name:
        return [find_authority(data, name)]
    return list(data.authorities.values())


def moment(at: str | None) -> datetime:
    from .clock import now, parse_at

    if at is None:
        return now()
    try:
        return parse_at(at)
    except ValueError as error:
        raise UserError(f"bad --at: {error}", USAGE) from None
