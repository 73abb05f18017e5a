"""The backtest on a Ray cluster: Ray Data streams the log through actors that hold the compiled rules.

Each actor compiles both rulesets once and replays batches of records into a
`Tally`, emitted as rows (`Tally.rows`); Ray groups the rows by key and adds
them up in the cluster, so the driver receives one small row per counted key,
never the log.  JSON Lines files (plain or gzip) are read with
`ray.data.read_text` and each line is parsed by the actor: a record's
`request` is whatever JSON a caller sent (a malformed one is logged too), which
`read_json`'s Arrow schema inference would coerce or refuse.  Parquet logs are
read with `ray.data.read_parquet` (their `record` column, see `decision_logs`).

On a small local Ray (`address="local"`), actors get half a CPU each: actors
holding every CPU would leave none to the read tasks, and the pipeline would
wait forever.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Iterator

from .backtest import BacktestReport, Tally, replay_piece, side_info
from .decision_logs import DecisionLog, LogError
from .replay import Replayer
from .rule_sources import NamedRules

BATCH_ROWS = 8192
ACTOR_CPUS = 0.5


@dataclass(frozen=True, slots=True)
class _Batch:
    """A batch of log lines as a piece of a log (`decision_logs.Piece`)."""

    lines: list[Any]
    paths: list[Any] | None

    def texts(self) -> Iterator[tuple[int, str | bytes]]:
        for i, text in enumerate(self.lines):
            if text is not None and text.strip():
                yield i, text

    def locate(self, position: int) -> str:
        where = self.paths[position] if self.paths is not None else "the log"
        text = str(self.lines[position])
        return f"{where}: the line starting `{text[:60]}`"


class _ReplayBatches:
    """A Ray Data actor: both rulesets compiled once, then batch after batch replayed into tally rows."""

    def __init__(self, baseline: NamedRules, candidate: NamedRules, since: str | None, until: str | None):
        self.replayer = Replayer(baseline.policy(), candidate.policy())
        self.since, self.until = since, until

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        paths = batch.column("path").to_pylist() if "path" in batch.column_names else None
        tally = replay_piece(_Batch(batch.column("text").to_pylist(), paths), self.replayer, self.since, self.until)
        return pa.Table.from_pylist(tally.rows(), schema=_ROW_SCHEMA())


def _merge_rows(group: Any) -> Any:
    """Rows added up by key (runs in the cluster)."""
    import pyarrow as pa

    merged = Tally.from_rows(group.to_pylist())
    return pa.Table.from_pylist(merged.rows(), schema=_ROW_SCHEMA())


def _ROW_SCHEMA() -> Any:
    import pyarrow as pa

    return pa.schema([("key", pa.string()), ("count", pa.int64()), ("samples", pa.list_(pa.string()))])


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
        import ray.data
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
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    available = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
    pool = actors or max(1, available if local else available - 1)
    parts = []
    if log.json_files:
        parts.append(ray.data.read_text([str(p) for p in log.json_files], include_paths=True))
    if log.parquet_files:
        parts.append(ray.data.read_parquet([str(p) for p in log.parquet_files], columns=["record"])
                     .rename_columns({"record": "text"}))
    dataset = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])
    # Each actor's rows, then one task in the cluster adding them up: the rows are few (one per counted key
    # and batch), so this is cheaper than a hash shuffle by key, and the driver gets only the sum.
    rows = (dataset.map_batches(_ReplayBatches, fn_constructor_args=(baseline, candidate, since, until),
                                batch_format="pyarrow", batch_size=BATCH_ROWS,
                                compute=ray.data.ActorPoolStrategy(size=pool), num_cpus=ACTOR_CPUS if local else 1)
            .repartition(1).map_batches(_merge_rows, batch_format="pyarrow", batch_size=None))
    try:
        merged = Tally.from_rows(rows.take_all())
    except Exception as exc:  # Ray wraps what an actor raised; a bad record reads as itself
        cause = getattr(exc, "cause", None) or exc.__cause__
        if isinstance(cause, LogError):
            raise LogError(str(cause)) from None
        raise
    return BacktestReport(base_info, cand_info, tuple(log.describe()), merged,
                          {"workers": f"Ray ({address}, {pool} actors)",
                           "seconds": round(time.perf_counter() - started, 3)})
