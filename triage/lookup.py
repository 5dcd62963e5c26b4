"""`triage lookup`: the indicators of a domain, the list of domains, or a search."""
from __future__ import annotations

import sys

from .errors import USAGE, UserError
from .model import Authority, Domain, Indicator
from .session import chosen_authorities, close_ids, load_data


def find_domain(authority: Authority, name: str) -> Domain:
    """A domain by id, name or unambiguous prefix of either, case-insensitively."""
    wanted = name.strip().lower()
    exact = [d for d in authority.domains if wanted in (d.id, d.name.lower())]
    if exact:
        return exact[0]
    prefixed = [d for d in authority.domains if d.id.startswith(wanted) or d.name.lower().startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        matches = ", ".join(f"'{d.id}'" for d in prefixed)
        raise UserError(f"'{name}' matches several {authority.name} domains: {matches}; say which", USAGE)
    names = {n: d.id for d in authority.domains for n in (d.id, d.name.lower())}
    ids = close_ids(wanted, names, 3)
    hint = f" Did you mean {', '.join(repr(i) for i in ids)}?" if ids else ""
    known = ", ".join(d.id for d in authority.domains)
    raise UserError(f"unknown domain '{name}' for {authority.name}.{hint} Known: {known}", USAGE)


def _which_authority(authorities: list[Authority], domain: str) -> str:
    """A domain belongs to one authority's guidance: say which have it, and how to choose."""
    having = []
    for authority in authorities:
        try:
            having.append((authority, find_domain(authority, domain)))
        except UserError:
            continue
    if not having:
        return (f"no authority has a domain '{domain}': see the domains with `triage lookup --authority ID` "
                f"({', '.join(a.id for a in authorities)})")
    names = " and ".join(f"{a.name} (--authority {a.id})" for a, _ in having)
    return f"which authority? '{domain}' is a domain of {names}: add --authority"


def matches(indicator: Indicator, level: int | None, search: str | None) -> bool:
    if level is not None and indicator.level != level:
        return False
    # Indicator text is already one line with single spaces (the loader joins it).
    if search and " ".join(search.split()).casefold() not in indicator.text.casefold():
        return False
    return True


def run_lookup(domain: str | None, authority: str | None, level: int | None, search: str | None, json_out: bool) -> None:
    data = load_data()
    authorities = chosen_authorities(data, authority)
    if search is not None and not search.strip():
        raise UserError("--search needs some text to look for", USAGE)
    if domain and len(authorities) > 1:
        raise UserError(_which_authority(authorities, domain), USAGE)
    selections: list[tuple[Authority, Domain | None, list[Indicator]]] = []
    for chosen in authorities:
        found = find_domain(chosen, domain) if domain else None
        pool = found.indicators if found else chosen.indicators
        selections.append((chosen, found, [i for i in pool if matches(i, level, search)]))

    if json_out:
        from .output import indicator_json, to_json

        items = [indicator_json(i) for _, _, hits in selections for i in hits]
        sys.stdout.write(to_json(items))
        return

    from . import views

    out = views.console()
    for chosen, found, hits in selections:
        if search:
            views.search_view(out, chosen, search, hits)
        elif found:
            views.domain_view(out, chosen, found, hits)
        elif level is not None:
            views.level_view(out, chosen, level, hits)
        else:
            views.domain_list(out, chosen)
