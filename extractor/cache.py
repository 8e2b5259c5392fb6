"""Verdict cache: an unchanged article checked in an unchanged sandbox is not run again.

A verdict is keyed by the article's content (its ``tutorial.json`` in canonical form), the
sandbox's identity (image id or recipe hash, given by the caller), the run options that change a
verdict, and the tool's version. One JSON file per key under the cache directory, written
atomically, so parallel runs and a Ctrl-C never leave a half-written verdict.
"""

from __future__ import annotations

import functools
import hashlib
import json
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
    """The package version plus a digest of the code that decides verdicts (the plan, the sandbox,
    the matching rules and the >>> judge, the blocked decision), so a development checkout never reuses a verdict
    made by older code."""
    from extractor import __version__ as release  # importlib.metadata costs tens of ms at start-up

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*package.glob("sandbox/**/*.py"), *package.glob("plan/**/*.py"), package / "matching.py",
                          package / "displays.py", package / "replmatch.py", package / "results.py",
                          package / "blocked.py", package / "understand" / "provides.py"]):
        if path.is_file():
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
        """The stored verdict (marked ``cached``), or None when absent or unreadable."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return replace(ArticleResult.from_json(data["result"]), cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: ArticleResult) -> bool:
        """Store ``result`` under ``key``; False when it is not a verdict worth keeping."""
        if not cacheable(result):
            return False
        payload = {"schema": CACHE_SCHEMA, "key": key, "result": replace(result, cached=False).to_json()}
        atomic_write(self._path(key), dumps(payload))
        return True
