"""Run the keystroke fuzz of `triage assess` (tests/test_keys_fuzz.py) with more sequences.

    python bench/keys_fuzz.py [COUNT] [SEED]

COUNT defaults to 500; SEED to a fresh one (printed, so a failure can be replayed).
"""
import os
import subprocess
import sys
import time
from pathlib import Path

count = sys.argv[1] if len(sys.argv) > 1 else "500"
seed = sys.argv[2] if len(sys.argv) > 2 else str(time.time_ns() % 2**32)
print(f"{count} sequences, TRIAGE_KEY_FUZZ_SEED={seed}")
root = Path(__file__).resolve().parent.parent
env = {**os.environ, "TRIAGE_KEY_FUZZ": count, "TRIAGE_KEY_FUZZ_SEED": seed}
sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(root / "tests" / "test_keys_fuzz.py")], env=env, cwd=root))
