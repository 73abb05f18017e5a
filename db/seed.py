"""First run: fill an empty store with the rulesets shipped in the repository.

The shipped rules went through code review, so on an empty store they are
published directly (audited as `ruleset.seed`) to make `jurist.load("…#global")`
and the GUI useful at once; a seed that does not compile stays a draft, which
is why seeding needs a store opened with a compile check.
"""
from __future__ import annotations

from pathlib import Path

from jurist.db import rulesets as data
from jurist.db.errors import InvalidInput, PermissionDenied
from jurist.db.records import ImportResult
from jurist.db.service import Store


def seed_if_empty(store: Store, rulesets_dir: str | Path, name: str = "global",
                  jurisdictions: tuple[str, ...] = ()) -> ImportResult | None:
    """Import `rulesets_dir` as ruleset `name` if the store has no rulesets yet.

    Only an admin seeds (on a fresh store that is the first user).  Returns
    None when nothing was done: not an admin, the store already has rulesets,
    or the directory is missing or holds no `*.policy` files.  Raises
    CheckUnavailable, before writing anything, when the store has no compile check.
    """
    root = Path(rulesets_dir)
    actor = store._actor  # noqa: SLF001 — seeding is the store's own bootstrap
    me = store.whoami()
    if me is None or me.role != "admin" or store.list_rulesets():
        return None
    compiles = actor.sources_check("seeding the shipped rulesets")
    try:
        result = store.import_directory(root, name, jurisdictions)
    except (InvalidInput, PermissionDenied):
        return None
    if result.version is None or not compiles(store.get_sources(name, result.version.number).sources).ok:
        return result
    number = result.version.number
    with actor.write() as session:
        ruleset = data.get_ruleset(session, name, lock=True)
        assert ruleset is not None
        version = data.get_version(session, ruleset, number)
        assert version is not None
        if data.published_version(session, ruleset) is None and version.state == "draft":
            version.state = "published"
            version.submitted_at = version.published_at = data.now()
            session.flush()
            actor.audit(session, "ruleset.seed", f"ruleset:{name}@{number}",
                        {"hash": version.content_hash, "from": str(root.resolve()),
                         "note": "shipped ruleset published without review on first run"})
    return ImportResult(result.ruleset, store.get_version(name, number), result.cases_saved)
