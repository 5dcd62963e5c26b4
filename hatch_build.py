"""Wheel build hook: validate the data tree and ship it pre-parsed as triage/data/compiled.json.

Parsing YAML costs as much as starting Python; with the compiled copy, even the first run
after installing answers without parsing. England's bank holidays for the years around the
build are precomputed beside it (triage/data/bank-holidays.json), for the same reason. The copy is used only while the hash of every
data file still matches (see triage/dataset.py).
"""
import datetime
import json
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileData(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from triage.dataset import compile_tree
            from triage.loader import DataError

            try:
                compiled = compile_tree(root / "data")
            except DataError as error:
                raise SystemExit(f"the data tree has problems:\n{error}") from None
            from triage.clock import compute_bank_holidays, holidays_stamp

            this_year = datetime.date.today().year
            bank_holidays = {"stamp": holidays_stamp(),
                             "years": {str(y): compute_bank_holidays(y) for y in range(this_year - 2, this_year + 11)}}
        finally:
            sys.path.remove(str(root))
        folder = Path(tempfile.mkdtemp())
        for name, value in (("compiled.json", compiled), ("bank-holidays.json", bank_holidays)):
            (folder / name).write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            build_data["force_include"][str(folder / name)] = f"triage/data/{name}"
