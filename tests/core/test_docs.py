"""The policy examples in the README and the language guide compile as written."""
from __future__ import annotations

from pathlib import Path

import pytest

import jurist

ROOT = Path(__file__).resolve().parents[2]


def policy_blocks(path: Path) -> list[str]:
    """Fenced blocks without a language tag that start like policy text."""
    blocks, current, tag = [], None, ""
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, tag = [], line[3:].strip()
            else:
                if not tag:
                    blocks.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    starts = ("set ", "deny", "allow", "review", "rule ", "#", "default", "jurisdiction", "threshold")
    return [b for b in blocks if b.lstrip().startswith(starts) and "error:" not in b
            and not b.lstrip().startswith("[rule NAME:]")]


@pytest.mark.parametrize("doc", ["README.md", "docs/language.md"])
def test_policy_examples_compile_without_errors(doc):
    blocks = policy_blocks(ROOT / doc)
    assert blocks, f"no policy example found in {doc}"
    for block in blocks:
        result = jurist.compile_sources({"example.policy": block})
        assert result.ok, result.render()
