"""``tutorcheck sandbox build|list|prune``: the images and leftover containers (and, for prune, the
saved ``tutorcheck step`` walks whose article folder is gone)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from extractor.errors import UsageError
from extractor.sandbox import images
from extractor.sandbox.reaper import ARTICLE_LABEL, LABEL, OWNER_LABEL, reap


def _say(msg: str) -> None:
    print(f"tutorcheck sandbox: {msg}", file=sys.stderr)


def build() -> int:
    c = images.client()
    print(images.ensure_all(c, _say))
    print(images.ensure_notebook(c, say=_say))  # for `tutorcheck notebook`
    return 0


def list_() -> int:
    c = images.client()
    for i in images.list_images(c):
        print(f"image\t{i.tag}\t{i.kind}\trecipe={i.recipe}\t{i.size_mb}MB")
    for ct in c.api.containers(all=True, filters={"label": LABEL}):
        labels = ct.get("Labels") or {}
        print(f"container\t{ct['Id'][:12]}\t{ct.get('State', '')}\towner={labels.get(OWNER_LABEL, '?')}"
              f"\tarticle={labels.get(ARTICLE_LABEL, '')}")
    return 0


def prune() -> int:
    c = images.client()
    for cid in reap(c):
        print(f"removed container {cid}")
    # newest first: a child layer goes before the image it was built on
    for img in sorted(images.stale_images(c), key=lambda i: i.attrs.get("Created", ""), reverse=True):
        try:
            c.images.remove(img.id, force=True)
            print(f"removed image {img.short_id} {' '.join(img.tags)}".rstrip())
        except Exception as e:  # in use by a live container: keep it, say so
            _say(f"kept image {img.short_id}: {e}")
    from extractor.learn.store import prune_walks

    for folder in prune_walks():  # `tutorcheck step` walks (and their checkpoints) of articles now gone
        print(f"removed saved step walk {folder}")
    return 0


ACTIONS: dict[str, Callable[[], int]] = {"build": build, "list": list_, "prune": prune}


def sandbox_command(action: str) -> int:
    """Entry point of ``tutorcheck sandbox ACTION``; exit status 0, or SandboxError/UsageError."""
    fn = ACTIONS.get(action)
    if fn is None:
        raise UsageError("sandbox", f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
    return fn()
