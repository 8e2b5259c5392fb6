"""``tutorcheck sandbox build|list|prune``: the images and leftover containers (and, for prune, the
saved ``tutorcheck step`` walks whose article folder is gone)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extractor.errors import UsageError
from extractor.sandbox import images
from extractor.sandbox.reaper import ARTICLE_LABEL, LABEL, OWNER_LABEL, reap


def _say(msg: str) -> None:
    print(f"tutorcheck sandbox: {msg}", file=sys.stderr)


@dataclass(frozen=True)
class ImageInfo:
    tag: str
    kind: str
    recipe: str
    size_mb: float


def list_images(c: Any) -> list[ImageInfo]:
    out = []
    for img in c.images.list(filters={"label": images.KIND_LABEL}):
        labels = img.labels or {}
        for tag in img.tags or ["<none>"]:
            out.append(ImageInfo(tag, labels.get(images.KIND_LABEL, ""), labels.get(images.RECIPE_LABEL, ""),
                                 round(img.attrs.get("Size", 0) / 1e6, 1)))
    return sorted(out, key=lambda i: (i.kind, i.tag))


def stale_images(c: Any) -> list[Any]:
    """Untagged tutorcheck images and images whose recipe is no longer the current one."""
    nb, tb = images.notebook_recipe(), images.toolbox_recipe()
    current = {images.BASE: images.base_recipe(), images.TOOLBOX: tb, images.NOTEBOOK: nb}
    stale = []
    for img in c.images.list(filters={"label": images.KIND_LABEL}):
        labels = img.labels or {}
        tags = img.tags or []
        if not tags:
            stale.append(img)
        elif labels.get(images.KIND_LABEL) == "article" or any(
                t.startswith(images.NOTEBOOK_ARTICLE_REPO + ":") for t in tags):
            if labels.get("tutorcheck.toolbox") != tb or labels.get("tutorcheck.notebook", nb) != nb:
                stale.append(img)
        elif labels.get(images.KIND_LABEL) == "check" or any(t.startswith("tutorcheck/check:") for t in tags):
            # check.sh's image keeps the toolbox's recipe label (and its kind, when it adds nothing)
            if labels.get(images.RECIPE_LABEL) != tb:
                stale.append(img)
        elif any(_stale_tag(t, labels.get(images.RECIPE_LABEL, ""), current) for t in tags):
            stale.append(img)
    return stale


def _stale_tag(tag: str, recipe: str, current: dict[str, str]) -> bool:
    """A plain or pinned base/toolbox/notebook tag whose image was built from another recipe."""
    for name, now in current.items():
        if (tag == name or tag.startswith(name + "-")) and recipe != now:
            return True
    return False


def build() -> int:
    c = images.client()
    print(images.ensure_all(c, _say))
    print(images.ensure_notebook(c, say=_say))  # for `tutorcheck notebook`
    return 0


def list_() -> int:
    c = images.client()
    for i in list_images(c):
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
    for img in sorted(stale_images(c), key=lambda i: i.attrs.get("Created", ""), reverse=True):
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
