"""Image files a request may name when the server was started with `--image-dir DIR`.

Without `--image-dir` a request's images must be inline `data:` URLs: the
server reads no files.  With it, a name is read from inside DIR and nowhere
else, by the server itself, and handed to the engine inline, so the engine
never opens a path a client chose:

* the name must be relative, with no `..` part; the resolved path (symlinks
  followed) must lie inside DIR, and so must the file actually opened (checked
  through /proc on Linux, against a symlink swapped in after the check);
* the file is opened without following a final symlink and without blocking
  (a FIFO would otherwise hold the worker forever), and must be a regular file
  of at most the intake's size limit.

Every refusal but the size one reads the same, whether the file is missing, a
directory, a FIFO, a device or outside DIR: the error text cannot be used to
probe what exists on the server.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from jurist.engine import RequestError
from jurist.engine.data_urls import PREFIX, encode
from jurist.engine.detectors.intake import MAX_FILE_BYTES

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class ImageDirectory:
    """DIR, resolved once at start-up; `inline(name)` is the file's bytes as a data URL."""

    def __init__(self, root: str | os.PathLike[str]):
        resolved = Path(root).resolve()
        if not resolved.is_dir():
            raise ValueError(f"--image-dir `{root}` is not a directory")
        self.root = resolved

    def inline(self, name: str) -> str:
        refused = RequestError(f"image `{name}` is not a readable image file inside the server's image directory")
        parts = PurePosixPath(name).parts
        if not name or "\x00" in name or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
            raise refused
        path = os.path.realpath(self.root / name)
        if not self._inside(path):
            raise refused
        try:
            fd = os.open(path, _FLAGS)
        except OSError:
            raise refused from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or not self._inside(_opened_path(fd, path)):
                raise refused
            if info.st_size > MAX_FILE_BYTES:
                raise RequestError(f"image `{name}` is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            raise refused from None
        finally:
            os.close(fd)
        return encode(data, name)

    def _inside(self, path: str) -> bool:
        return Path(path).is_relative_to(self.root) and Path(path) != self.root


def _opened_path(fd: int, fallback: str) -> str:
    """The path of the file `fd` really is (Linux's /proc), else the path that was opened."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return fallback


def inline_images(images: tuple[str, ...], directory: ImageDirectory | None) -> tuple[str, ...] | None:
    """The request's images with every file name replaced by its bytes inline; None when all were inline.

    Raises RequestError for a file name when the server reads no files, or one it may not read.
    """
    if all(image.startswith(PREFIX) for image in images):
        return None
    if directory is None:
        raise RequestError("images must be sent inline as data URLs; this server reads no files")
    return tuple(image if image.startswith(PREFIX) else directory.inline(image) for image in images)
