"""Verdict cache: an unchanged article checked in an unchanged sandbox is not run again.

A verdict is keyed by the article's content (its ``tutorial.json`` in canonical form), the
sandbox's identity (image id or recipe hash, given by the caller), the run options that change a
verdict, and the tool's version. One JSON file per key under the cache directory, written
atomically, so parallel runs and a Ctrl-C never leave a half-written verdict.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sys
import types
import typing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from extractor.model import Tutorial
from extractor.results import ArticleResult
from extractor.writer import atomic_write, dumps

DEFAULT_DIR = ".tutorcheck-cache"
CACHE_SCHEMA = 1


@functools.lru_cache(maxsize=1)
def tool_version() -> str:
    """The package version plus a digest of the package's code, so a development checkout never
    reuses a verdict made by older code. All of it, not a list of the modules that decide verdicts:
    such a list was missed when a module joined them (outputrules.py, the authors' output rules)."""
    from extractor import __version__ as release  # importlib.metadata costs tens of ms at start-up

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{release}+{digest.hexdigest()[:12]}"


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(tutorial: Tutorial) -> str:
    """sha256 of the article's tutorial.json in canonical form."""
    return hashlib.sha256(canonical(tutorial.to_json()).encode("utf-8")).hexdigest()


def verdict_key(tutorial: Tutorial, sandbox: str, options: dict[str, Any], version: str | None = None) -> str:
    """The cache key of one article's verdict (see the module doc)."""
    parts = {
        "schema": CACHE_SCHEMA,
        "article": content_hash(tutorial),
        "sandbox": sandbox,
        "options": options,
        "version": version if version is not None else tool_version(),
    }
    return hashlib.sha256(canonical(parts).encode("utf-8")).hexdigest()


def cacheable(result: ArticleResult) -> bool:
    """An article that could not be run at all (engine down, image missing) is not a verdict."""
    return not (result.status == "error" and not result.steps)


@dataclass(frozen=True)
class VerdictCache:
    """Verdicts on disk under ``root`` (``<root>/verdicts/<key[:2]>/<key>.json``)."""

    root: Path

    def _path(self, key: str) -> Path:
        return self.root / "verdicts" / key[:2] / f"{key}.json"

    def get(self, key: str) -> ArticleResult | None:
        """The stored verdict (marked ``cached``), or None when absent or unreadable. A file
        that is there but wrong (bad JSON, a field of the wrong type) is a miss, said on stderr."""
        path = self._path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            result = ArticleResult.from_json(json.loads(text)["result"])
            problem = well_typed(result)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            problem = f"{type(e).__name__}: {e}"
        if problem:
            print(f"tutorcheck: note: {path}: unreadable cache entry ({problem[:200]}); the article is run again",
                  file=sys.stderr)
            return None
        return replace(result, cached=True)

    def put(self, key: str, result: ArticleResult) -> bool:
        """Store ``result`` under ``key``; False when it is not a verdict worth keeping."""
        if not cacheable(result):
            return False
        payload = {"schema": CACHE_SCHEMA, "key": key, "result": replace(result, cached=False).to_json()}
        atomic_write(self._path(key), dumps(payload))
        return True


def _conforms(value: Any, hint: Any) -> bool:
    if hint is Any:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return value in args
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, a) for a in args)
    if origin is tuple:
        return isinstance(value, tuple) and all(_conforms(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return isinstance(value, hint) and not well_typed(value)
    return isinstance(value, hint)


def well_typed(value: Any) -> str:
    """'' when every field of the dataclass ``value`` has its declared type, else the first that has not."""
    hints = typing.get_type_hints(type(value))
    for f in dataclasses.fields(value):
        if not _conforms(getattr(value, f.name), hints[f.name]):
            return f"{f.name} is {getattr(value, f.name)!r}"
    return ""
