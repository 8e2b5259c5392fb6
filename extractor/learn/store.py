"""Where a learner's walk is kept between runs: its position and its checkpoints.

One folder per article folder, in the user's cache (``$XDG_CACHE_HOME/tutorcheck/step`` or
``~/.cache/tutorcheck/step``), never in the generated folder (which ``extract`` rewrites and CI
compares): ``walk.json`` (position, outcomes, the steps to replay, the checkpoints) and
one ``ck-N.tar`` per checkpoint. Files are written atomically (a temporary file, then a rename).
A walk saved for another version of the article (its steps changed) is not offered.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from extractor.learn.judge import Outcome
from extractor.learn.walk import Progress
from extractor.plan import Action

VERSION = 2


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tutorcheck" / "step"


def fingerprint(steps: list[Action]) -> str:
    """The steps a walk's positions count: a changed article makes a saved position meaningless."""
    h = hashlib.sha256()
    for a in steps:
        h.update(json.dumps([a.kind, a.block, a.step, a.command, a.source, a.path]).encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Store:
    folder: Path
    fingerprint: str
    article: str = ""  # the article folder walked (a walk whose folder is gone is pruned)

    @classmethod
    def of(cls, article: Path, slug: str, steps: list[Action], root: Path | None = None) -> Store:
        where = str(article.resolve())
        digest = hashlib.sha256(where.encode()).hexdigest()[:12]
        return cls((root or cache_root()) / f"{slug[:80]}-{digest}", fingerprint(steps), where)

    @property
    def walk_file(self) -> Path:
        return self.folder / "walk.json"

    def checkpoint(self, position: int) -> Path:
        return self.folder / f"ck-{position}.tar"

    def load(self) -> Progress | None:
        """The saved walk of this version of the article, if any."""
        try:
            data = json.loads(self.walk_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION or data.get("fingerprint") != self.fingerprint:
            return None
        try:
            saved = Progress(int(data["position"]), tuple((int(p), Outcome(o)) for p, o in data["outcomes"]),
                             tuple((int(p), str(op), str(src)) for p, op, src in data["replay"]),
                             tuple(int(p) for p in data["checkpoints"]))
        except (KeyError, TypeError, ValueError):
            return None
        if any(not self.checkpoint(p).is_file() for p in saved.checkpoints):
            return None
        return saved

    def save(self, progress: Progress) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "fingerprint": self.fingerprint, "article": self.article,
                "position": progress.position,
                "outcomes": [[p, o.value] for p, o in progress.outcomes], "replay": [list(x) for x in progress.replay],
                "checkpoints": list(progress.checkpoints)}
        part = self.walk_file.with_name(f"walk.json.{os.getpid()}.part")
        part.write_text(json.dumps(data, sort_keys=True, indent=1) + "\n", encoding="utf-8")
        os.replace(part, self.walk_file)
        for stale in self.folder.glob("ck-*.tar"):  # checkpoints the saved walk does not name
            if stale.name not in {self.checkpoint(p).name for p in progress.checkpoints}:
                stale.unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget the saved walk and its checkpoints (finished, or ``--restart``)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def prune_walks(root: Path | None = None) -> list[Path]:
    """Remove the saved walks whose article folder is gone (or that cannot be read); those removed."""
    removed = []
    base = root or cache_root()
    for folder in sorted(base.iterdir()) if base.is_dir() else []:
        try:
            article = json.loads((folder / "walk.json").read_text(encoding="utf-8")).get("article", "")
        except (OSError, ValueError, AttributeError):
            article = ""
        if not article or not Path(article).is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


__all__ = ["Store", "cache_root", "fingerprint", "prune_walks"]
