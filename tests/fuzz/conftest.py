"""The fuzzers live in fuzz/ (shared with `fuzz/run.py`); the suite runs them with bounded example counts."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fuzz"))
