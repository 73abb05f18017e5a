"""A store with a published ruleset and its cases, for the workbench's use cases."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from published_team import Team, published_team


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    t = published_team(tmp_path)
    yield t
    t.close()
