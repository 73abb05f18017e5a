"""The backtest on a Ray cluster: actors that hold the compiled rules replay the log's pieces where they run.

The log is cut into the pieces `--jobs` uses (byte ranges of a JSON Lines
file, a compressed file whole, a Parquet row group; `DecisionLog.pieces`), and
each piece is sent, as a path and a range, to the next free actor in a pool.
The actor reads its piece itself, replays it with the two rulesets it compiled
once, and sends back only the piece's `Tally` (a few rows per counted key);
the driver adds them up.  So the log never travels through Ray's object store:
streaming 1.5 GB of lines through it (Ray Data's `read_text`, as this module
first did) made a local Ray 2.5 times slower than two processes.  Every node
must therefore reach the log's files at the same path (a shared filesystem or
a mounted bucket), as any Ray read of a local path needs.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any

from .backtest import BacktestReport, Tally, replay_piece, side_info
from .decision_logs import DecisionLog, LogError, Piece
from .replay import Replayer
from .rule_sources import NamedRules


class _ReplayPieces:
    """A Ray actor: both rulesets compiled once, then piece after piece replayed into a tally."""

    def __init__(self, baseline: NamedRules, candidate: NamedRules, since: str | None, until: str | None):
        self.replayer = Replayer(baseline.policy(), candidate.policy())
        self.since, self.until = since, until

    def replay(self, piece: Piece) -> tuple[Tally, int]:
        before = self.replayer.decided
        tally = replay_piece(piece, self.replayer, self.since, self.until)
        return tally, self.replayer.decided - before


def run_backtest_ray(log: DecisionLog, baseline: NamedRules, candidate: NamedRules, address: str, *,
                     cpus: int | None = None, since: str | None = None, until: str | None = None,
                     actors: int | None = None) -> BacktestReport:
    """The backtest on the Ray cluster at `address` (`auto`, `ray://host:port`), or a local one (`local`,
    with `cpus` CPUs).  Needs `pip install 'jurist[backtest]'`."""
    if log.store_window is not None:
        raise LogError("--ray reads decision log files (JSON Lines or Parquet); the store's table is read "
                       "without --ray")
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise LogError("--ray needs Ray: pip install 'jurist[backtest]'") from None
    started = time.perf_counter()
    base_info, cand_info = side_info(baseline), side_info(candidate)
    local = address == "local"
    if not ray.is_initialized():
        os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
        if local:
            ray.init(num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    logging.getLogger("ray").setLevel(logging.WARNING)
    available = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]
    size = actors or available
    pieces = log.pieces(size)
    replayer = ray.remote(num_cpus=1)(_ReplayPieces)
    pool = ActorPool([replayer.remote(baseline, candidate, since, until)
                      for _ in range(min(size, max(1, len(pieces))))])
    tally, decided = Tally(), 0
    try:
        for part, fresh in pool.map_unordered(lambda actor, piece: actor.replay.remote(piece), pieces):
            tally.merge(part)
            decided += fresh
    except Exception as exc:  # Ray wraps what an actor raised; a bad record reads as itself
        cause: Any = getattr(exc, "cause", None) or exc.__cause__
        if isinstance(cause, LogError):
            raise LogError(str(cause)) from None
        raise
    return BacktestReport(base_info, cand_info, tuple(log.describe()), tally,
                          {"workers": f"Ray ({address}, {size} actors)",
                           "seconds": round(time.perf_counter() - started, 3), "decided": decided})
