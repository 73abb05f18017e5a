"""Decision logs as backtests and transparency reports read them: streamed, in pieces, from where they are kept.

A log is JSON Lines files (plain or gzip-compressed, a file or a folder of
them, as `jurist serve` writes them), Parquet files, or the store's
`decision_records` table.  Each is read one record at a time, never whole, so
memory does not grow with the log.  A Parquet log has a `record` column
holding each record's JSON, as the store's table does (its other columns, if
any, are ignored): the record's `request` is whatever JSON the caller sent,
which no fixed Parquet schema can hold, so the record stays JSON inside it.
`write_parquet` writes one.

`DecisionLog.pieces(n)` splits a log for `n` workers: a plain file into byte
ranges (each worker reads its own range; nothing passes between processes
but the totals), a compressed file whole, a Parquet file by row group.  Every
piece can say where a bad record is (`locate`): the file and line, or row.
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Protocol, Sequence, cast

from jurist.engine.decision_record import RECORD_FORMAT

if TYPE_CHECKING:
    from jurist.db.service import Store

_JSONL = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")
_PARQUET = (".parquet", ".parq")
MIN_RANGE = 1 << 20          # bytes: smaller ranges cost more to start than they save
PIECES_PER_WORKER = 8        # so a slow piece does not leave the other workers idle at the end


class LogError(ValueError):
    """A log that cannot be read, or a line of it that is not a decision record: the message says where."""


class Piece(Protocol):
    """Part of a log that one worker reads: `texts` yields (position, record JSON) and `locate` names a position."""

    def texts(self) -> Iterator[tuple[int, str | bytes]]: ...

    def locate(self, position: int) -> str: ...


@dataclass(frozen=True, slots=True)
class LineRange:
    """The lines of a plain JSON Lines file that start in bytes [start, end)."""

    path: str
    start: int
    end: int

    def texts(self) -> Iterator[tuple[int, bytes]]:
        with open(self.path, "rb") as handle:
            position = self.start
            if position > 0:
                handle.seek(position - 1)
                if handle.read(1) != b"\n":  # mid-line: that line belongs to the range before
                    position += len(handle.readline())
            end = self.end
            while position < end:
                line = handle.readline()
                if not line:
                    return
                if line.strip():
                    yield position, line
                position += len(line)

    def locate(self, position: int) -> str:
        with open(self.path, "rb") as handle:
            line = handle.read(position).count(b"\n") + 1
        return f"{self.path}:{line}"


@dataclass(frozen=True, slots=True)
class CompressedFile:
    """A gzip-compressed JSON Lines file, read whole by one worker (gzip cannot be entered mid-stream)."""

    path: str

    def texts(self) -> Iterator[tuple[int, bytes]]:
        try:
            with gzip.open(self.path, "rb") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        yield number, line
        except (OSError, EOFError) as exc:  # a truncated or corrupt stream
            raise LogError(f"{self.path}: cannot be decompressed ({exc})") from None

    def locate(self, position: int) -> str:
        return f"{self.path}:{position}"


@dataclass(frozen=True, slots=True)
class ParquetGroup:
    """One row group of a Parquet log."""

    path: str
    group: int

    def texts(self) -> Iterator[tuple[int, str]]:
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(self.path)
        first = sum(parquet.metadata.row_group(g).num_rows for g in range(self.group))
        column = parquet.read_row_group(self.group, columns=["record"]).column("record")
        for offset, text in enumerate(column.to_pylist()):
            if text is None:
                raise LogError(f"{self.locate(first + offset)}: the `record` column is empty")
            yield first + offset, text

    def locate(self, position: int) -> str:
        return f"{self.path}, row {position + 1}"


@dataclass(frozen=True, slots=True)
class StoreWindow:
    """The store's logged decisions: the newest `newest`, or those decided in [since, until)."""

    store: "Store"
    since: str | None = None
    until: str | None = None
    newest: int | None = None

    def texts(self) -> Iterator[tuple[int, str]]:
        for number, text in enumerate(self.store.decision_record_texts(
                since=self.since, until=self.until, newest=self.newest), 1):
            yield number, text

    def locate(self, position: int) -> str:
        return f"{self.store.url}: decision record {position} of the window read"


@dataclass(frozen=True, slots=True)
class DecisionLog:
    """A log named on the command line: its files (JSON Lines and Parquet), or a window of a store's table."""

    files: tuple[Path, ...] = ()
    store_window: StoreWindow | None = None

    @classmethod
    def of_paths(cls, paths: Iterable[str | os.PathLike[str]]) -> "DecisionLog":
        """Files and folders of logs; a folder's `*.jsonl`, `*.jsonl.gz` and `*.parquet` files, by name."""
        found: list[Path] = []
        for given in paths:
            path = Path(given)
            if path.is_dir():
                inside = sorted(p for p in path.iterdir() if p.is_file() and _kind(p) is not None)
                if not inside:
                    raise LogError(f"{path}: no decision logs here (*.jsonl, *.jsonl.gz, *.parquet)")
                found.extend(inside)
            elif path.is_file():
                found.append(path)
            else:
                raise LogError(f"{path}: no such file or directory")
        if not found:
            raise LogError("no decision log given")
        return cls(tuple(found))

    @classmethod
    def of_store(cls, store: "Store", *, since: str | None = None, until: str | None = None,
                 newest: int | None = None) -> "DecisionLog":
        return cls(store_window=StoreWindow(store, since, until, newest))

    def describe(self) -> list[str]:
        if self.store_window is not None:
            window = self.store_window
            parts = [f"the decision records of {window.store.url}"]
            if window.newest is not None:
                parts.append(f"the newest {window.newest:,}")
            if window.since or window.until:
                parts.append(f"decided from {window.since or 'the start'} until {window.until or 'now'}")
            return [", ".join(parts)]
        return [str(p) for p in self.files]

    @property
    def json_files(self) -> tuple[Path, ...]:
        return tuple(p for p in self.files if _kind(p) != "parquet")

    @property
    def parquet_files(self) -> tuple[Path, ...]:
        return tuple(p for p in self.files if _kind(p) == "parquet")

    def pieces(self, workers: int = 1) -> list[Piece]:
        """The log in pieces for `workers` processes (one piece per file when reading alone)."""
        if self.store_window is not None:
            return [self.store_window]
        out: list[Piece] = []
        total = sum(p.stat().st_size for p in self.files if _kind(p) == "lines")
        size = max(MIN_RANGE, total // max(1, workers * PIECES_PER_WORKER)) if workers > 1 else 0
        for path in self.files:
            kind = _kind(path)
            if kind == "parquet":
                out.extend(ParquetGroup(str(path), g) for g in range(_row_groups(path)))
            elif kind == "gzip":
                out.append(CompressedFile(str(path)))
            else:
                length = path.stat().st_size
                step = size or max(length, 1)
                out.extend(LineRange(str(path), start, min(start + step, length)) for start in range(0, length, step))
        return out


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(_PARQUET):
        return "parquet"
    if name.endswith(".gz"):
        return "gzip"
    if name.endswith(_JSONL):
        return "lines"
    return None


def _row_groups(path: Path) -> int:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(str(path))
    except Exception as exc:  # pyarrow raises its own types for files that are not Parquet
        raise LogError(f"{path}: not a Parquet file ({exc})") from None
    if "record" not in parquet.schema_arrow.names:
        raise LogError(f"{path}: a Parquet decision log needs a `record` column of record JSON; it has "
                       + ", ".join(f"`{n}`" for n in parquet.schema_arrow.names))
    return int(parquet.num_row_groups)


def records(piece: Piece, since: str | None = None,
            until: str | None = None) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(position, record) for the records of a piece decided in [since, until) (ISO 8601 UTC text, a day or a
    time), in order; `piece.locate(position)` says where a record is.

    Raises LogError naming the line or row of one that is not a decision record of the format read here.
    """
    for position, text in piece.texts():
        try:
            raw = check_format(_loads(text))
        except LogError as exc:
            raise LogError(f"{piece.locate(position)}: not a decision record ({exc})") from None
        except ValueError as exc:  # bad JSON or bad UTF-8
            raise LogError(f"{piece.locate(position)}: not a decision record (not JSON: {exc})") from None
        at = raw["decided_at"]
        if (since is not None and at < since) or (until is not None and at >= until):
            continue
        yield position, raw


def _loads(text: str | bytes) -> Any:
    """JSON with orjson when it is installed (jurist[backtest]); what it refuses and json reads (NaN, integers
    over 64 bits) is read by json, so both read the same records."""
    try:
        return _fast_loads(text)
    except ValueError:
        return json.loads(text)


def _fast_loads_of() -> Callable[[str | bytes], Any]:
    try:
        from orjson import loads
    except ImportError:  # pragma: no cover - the backtest extra brings it
        return json.loads
    return loads


_fast_loads = _fast_loads_of()


def check_format(raw: Any) -> Mapping[str, Any]:
    """`raw` if it is a record of the format this code reads; else LogError naming what is wrong.

    Only what every reader needs is checked here; the request and its scores are checked by the engine's own
    reader when the record is replayed (a malformed one is decided as the engine decides it: deny).
    """
    if type(raw) is not dict:
        raise LogError(f"a decision record is a JSON object, got {type(raw).__name__}")
    if raw.get("format") != RECORD_FORMAT:
        raise LogError(f"decision record format {raw.get('format')!r} is not one this Jurist reads "
                       f"(it reads format {RECORD_FORMAT})")
    if type(raw.get("decision_id")) is not str or type(raw.get("decided_at")) is not str:
        raise LogError("the record has no `decision_id` or `decided_at`")
    decision, obs = raw.get("decision"), raw.get("observations")
    if type(decision) is not dict or (obs is not None and type(obs) is not dict):
        raise LogError("the record's `decision` or `observations` is not a JSON object")
    return cast(Mapping[str, Any], raw)


def write_parquet(texts: Iterable[str], path: str | os.PathLike[str], rows_per_group: int = 100_000) -> int:
    """Write records' JSON lines as a Parquet decision log (a `record` column); returns how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("record", pa.string())])
    count = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        batch: list[str] = []
        for text in texts:
            batch.append(text.rstrip("\n"))
            if len(batch) >= rows_per_group:
                writer.write_table(pa.table({"record": batch}, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.table({"record": batch}, schema=schema))
            count += len(batch)
    return count


def line_texts(paths: Sequence[str | os.PathLike[str]]) -> Iterator[str]:
    """Every record line of JSON Lines files, plain or compressed (for converting a log to Parquet)."""
    for piece in DecisionLog.of_paths(paths).pieces():
        if isinstance(piece, ParquetGroup):
            raise LogError(f"{piece.path} is already Parquet")
        for _, text in piece.texts():
            yield text.decode("utf-8") if isinstance(text, bytes) else text
