"""Wheel build hook: validate the data tree and ship the model built from it.

Parsing YAML costs as much as starting Python; with the compiled copy
(triage/data/compiled.pickle), even the first run after installing answers without parsing.
England's bank holidays for the years around the build are precomputed beside it
(triage/data/bank-holidays.pickle), for the same reason. Each copy is used only while its key
still matches: the hash of every data file, or the installed `holidays` release (see
triage/cache.py).
"""
import datetime
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileData(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        folder = Path(tempfile.mkdtemp())
        sys.path.insert(0, str(root))
        try:
            from triage import cache
            from triage.clock import PACKAGED_HOLIDAYS, compute_bank_holidays, holidays_stamp
            from triage.dataset import COMPILED, compile_tree
            from triage.errors import DataError

            try:
                key, dataset = compile_tree(root / "data")
            except DataError as error:
                raise SystemExit(f"the data tree has problems:\n{error}") from None
            this_year = datetime.date.today().year
            bank_holidays = {year: compute_bank_holidays(year) for year in range(this_year - 2, this_year + 11)}
            cache.store(folder / COMPILED, key, dataset)
            holidays_file = Path(PACKAGED_HOLIDAYS).name
            cache.store(folder / holidays_file, holidays_stamp(), bank_holidays)
        finally:
            sys.path.remove(str(root))
        for name in (COMPILED, holidays_file):
            build_data["force_include"][str(folder / name)] = f"triage/data/{name}"
