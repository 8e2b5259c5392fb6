"""Each article's verdicts over time, kept beside the verdict cache (``history.jsonl``), so a
report can say since when an article fails ("last passed on 2026-11-20")."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.results import ArticleResult
from extractor.vocab import ArticleStatus

HISTORY_FILE = "history.jsonl"
KEEP = 30  # entries per article a report shows


@dataclass(frozen=True)
class Past:
    """One earlier verdict of an article: when (ISO 8601 UTC) and its status."""

    when: str
    status: str

    @property
    def day(self) -> str:
        return self.when[:10]


def record(cache_dir: Path, results: Sequence[ArticleResult], when: dt.datetime | None = None) -> None:
    """Append this run's verdicts (one line each, one write: concurrent runs interleave lines,
    never bytes within a line)."""
    if not results:
        return
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = "".join(json.dumps({"slug": r.slug, "status": str(r.status), "when": moment}, sort_keys=True) + "\n"
                    for r in results)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_dir / HISTORY_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, lines.encode("utf-8"))
    finally:
        os.close(fd)


def load(cache_dir: Path | None) -> dict[str, list[Past]]:
    """slug → its earlier verdicts, oldest first (the last ``KEEP``); bad lines are skipped."""
    path = cache_dir / HISTORY_FILE if cache_dir else None
    if path is None or not path.is_file():
        return {}
    found: dict[str, list[Past]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            found.setdefault(str(entry["slug"]), []).append(Past(str(entry["when"]), str(entry["status"])))
        except (ValueError, KeyError, TypeError):
            continue
    return {slug: sorted(entries, key=lambda p: p.when)[-KEEP:] for slug, entries in found.items()}


def since(entries: Sequence[Past], current: str) -> str:
    """A sentence on the article's history: when it last passed, or since when it passes."""
    if not entries:
        return "first run"
    passed = [p for p in entries if p.status == ArticleStatus.PASSED]
    if current == ArticleStatus.PASSED:
        broken = [p for p in entries if p.status != ArticleStatus.PASSED]
        if not broken:
            return f"passed in all {len(entries)} earlier run(s)"
        later = [p for p in entries if p.when > broken[-1].when]
        if later:
            return f"passing since {later[0].day}"
        return f"passing again (it was {broken[-1].status} on {broken[-1].day})"
    if not passed:
        return f"never passed in {len(entries)} earlier run(s)"
    return f"last passed on {passed[-1].day}"

