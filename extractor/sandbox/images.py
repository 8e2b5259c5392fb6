"""Sandbox images from the recipes in sandboxes/: base → toolbox → per-article tool layer.

Every image carries the labels ``tutorcheck.image`` (base|toolbox|article) and
``tutorcheck.recipe`` (a hash of its recipe and its parent's), so an existing image is
reused while its recipe is unchanged and rebuilt when it changed. The base comes from a
registry when one answers (``debian:bookworm-slim``), else from debootstrap + docker import.

The toolbox and notebook images are also tagged by their recipe (``tutorcheck/toolbox:bookworm-<recipe>``)
and tutorcheck runs its containers from that pinned tag. Two checkouts of tutorcheck with different
recipes (a release and a working copy, parallel CI jobs on one engine) then never run each other's
toolbox; the plain tag follows the most recent build, for the standalone check.sh.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from extractor.errors import SandboxError
from extractor.plan.tools import SANDBOXES
from extractor.sandbox import layers
from extractor.sandbox.engine import client as client  # images.client(), as callers know it

SUITE = "bookworm"
REGISTRY_BASE = "debian:bookworm-slim"
BASE = f"tutorcheck/base:{SUITE}"
TOOLBOX = f"tutorcheck/toolbox:{SUITE}"
NOTEBOOK = f"tutorcheck/notebook:{SUITE}"
BASH_KERNEL = "bash_kernel==0.10.0"  # Debian has no package of it: the host fetches its wheel
ARTICLE_REPO = "tutorcheck/article"
NOTEBOOK_ARTICLE_REPO = "tutorcheck/notebook-article"
KIND_LABEL = "tutorcheck.image"
RECIPE_LABEL = "tutorcheck.recipe"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
PULL_TIMEOUT_S = 20
LOCK = Path("/tmp/tutorcheck-images.lock")


def _hash(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


def _dir_hash(path: Path) -> str:
    return _hash(*(f"{f.name}\n".encode() + f.read_bytes() for f in sorted(path.iterdir()) if f.is_file()))


def base_recipe() -> str:
    return _hash(SUITE, _dir_hash(SANDBOXES / "base"))


# extractor's judges, which check.sh runs in the toolbox: the matcher, the rules it imports (set/dict
# displays, the run's side, how pages show a terminal) and the >>> judge built on it
JUDGES = tuple(Path(__file__).resolve().parent.parent / n
               for n in ("matching.py", "displays.py", "runside.py", "rendered.py", "replmatch.py"))


def toolbox_recipe() -> str:
    return _hash(base_recipe(), _dir_hash(SANDBOXES / "toolbox"), *(j.read_bytes() for j in JUDGES))


def notebook_recipe() -> str:
    return _hash(toolbox_recipe(), _dir_hash(SANDBOXES / "notebook"), BASH_KERNEL)


def pinned(tag: str, recipe: str) -> str:
    """The immutable tag of an image built from ``recipe`` (``tag`` is the moving one)."""
    return f"{tag}-{recipe[:12]}"


def toolbox_tag() -> str:
    return pinned(TOOLBOX, toolbox_recipe())


def article_dockerfile(packages: Sequence[str], base: str = TOOLBOX) -> str:
    """The per-article layer as a standalone Dockerfile (check.sh): the toolbox plus the Debian
    packages its steps' tools need and the language packages its install steps name, installed
    from their registries when the image is built. ``TOOLBOX`` (a build argument) names the
    toolbox image to build on; the moving tag by default."""
    return f"ARG TOOLBOX={base}\n" + layers.dockerfile("${TOOLBOX}", layers.Layer.of(packages))


def article_recipe(packages: Sequence[str], base: str = "") -> str:
    """The layer's identity: its packages and how the layer installs them (a changed rule of
    :mod:`.layers` makes a new image, never reuses one built by the old rule)."""
    return _hash(toolbox_recipe(), *([base] if base else []), *sorted(set(packages)), article_dockerfile(packages))


def article_tag(packages: Sequence[str], base: str = "") -> str:
    if not packages:
        return base or toolbox_tag()
    return f"{ARTICLE_REPO}:{article_recipe(packages, base)[:12]}"


@contextmanager
def _lock() -> Iterator[None]:
    with open(LOCK, "a") as f:  # parallel test workers must not bootstrap twice at once
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _current(c: Any, tag: str, recipe: str) -> bool:
    import docker

    try:
        img = c.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return bool((img.labels or {}).get(RECIPE_LABEL) == recipe)


def _build(c: Any, tag: str, labels: dict[str, str], *, path: str | None = None,
           dockerfile: str | None = None, buildargs: dict[str, str] | None = None) -> None:
    kwargs: dict[str, Any] = {"tag": tag, "labels": labels, "network_mode": "host", "rm": True,
                              "forcerm": True, "decode": True, "buildargs": buildargs or {}}
    if dockerfile is not None:
        kwargs["fileobj"] = io.BytesIO(dockerfile.encode())
    else:
        kwargs["path"] = path
    log: list[str] = []
    for chunk in c.api.build(**kwargs):
        if "stream" in chunk:
            log.append(chunk["stream"])
        if "error" in chunk:
            tail = "".join(log)[-2000:]
            raise SandboxError(tag, f"image build failed: {chunk['error'].strip()}\n{tail}")


def host_mirror() -> str:
    """The Debian mirror the host's apt uses (the build goes through the same one)."""
    for f in sorted(Path("/etc/apt").glob("sources.list*")) + sorted(Path("/etc/apt/sources.list.d").glob("*")):
        if not f.is_file():
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"(?:^deb\s+(?:\[[^]]*\]\s+)?|^URIs:\s*)(\S+)", text, re.M):
            url = m.group(1)
            if url.rstrip("/").endswith("/debian"):
                return url
    return DEFAULT_MIRROR


def _pull_base(c: Any) -> bool:
    """Try the registry briefly; False when none answers (offline machines)."""
    try:
        subprocess.run(["docker", "pull", "-q", REGISTRY_BASE], check=True, timeout=PULL_TIMEOUT_S,
                       capture_output=True)
        return True
    except (subprocess.SubprocessError, OSError):
        return False


def ensure_base(c: Any, say: Any = print) -> str:
    recipe = base_recipe()
    if _current(c, BASE, recipe):
        return BASE
    labels = {KIND_LABEL: "base", RECIPE_LABEL: recipe}
    if _pull_base(c):
        say(f"base: {REGISTRY_BASE} from the registry")
        _build(c, BASE, labels, dockerfile=f"FROM {REGISTRY_BASE}\n")
        return BASE
    if os.geteuid() != 0:
        raise SandboxError(BASE, "no registry answers and debootstrap needs root; run scripts/engine.sh as root")
    mirror = host_mirror()
    say(f"base: no registry; debootstrap --variant=minbase {SUITE} from {mirror}")
    script = SANDBOXES / "base" / "bootstrap.sh"
    r = subprocess.run(["bash", str(script), BASE, SUITE, mirror, *(f"{k}={v}" for k, v in labels.items())],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SandboxError(BASE, f"debootstrap failed: {r.stderr.strip()[-2000:]}")
    return BASE


def _follow(c: Any, pin: str, tag: str) -> None:
    """Point the moving tag at the pinned image (check.sh builds FROM the moving one)."""
    img = c.images.get(pin)
    if tag not in (img.tags or []):
        repo, _, version = tag.rpartition(":")
        img.tag(repo, version)


def _copy_recipe(name: str, ctx: Path) -> None:
    """The files of ``sandboxes/NAME`` into a build context."""
    for f in (SANDBOXES / name).iterdir():
        if f.is_file():
            shutil.copy2(f, ctx / f.name)


def ensure_toolbox(c: Any, say: Any = print) -> str:
    recipe = toolbox_recipe()
    pin = pinned(TOOLBOX, recipe)
    if not _current(c, pin, recipe):
        base = ensure_base(c, say)
        say(f"toolbox: building {pin}")
        with tempfile.TemporaryDirectory(prefix="tutorcheck-toolbox-") as tmp:
            ctx = Path(tmp)
            _copy_recipe("toolbox", ctx)
            for judge in JUDGES:
                shutil.copy2(judge, ctx / judge.name)
            _build(c, pin, {KIND_LABEL: "toolbox", RECIPE_LABEL: recipe}, path=str(ctx),
                   buildargs={"BASE": base, "MIRROR": host_mirror()})
    _follow(c, pin, TOOLBOX)
    return pin


def _fetch_wheel(requirement: str, dest: Path) -> None:
    """Download one pure-Python wheel with the host's pip (its index, its proxy)."""
    dest.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", str(dest), requirement], capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not any(dest.glob("*.whl")):
        raise SandboxError(NOTEBOOK, f"cannot fetch the {requirement} wheel with pip: {r.stderr.strip()[-1000:]}")


def _fetch_lab(c: Any, dest: Path) -> None:
    """JupyterLab's pinned wheels (``tutorcheck lab``), for the image's Python on the engine's machine."""
    r = layers.fetch_pinned(SANDBOXES / "notebook" / "lab-requirements.txt", dest, str(c.info().get("Architecture")))
    if r.returncode != 0:
        raise SandboxError(NOTEBOOK, f"cannot fetch JupyterLab's wheels with pip: {r.stderr.strip()[-1000:]}")


def ensure_notebook(c: Any, packages: Sequence[str] = (), say: Any = print) -> str:
    """The notebook image (the toolbox plus nbclient, ipykernel, bash_kernel and JupyterLab), with a layer
    of the Debian packages an article's tools need on top when there are any."""
    with _lock():
        toolbox = ensure_toolbox(c, say)
        recipe = notebook_recipe()
        pin = pinned(NOTEBOOK, recipe)
        if not _current(c, pin, recipe):
            say(f"notebook: building {pin} (nbclient, ipykernel, bash_kernel, JupyterLab)")
            with tempfile.TemporaryDirectory(prefix="tutorcheck-nb-") as tmp:
                ctx = Path(tmp)
                _copy_recipe("notebook", ctx)
                _fetch_wheel(BASH_KERNEL, ctx / "wheels")
                _fetch_lab(c, ctx / "lab-wheels")
                _build(c, pin, {KIND_LABEL: "notebook", RECIPE_LABEL: recipe,
                                "tutorcheck.toolbox": toolbox_recipe()},
                       path=str(ctx), buildargs={"BASE": toolbox})
        _follow(c, pin, NOTEBOOK)
        if not packages:
            return pin
        layer = _hash(recipe, *sorted(set(packages)))
        tag = f"{NOTEBOOK_ARTICLE_REPO}:{layer[:12]}"
        if not _current(c, tag, layer):
            say(f"notebook layer: {tag} with {' '.join(sorted(set(packages)))}")
            _build_layer(c, tag, {KIND_LABEL: "notebook", RECIPE_LABEL: layer, "tutorcheck.toolbox": toolbox_recipe(),
                                  "tutorcheck.notebook": recipe}, packages, base=pin)
        return tag


def ensure_article(c: Any, packages: Sequence[str], say: Any = print, base: str = "") -> str:
    """The image for a set of extra packages (shared by articles that need the same set), on the
    toolbox or on ``base``, a project's own image built FROM it (its configuration's ``image``)."""
    ready = _ready_article(c, packages, base)
    if ready:  # nothing to build: no wait for a parallel build of another image
        return ready
    with _lock():
        toolbox = base or ensure_toolbox(c, say)
        tag = article_tag(packages, base)
        if tag == toolbox:
            return tag
        recipe = article_recipe(packages, base)
        if not _current(c, tag, recipe):
            say(f"article layer: {tag} with {' '.join(sorted(set(packages)))}")
            _build_layer(c, tag, {KIND_LABEL: "article", RECIPE_LABEL: recipe, "tutorcheck.toolbox": toolbox_recipe()},
                         packages, base=toolbox)
        return tag


def _ready_article(c: Any, packages: Sequence[str], base: str) -> str:
    """The article's image when it and the toolbox under it are current and tagged (else "")."""
    import docker

    try:
        if not base and TOOLBOX not in (c.images.get(toolbox_tag()).tags or []):
            return ""
    except docker.errors.ImageNotFound:
        return ""
    tag = article_tag(packages, base)
    if not packages:  # the toolbox (current: its pinned tag names its recipe) or the caller's own image
        return tag
    return tag if _current(c, tag, article_recipe(packages, base)) else ""


def _build_layer(c: Any, tag: str, labels: dict[str, str], packages: Sequence[str], base: str) -> None:
    """Build a layer on ``base``: the host fetches its language packages into the context first."""
    layer = layers.Layer.of(packages)
    with tempfile.TemporaryDirectory(prefix="tutorcheck-layer-") as tmp:
        ctx = Path(tmp)
        fetched = layers.fetch(layer, ctx)
        (ctx / "Dockerfile").write_text(layers.dockerfile(base, layer, fetched), encoding="utf-8")
        _build(c, tag, {**labels, layers.PROVIDED_LABEL: json.dumps(fetched.to_json(), sort_keys=True)},
               path=str(ctx))


def ensure_all(c: Any, say: Any = print) -> str:
    with _lock():
        return ensure_toolbox(c, say)
