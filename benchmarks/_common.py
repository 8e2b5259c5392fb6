"""Shared pieces of the sandbox benchmarks: the preflight (engine and images, with a clear
message when either is missing), labels for the containers the benchmarks create themselves,
counting the containers a process created, and printing the one JSON object."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_FEED = ROOT / "feeds" / "tutorcheck-examples.atom.xml"
SETUP_HINT = "run the README set-up first (`make test` or `make demo`, or `bash scripts/engine.sh`)"


def fail(name: str, why: str) -> SystemExit:
    return SystemExit(f"{name}: {why}")


def tutorcheck_bin() -> str:
    """The venv's console script next to the interpreter running the benchmark."""
    path = Path(sys.executable).parent / "tutorcheck"
    if not path.is_file():
        raise fail("benchmarks", f"{path} not found; run the benchmarks with the venv's python ({SETUP_HINT})")
    return str(path)


def child_env() -> dict[str, str]:
    """The environment of the ``tutorcheck`` children: as on a normal install, Python keeps its
    bytecode (.pyc, in the gitignored __pycache__) between runs. Some machines set
    PYTHONDONTWRITEBYTECODE, which makes every run recompile the package (~25-35 ms here)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


BYTECODE_NOTE = ("children run with .pyc kept, as on a normal install"
                 + ("; PYTHONDONTWRITEBYTECODE was set here and removed for them"
                    if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))


def warm_bytecode() -> None:
    """Compile the package once, before anything is timed (what the first import would do)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "extractor")], env=child_env(),
                   capture_output=True, timeout=300)


def preflight(name: str) -> str:
    """The docker CLI and engine answer and the toolbox image is current; its tag, or exit."""
    if shutil.which("docker") is None:
        raise fail(name, f"the docker CLI is not installed; {SETUP_HINT}")
    try:
        r = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True,
                           text=True, timeout=20)
    except subprocess.TimeoutExpired:
        raise fail(name, f"the Docker engine does not answer (docker version timed out); {SETUP_HINT}") from None
    if r.returncode != 0:
        raise fail(name, f"no Docker engine answers ({r.stderr.strip()[:200]}); {SETUP_HINT}")
    from extractor.sandbox.images import RECIPE_LABEL, toolbox_recipe, toolbox_tag

    # The pinned tag: the moving one may belong to another checkout's recipe on a shared engine.
    tag = toolbox_tag()
    r = subprocess.run(["docker", "image", "inspect", "--format", f'{{{{index .Config.Labels "{RECIPE_LABEL}"}}}}',
                        tag], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise fail(name, f"the sandbox image {tag} is missing; {SETUP_HINT}")
    if r.stdout.strip() != toolbox_recipe():
        raise fail(name, f"the sandbox image {tag} is out of date with sandboxes/toolbox; {SETUP_HINT}")
    return tag


def ensure_article_images(tutorials: Sequence[Any]) -> list[str]:
    """Build (outside any timing) the per-article tool layers these tutorials run in, so the
    benchmark measures checking, not image builds; the tags."""
    from extractor.plan import make_plan
    from extractor.sandbox import images

    c = images.client()
    return sorted({images.ensure_article(c, make_plan(t).packages, say=lambda _m: None) for t in tutorials})


def labels(article: str) -> list[str]:
    """``--label`` flags like the sandbox's own: ``tutorcheck sandbox prune`` finds leftovers, and
    a later run reaps them once this process is gone or the deadline passed."""
    from extractor.sandbox.reaper import ARTICLE_LABEL, DEADLINE_LABEL, HOST_LABEL, LABEL, OWNER_LABEL

    values = {LABEL: "1", OWNER_LABEL: str(os.getpid()), HOST_LABEL: socket.gethostname(),
              DEADLINE_LABEL: f"{time.time() + 600:.0f}", ARTICLE_LABEL: article}
    return [f"--label={k}={v}" for k, v in values.items()]


def remove_own_containers() -> int:
    """Remove every container labelled with this process as owner (the benchmark's CLI ones)."""
    from extractor.sandbox.reaper import OWNER_LABEL

    r = subprocess.run(["docker", "ps", "-aq", "--filter", f"label={OWNER_LABEL}={os.getpid()}"],
                       capture_output=True, text=True, timeout=60)
    ids = r.stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True, timeout=120)
    return len(ids)


def containers_created(owner_pid: int, since: float, until: float) -> int:
    """How many sandbox containers process ``owner_pid`` created between two wall-clock times,
    from the engine's event log (``docker events``), so a run that starts nothing shows 0."""
    from extractor.sandbox.reaper import OWNER_LABEL

    wait = until + 1.0 - time.time()
    if wait > 0:  # --until in the future would block until then anyway
        time.sleep(wait)
    r = subprocess.run(
        ["docker", "events", "--since", f"{since - 1:.3f}", "--until", f"{until + 1:.3f}",
         "--filter", "type=container", "--filter", "event=create",
         "--filter", f"label={OWNER_LABEL}={owner_pid}", "--format", "{{.ID}}"],
        capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise fail("benchmarks", f"docker events failed: {r.stderr.strip()[:200]}")
    return len(set(r.stdout.split()))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def r3(x: float) -> float:
    return round(x, 3)


def emit(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, indent=2))


_ENTRY = re.compile(r"<entry>.*?</entry>", re.S)


def example_copies(directory: Path, copies: int, extra_html: str = "", limit: int | None = None) -> Path:
    """The runnable example feed with every article repeated ``copies`` times under distinct
    titles, ids and links (``extra_html`` appended to each article's body; the first ``limit``
    articles kept); the feed's path."""
    text = EXAMPLES_FEED.read_text(encoding="utf-8")
    entries = _ENTRY.findall(text)
    if not entries:
        raise fail("benchmarks", f"{EXAMPLES_FEED}: no <entry> found")
    out = []
    for k in range(copies):
        for entry in entries:
            e = re.sub(r"<title>(.*?)</title>", rf"<title>\1 (copy {k})</title>", entry, count=1)
            e = re.sub(r"<id>(.*?)</id>", rf"<id>\1-copy-{k}</id>", e, count=1)
            e = re.sub(r'<link href="(.*?)"/>', rf'<link href="\1-copy-{k}"/>', e, count=1)
            if extra_html:
                e = e.replace("</content>", html.escape(extra_html, quote=False) + "</content>", 1)
            out.append(e)
    out = out[:limit]
    head, tail = text[:text.index(entries[0])], text[text.rindex(entries[-1]) + len(entries[-1]):]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"examples-x{copies}.atom.xml"
    path.write_text(head + "\n  ".join(out) + tail, encoding="utf-8")
    return path


def extract(source: Path, out: Path) -> list[Any]:
    """``tutorcheck extract SOURCE -o OUT``; the tutorials written."""
    r = subprocess.run([tutorcheck_bin(), "extract", str(source), "-o", str(out)], capture_output=True,
                       text=True, timeout=300, env=child_env())
    if r.returncode != 0:
        raise fail("benchmarks", f"tutorcheck extract {source} failed: {r.stderr.strip()[-500:]}")
    from extractor.targets import read_generated

    return read_generated(out)


def timed_check(args: Sequence[str]) -> tuple[float, int, str]:
    """``tutorcheck check ARGS...`` as a child process: (wall seconds, its pid, its stderr);
    exits when the check itself failed (status 2) or a step failed (1: the input is runnable)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([tutorcheck_bin(), "check", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=child_env())
    _, err = proc.communicate(timeout=600)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise fail("benchmarks", f"tutorcheck check {' '.join(args)} exited {proc.returncode}: {err.strip()[-800:]}")
    return elapsed, proc.pid, err
