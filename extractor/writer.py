"""Deterministic, atomic file output: a reader never sees a half-written file, and the
same input gives the same bytes (sorted keys, fixed indentation, final newline)."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from extractor.errors import UsageError


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def atomic_write(path: Path, text: str, mode: int = 0o644) -> bool:
    """Write ``text`` to ``path`` via a temporary file and a rename.

    Returns False (and leaves the file, and its mtime, alone) when the content is unchanged.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_json(path: Path, data: Any) -> bool:
    return atomic_write(path, dumps(data))


def append_line(path: Path, line: str) -> None:
    """Append one line whole or not at all: a full disk never leaves half a line behind."""
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def ensure_writable(folder: Path, what: str) -> None:
    """Fail early, with the reason, when ``folder`` cannot take output (read-only, not a folder)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".tutorcheck-probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise UsageError(f"{what} {folder}", f"cannot write there: {e.strerror or e}") from e
