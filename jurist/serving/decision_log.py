"""The decision log: every answered decision written to pluggable sinks, off the latency path.

A request's handler only puts (decision, request, role) on a bounded queue
(about a microsecond); one thread per worker builds the records (digesting
images, `jurist.engine.decision_record`) and hands them to each sink in
batches.  Sinks:

* `JsonLinesSink`: a folder of JSON Lines files, one per worker process,
  rotated past a size and then gzip-compressed;
* `StoreSink`: the store's `decision_records` table (SQLite or PostgreSQL).

A failing sink (a full disk, a dead database) costs records, never a
decision: the failure is counted (`jurist_decision_log_records_total{outcome=
"failed"}`) and logged, at most once a minute per sink, and the server keeps
answering exactly as before.  A full queue is counted as `dropped` the same
way.  `close()` (the server's shutdown) drains the queue into the sinks, so a
clean shutdown loses nothing.
"""
from __future__ import annotations

import datetime as dt
import gzip
import logging
import os
import queue
import shutil
import threading
import time
from pathlib import Path
from typing import Protocol, Sequence

from jurist.engine import Decision, Request
from jurist.engine.decision_record import DecisionRecord
from jurist.engine.image_digest import image_digest

from .metrics import Metrics

logger = logging.getLogger("jurist.serving")
_STOP = object()
_BATCH = 500
_WARN_EVERY = 60.0


class Sink(Protocol):
    name: str

    def write(self, records: Sequence[DecisionRecord]) -> None: ...

    def close(self) -> None: ...


class JsonLinesSink:
    """Records appended to `<folder>/decisions-<start UTC>-<pid>.jsonl`, gzipped once over `rotate_bytes`."""

    name = "jsonl"

    def __init__(self, folder: str | os.PathLike[str], rotate_bytes: int = 64 * 1024 * 1024):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rotate_bytes = rotate_bytes
        self._file: Path | None = None
        self._handle: object = None

    def _open(self) -> Path:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        self._file = self.folder / f"decisions-{stamp}-{os.getpid()}.jsonl"
        return self._file

    def write(self, records: Sequence[DecisionRecord]) -> None:
        pending: list[bytes] = []
        size = self._size()
        for record in records:
            line = (record.dumps() + "\n").encode("utf-8")
            pending.append(line)
            size += len(line)
            if size >= self.rotate_bytes:
                self._append(pending)
                self.rotate()
                pending, size = [], 0
        if pending:
            self._append(pending)

    def _size(self) -> int:
        try:
            return self._file.stat().st_size if self._file is not None else 0
        except FileNotFoundError:
            return 0

    def _append(self, lines: list[bytes]) -> None:
        path = self._file or self._open()
        with open(path, "ab") as handle:  # opened per batch: a file removed under us is made again
            handle.write(b"".join(lines))

    def rotate(self) -> None:
        """Compress the current file to `.jsonl.gz` and start a new one with the next batch."""
        path, self._file = self._file, None
        if path is None or not path.exists():
            return
        with open(path, "rb") as source, gzip.open(f"{path}.gz.part", "wb") as target:
            shutil.copyfileobj(source, target)
        os.replace(f"{path}.gz.part", f"{path}.gz")
        path.unlink()

    def close(self) -> None:
        self._file = None  # the last file stays uncompressed: it is complete and readable as is


class StoreSink:
    """Records inserted into the store's `decision_records` table, one transaction per batch."""

    name = "store"

    def __init__(self, store: object):
        from jurist.db.serving import ServingStore

        assert isinstance(store, ServingStore)
        self.store = store

    def write(self, records: Sequence[DecisionRecord]) -> None:
        self.store.append_records(records)

    def close(self) -> None:
        pass


Entry = tuple[Decision, Request | None, str, str | None]  # decision, request, role, shadow_of


class DecisionLog:
    """The queue and the thread between the handlers and the sinks."""

    def __init__(self, sinks: Sequence[Sink], metrics: Metrics, capacity: int = 100_000):
        self.sinks = tuple(sinks)
        self.metrics = metrics
        self._queue: queue.Queue[object] = queue.Queue(maxsize=capacity)
        self._last_warning: dict[str, float] = {}
        self._thread = threading.Thread(target=self._run, name="jurist-decision-log", daemon=True)
        self._closed = False
        if self.sinks:
            self._thread.start()

    @property
    def enabled(self) -> bool:
        return bool(self.sinks)

    def put(self, decision: Decision, request: Request | None, role: str = "served",
            shadow_of: str | None = None) -> None:
        """Queue a decision for the sinks; never blocks, never raises."""
        if not self.sinks or self._closed:
            return
        try:
            self._queue.put_nowait((decision, request, role, shadow_of))
        except queue.Full:
            for sink in self.sinks:
                self.metrics.log_records.labels(sink.name, "dropped").inc()
            self._warn("queue", "the decision log's queue is full; records are being dropped (is a sink stuck?)")

    def close(self, timeout: float = 60.0) -> None:
        """Write every queued record, then close the sinks (the server's clean shutdown)."""
        if not self.sinks or self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)
        for sink in self.sinks:
            try:
                sink.close()
            except Exception as exc:  # noqa: BLE001 - shutting down; say so and go on
                logger.error("decision log sink %s failed to close: %s", sink.name, exc)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch: list[Entry] = []
            item = self._queue.get()
            while True:
                if item is _STOP:
                    stopping = True
                else:
                    batch.append(item)  # type: ignore[arg-type]
                if len(batch) >= _BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write(batch)

    def _write(self, batch: list[Entry]) -> None:
        records = []
        for decision, request, role, shadow_of in batch:
            try:
                images = tuple(image_digest(i) for i in request.images) if request is not None else ()
                records.append(DecisionRecord.of(decision, request.to_json() if request is not None else None,
                                                 role, images, shadow_of))
            except Exception as exc:  # noqa: BLE001 - one bad record must not stop the log
                for sink in self.sinks:
                    self.metrics.log_records.labels(sink.name, "failed").inc()
                self._warn("record", f"a decision record could not be built: {exc}")
        for sink in self.sinks:
            try:
                sink.write(records)
            except Exception as exc:  # noqa: BLE001 - a full disk or a dead database: count, say, go on
                self.metrics.log_records.labels(sink.name, "failed").inc(len(records))
                self._warn(sink.name, f"decision log sink `{sink.name}` failed; {len(records)} record(s) lost: "
                                      f"{type(exc).__name__}: {exc}")
            else:
                self.metrics.log_records.labels(sink.name, "written").inc(len(records))

    def _warn(self, key: str, message: str) -> None:
        now = time.monotonic()
        if now - self._last_warning.get(key, -_WARN_EVERY) >= _WARN_EVERY:
            self._last_warning[key] = now
            logger.error(message)
