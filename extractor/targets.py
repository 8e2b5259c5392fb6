"""What ``check``, ``step`` and the pytest plugin are pointed at: generated DIRs, single
``DIR/SLUG`` folders, and sources (feeds, pages, URLs, directories), read into tutorials."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError, SourceError, UsageError
from extractor.model import Tutorial, tutorial_from_json


def read_generated(folder: Path, errors: list[ExtractorError] | None = None) -> list[Tutorial]:
    """The tutorials of a generated DIR (index.json + <slug>/tutorial.json), in index order.
    With ``errors``, an unreadable tutorial.json is added there and the others are still read."""
    index_path = folder / "index.json"
    index = _read_json(index_path)
    try:
        slugs = [str(a["slug"]) for a in index["articles"]]
    except (KeyError, TypeError) as e:
        raise SourceError(str(index_path), f"expected {{'articles': [{{'slug': ...}}]}}, missing {e}") from e
    tutorials = []
    for slug in slugs:
        try:
            tutorials.append(read_tutorial(folder / slug / "tutorial.json"))
        except SourceError as e:
            if errors is None:
                raise
            errors.append(e)
    return tutorials


def read_tutorial(path: Path) -> Tutorial:
    data = _read_json(path)
    try:
        return tutorial_from_json(data)
    except (KeyError, TypeError, ValueError) as e:
        raise SourceError(str(path), f"not a tutorial.json (missing or bad {e})") from e


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SourceError(str(path), f"cannot read: {e.strerror or e}") from e
    except (ValueError, RecursionError) as e:  # RecursionError: nested beyond what json can read
        raise SourceError(str(path), f"not valid JSON: {e}") from e


def load_targets(targets: Sequence[str], exclude: frozenset[Path] = frozenset(),
                 ) -> tuple[list[Tutorial], list[ExtractorError]]:
    """Generated DIRs, single ``DIR/SLUG`` folders and sources (feeds, pages, URLs, directories);
    the files of ``exclude`` (resolved) are not read from sources.

    A target that does not exist is a usage error; unreadable items of a source are returned
    as errors (the rest is still checked).
    """
    tutorials: list[Tutorial] = []
    errors: list[ExtractorError] = []
    sources: list[str] = []
    for target in targets or ["generated"]:
        path = Path(target)
        if (path / "index.json").is_file():
            tutorials += read_generated(path, errors)
        elif (path / "tutorial.json").is_file():
            tutorials.append(read_tutorial(path / "tutorial.json"))
        elif target.startswith(("http://", "https://")) or path.exists():
            sources.append(target)
        else:
            raise UsageError(target, "no such file or directory (expected a generated DIR or a feed/page/URL)")
    if sources:
        from extractor.pipeline import load_tutorials

        found, more = load_tutorials(sources, exclude)
        errors += more
        tutorials += found
    by_slug: dict[str, Tutorial] = {}  # the same article named twice is checked once
    for tutorial in tutorials:
        by_slug.setdefault(tutorial.slug, tutorial)
    return list(by_slug.values()), list(errors)


__all__ = ["load_targets", "read_generated", "read_tutorial"]
