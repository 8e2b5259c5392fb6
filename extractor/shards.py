"""Shards of one check, and merging their results: ``tutorcheck report merge``.

A sharded run (``check --shard K/N``) writes, beside its verdicts, which shard it was and the
whole run's articles in order (slug, title, URL), so merging the N result files gives back
the report of the unsharded run: the same articles in the same order, the same summary.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import SourceError, UsageError
from extractor.model import SourceRef, Tutorial
from extractor.reports import ReportPaths, write_reports
from extractor.results import ArticleResult

SHARD_KEY = "shard"


def shard_meta(index: int, count: int, tutorials: Sequence[Tutorial]) -> dict[str, Any]:
    """What a shard's JSON records so a merge can rebuild the whole run."""
    return {"index": index, "count": count,
            "articles": [{"slug": t.slug, "title": t.title, "url": t.url} for t in tutorials]}


@dataclass(frozen=True)
class ResultsFile:
    path: str
    results: tuple[ArticleResult, ...]
    shard: Mapping[str, Any] | None


def read_results(path: str) -> ResultsFile:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        shard = data.get(SHARD_KEY)
        return ResultsFile(path, tuple(ArticleResult.from_json(a) for a in data["articles"]), shard)
    except OSError as e:
        raise SourceError(path, f"cannot read: {e.strerror or e}") from e
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise SourceError(path, f"not a tutorcheck results file (check --json): {e}") from e


def _order(files: Sequence[ResultsFile]) -> list[dict[str, str]]:
    """The whole run's articles, in order, as every shard recorded them (they must agree)."""
    sharded = [f for f in files if f.shard]
    if not sharded:
        return []
    first = sharded[0]
    for other in sharded[1:]:
        if (other.shard or {}).get("articles") != (first.shard or {}).get("articles"):
            raise UsageError(other.path, f"is a shard of a different run than {first.path} (other articles)")
    indexes = sorted(int((f.shard or {})["index"]) for f in sharded)
    count = int((first.shard or {})["count"])
    missing = sorted(set(range(1, count + 1)) - set(indexes))
    if missing or len(indexes) != len(set(indexes)):
        raise UsageError("report merge", f"expected shards 1..{count} once each, got {indexes}"
                         + (f" (missing {', '.join(map(str, missing))})" if missing else ""))
    return list((first.shard or {})["articles"])


def merge_results(files: Sequence[ResultsFile]) -> tuple[list[ArticleResult], dict[str, Tutorial]]:
    """Every article's verdict once, in the unsharded run's order (else the files' order), and
    the titles and URLs the reports name them by."""
    by_slug: dict[str, ArticleResult] = {}
    for f in files:
        for result in f.results:
            if result.slug in by_slug and by_slug[result.slug].to_json() != result.to_json():
                raise UsageError(f.path, f"has another verdict for {result.slug!r} than an earlier file")
            by_slug.setdefault(result.slug, result)
    order = _order(files)
    slugs = [a["slug"] for a in order] or list(by_slug)
    absent = [s for s in slugs if s not in by_slug]
    if absent:
        raise UsageError("report merge", f"no verdict for {len(absent)} article(s) of the run: {', '.join(absent[:5])}")
    tutorials = {a["slug"]: Tutorial(slug=a["slug"], title=a.get("title", ""), url=a.get("url", ""),
                                     source=SourceRef("", "")) for a in order}
    return [by_slug[s] for s in slugs], tutorials


def merge_command(inputs: Sequence[str], paths: ReportPaths) -> int:
    """``tutorcheck report merge``: 0 when every merged article is good, 1 when a step failed."""
    from extractor.harness import exit_status

    results, tutorials = merge_results([read_results(p) for p in inputs])
    write_reports(paths, results, tutorials or None)
    print(f"tutorcheck: merged {len(inputs)} file(s): {len(results)} articles", file=sys.stderr)
    return exit_status(results)


# --- sharding --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based, as typed: ``--shard 2/4``)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        k, sep, n = text.partition("/")
        if not (sep and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
            raise UsageError("--shard", f"expected K/N with 1 <= K <= N (e.g. 1/4), got {text!r}")
        return cls(int(k), int(n))

    def selects(self, slug: str) -> bool:
        """Deterministic across machines and Python runs (no ``hash()`` salt)."""
        return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:16], 16) % self.count == self.index - 1


def select_shard(tutorials: Sequence[Tutorial], shard: Shard | None) -> list[Tutorial]:
    return [t for t in tutorials if shard is None or shard.selects(t.slug)]
