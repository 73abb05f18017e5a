"""Re-scanning: run the detectors again, on the images a log names, for the decisions a backtest cannot settle.

A log keeps no images, only each image's SHA-256 (`decision_record`).  Given
a corpus (a folder of images, or a Parquet file with a `path` column, and
optionally a `sha256` one), the records that need a re-scan under either
ruleset (`replay.NEEDS_RESCAN`) and whose every image is in the corpus are
observed again with the real detectors: all labels of the images and the
logged prompt.  Their image and prompt observations are replaced by the fresh
ones (caller facts are kept), and the backtest then reads a copy of the log
with those records rewritten.  Each distinct image is looked at once
(`DetectionMemo`).  With Ray, the detectors run as Ray actors (each loads
the models once), records streamed through them by Ray Data.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from jurist.engine import Policy
from jurist.engine.detection_memo import DetectionMemo
from jurist.engine.vocabulary import SCHEMA

from .decision_logs import DecisionLog, LogError, records
from .replay import Replayer
from .rule_sources import NamedRules

_CONTEXT = frozenset(k for k, spec in SCHEMA.labels.items() if SCHEMA.detectors[spec.detector].input == "context")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff")


def corpus_index(spec: str) -> dict[str, str]:
    """SHA-256 → path of every image in a folder (recursively), or in a Parquet file's `path` column."""
    root = Path(spec)
    if root.is_dir():
        paths: Iterable[str] = (str(p) for p in sorted(root.rglob("*"))
                                if p.is_file() and p.suffix.lower() in _IMAGE_SUFFIXES)
        known: dict[str, str] = {}
    elif root.is_file() and root.suffix.lower() in (".parquet", ".parq"):
        import pyarrow.parquet as pq

        table = pq.read_table(str(root))
        if "path" not in table.column_names:
            raise LogError(f"{root}: an image corpus in Parquet needs a `path` column")
        paths = [str(p) for p in table.column("path").to_pylist() if p]
        known = ({h: p for h, p in zip(table.column("sha256").to_pylist(), table.column("path").to_pylist())
                  if h and p} if "sha256" in table.column_names else {})
    else:
        raise LogError(f"{spec}: an image corpus is a folder of images or a Parquet file with a `path` column")
    index = dict(known)
    for path in paths:
        if path in index.values():
            continue
        try:
            index[hashlib.sha256(Path(path).read_bytes()).hexdigest()] = path
        except OSError as exc:
            raise LogError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return index


class Rescanner:
    """Observes records again with the real detectors (loaded once), looking at each distinct image once."""

    def __init__(self, index: Mapping[str, str]):
        self.index = dict(index)
        self.policy = Policy.from_sources({"none.policy": "default allow\n"}, "<rescan>")
        self.memo = DetectionMemo()

    def rescan(self, raw: dict[str, Any]) -> dict[str, Any] | None:
        """The record with fresh image and prompt observations; None when an image is not in the corpus."""
        paths = []
        for image in raw.get("images") or ():
            path = self.index.get(str(image.get("sha256"))) if isinstance(image, dict) else None
            if path is None:
                return None
            paths.append(path)
        request = raw.get("request")
        prompt = request.get("prompt") if isinstance(request, dict) else None
        prompt = prompt if isinstance(prompt, str) else ""
        if not paths and not prompt:
            return None
        observed = self.policy.observe({"prompt": prompt, "images": paths} if prompt else {"images": paths},
                                       memo=self.memo)
        fresh = self.policy.decide(observed, exhaustive=True)
        obs = dict(fresh.observations)
        logged = (raw.get("observations") or {}).get("labels") or {}
        obs["labels"] = {**{k: v for k, v in logged.items() if k in _CONTEXT}, **obs.get("labels", {})}
        out = dict(raw)
        out["observations"] = obs
        out["decision"] = {**raw["decision"], "detectors_run": [r.to_json() for r in fresh.detectors_run]}
        out["rescanned"] = True
        return out


def needing_rescan(log: DecisionLog, baseline: NamedRules, candidate: NamedRules, since: str | None,
                   until: str | None) -> Iterator[tuple[bool, dict[str, Any]]]:
    """Every record of the log, with whether either ruleset needs it re-scanned."""
    replayer = Replayer(baseline.policy(), candidate.policy())
    for piece in log.pieces():
        for _, raw in records(piece, since, until):
            needs = raw.get("role") != "shadow" and replayer.replay(raw)[4].kind == "rescan"
            yield needs, dict(raw)


def rescan_log(log: DecisionLog, corpus: str, candidate: NamedRules, baseline: NamedRules, folder: Path, *,
               ray_address: str | None = None, jobs: int = 1, since: str | None = None,
               until: str | None = None) -> DecisionLog:
    """A copy of `log`, written in `folder` (the caller's, to remove once the log is read), whose records
    needing a re-scan were observed again."""
    index = corpus_index(corpus)
    kept, todo = folder / "kept.jsonl", folder / "todo.jsonl"
    with open(kept, "w", encoding="utf-8") as keep, open(todo, "w", encoding="utf-8") as pending:
        for needs, raw in needing_rescan(log, baseline, candidate, since, until):
            (pending if needs else keep).write(json.dumps(raw, ensure_ascii=False) + "\n")
    done = folder / "rescanned.jsonl"
    lines: Iterable[str]
    if ray_address:
        lines = _rescan_on_ray(todo, index, ray_address, jobs)
    else:
        rescanner = Rescanner(index)
        lines = (_rescanned_line(rescanner, line) for line in open(todo, encoding="utf-8"))
    with open(done, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line.rstrip("\n") + "\n")
    os.remove(todo)
    return DecisionLog.of_paths([kept, done])


def _rescanned_line(rescanner: Rescanner, line: str) -> str:
    raw = json.loads(line)
    fresh = rescanner.rescan(raw)
    return json.dumps(fresh if fresh is not None else raw, ensure_ascii=False)


class _RescanBatches:
    """A Ray Data actor holding the detectors (loaded once) and the corpus index."""

    def __init__(self, index: Mapping[str, str]):
        self.rescanner = Rescanner(index)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        lines = [_rescanned_line(self.rescanner, text) for text in batch.column("text").to_pylist() if text]
        return pa.table({"text": lines})


def _rescan_on_ray(todo: Path, index: Mapping[str, str], address: str, jobs: int) -> list[str]:
    import ray
    import ray.data

    if not ray.is_initialized():
        if address == "local":
            ray.init(num_cpus=max(jobs, 1), include_dashboard=False, log_to_driver=False, configure_logging=False)
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    if todo.stat().st_size == 0:
        return []
    ray.data.DataContext.get_current().enable_progress_bars = False
    available = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
    rows = (ray.data.read_text(str(todo))
            .map_batches(_RescanBatches, fn_constructor_args=(dict(index),), batch_format="pyarrow", batch_size=64,
                         compute=ray.data.ActorPoolStrategy(size=max(1, available)), num_cpus=0.5))
    return [row["text"] for row in rows.iter_rows()]
