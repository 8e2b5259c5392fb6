"""Deterministic, atomic file output: a reader never sees a half-written file, and the
same input gives the same bytes (sorted keys, fixed indentation, final newline)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


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
