"""Which compiled rules a worker decides with, and how it follows the store to newer ones.

`Served` is an immutable snapshot: the policy and where it came from.  A
handler reads `Following.current` once per request and decides the whole
request (a batch, all of it) with that snapshot, so a swap never mixes
versions inside one answer, and the swap itself is one reference assignment:
no request waits for it and none fails because of it.

For a store target (`sqlite:///…#global`, `postgresql+psycopg://…#global`) a
thread in each worker checks the published version's number and hash every
`reload_interval` seconds, and at once when PostgreSQL notifies a change
(`LISTEN jurist_versions`).  A new version is loaded through the same checks
as `jurist.load` (its sources against their hash, the hash against the audit
log's approval and publication) and compiled before it replaces the old one;
one that fails any of them is refused, logged and counted, and the old one
stays.  When the served version is retired with no successor, the worker keeps
serving it, and `/ready` and `jurist_policy_retired` say so.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from jurist.engine import Policy

if TYPE_CHECKING:
    from jurist.db.loader import VersionToServe
    from jurist.db.serving import ServingStore

logger = logging.getLogger("jurist.serving")


@dataclass(frozen=True, slots=True)
class Served:
    """A policy and its provenance: `number` is the store version (None for a path); `retired` means
    the store retired it and published nothing since, and it is still being served."""

    policy: Policy
    number: int | None = None
    retired: bool = False

    @property
    def label(self) -> str:
        return self.policy.version.name

    def describe(self) -> dict[str, object]:
        out: dict[str, object] = {**self.policy.version.to_json(), "rules": len(self.policy.ruleset.rules),
                                  "state": "retired" if self.retired else
                                  "published" if self.number is not None else "from files"}
        if self.retired:
            out["warning"] = (f"{self.label} was retired in the store and no version is published; "
                              "this server keeps serving it")
        return out


def compiled(version: VersionToServe) -> Policy:
    return Policy.from_sources(version.sources, version.origin, name=version.label)


def load_path(path: str) -> Served:
    return Served(Policy.from_path(path))


def split_version(text: str) -> tuple[str, int] | None:
    """`global@v3` → (`global`, 3); None when `text` is not NAME@vN."""
    name, sep, number = text.rpartition("@v")
    if sep and name and number.isdigit() and int(number) > 0:
        return name, int(number)
    return None


class Following:
    """The worker's current `Served`, and the thread that swaps it when the store publishes anew."""

    def __init__(self, initial: Served, store: ServingStore | None = None, ruleset: str | None = None,
                 interval: float = 2.0, on_change: Callable[[Served], None] | None = None,
                 on_tick: Callable[[], None] | None = None, on_reload: Callable[[str], None] | None = None):
        self.current = initial
        self._store = store
        self._ruleset = ruleset
        self._interval = interval
        self._on_change = on_change or (lambda served: None)
        self._on_tick = on_tick or (lambda: None)
        self._on_reload = on_reload or (lambda outcome: None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start following (and ticking, for the token refresh): a daemon thread, stopped by `stop`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="jurist-follow-store", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            store = self._store
            if store is not None and store.is_postgresql:
                store.wait_for_change(self._interval)  # returns at once on a NOTIFY
            elif self._stop.wait(self._interval):
                return
            if self._stop.is_set():
                return
            self._on_tick()
            if store is not None and self._ruleset is not None:
                self.check(store, self._ruleset)

    def check(self, store: ServingStore, ruleset: str) -> None:
        """Compare the store's published version with the served one; swap, or note a retirement."""
        from jurist.db.errors import StoreError

        current = self.current
        try:
            head = store.published_head(ruleset)
        except Exception as exc:  # noqa: BLE001 - a dead database: keep serving, count, say
            self._on_reload("failed")
            logger.error("could not check the store for a new version of %s: %s", ruleset, exc)
            return
        if head.number is None:
            if not current.retired and current.number is not None:
                state = store.version_state(ruleset, current.number)
                if state != "published":
                    self._swap(replace(current, retired=True))
                    logger.warning("%s was %s and nothing is published; still serving it", current.label,
                                   state or "deleted")
            return
        if head.number == current.number and head.content_hash == current.policy.version.sources_hash:
            if current.retired:
                self._swap(replace(current, retired=False))
            return
        try:
            version = store.published(ruleset)
            fresh = Served(compiled(version), version.number)
        except StoreError as exc:
            self._on_reload("refused")
            logger.error("not serving the newly published %s@v%s: %s", ruleset, head.number, exc)
            return
        except Exception as exc:  # noqa: BLE001 - compile errors and the like: keep the old rules
            self._on_reload("refused")
            logger.error("not serving the newly published %s@v%s: %s: %s", ruleset, head.number,
                         type(exc).__name__, exc)
            return
        self._swap(fresh)
        self._on_reload("swapped")
        logger.info("now serving %s (was %s)", fresh.policy.version, current.policy.version)

    def _swap(self, served: Served) -> None:
        self.current = served
        self._on_change(served)
