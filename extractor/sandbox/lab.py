"""``tutorcheck lab DIR/SLUG``: the article's notebook in JupyterLab, served from a sandbox.

The container is the one ``tutorcheck notebook`` runs Run All in (the notebook image, with the
layer of the packages the notebook's cells need), under the same policy as ``check``: no network
unless ``--allow-network``, read-only root, no capabilities, the unprivileged user, limits,
labelled and reaped. The article folder's files are sent in over the container's stdin (no host
mount), and so is the server's token (never in the container's config). JupyterLab listens on the
container's loopback; the host relays a port on 127.0.0.1 to it (extractor.sandbox.relay), so
the kernels run in the sandbox and only this machine's own users can reach the server, with
the token. Ctrl-C (or SIGTERM, SIGHUP) removes the container.
"""

from __future__ import annotations

import base64
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from extractor.errors import SandboxError, UsageError
from extractor.options import LEARNER_SESSION_LIFETIME_S, RunOptions
from extractor.sandbox.notebook_run import article_notebook, packages_of

LABRELAY = ("exec", "--", "python3", "/opt/tutorcheck/labrelay.py")  # the launcher drops to tutor for it
START_TIMEOUT_S = 300.0  # JupyterLab starts in seconds; a loaded machine may take a minute or more
MAX_FILES_BYTES = 16 * 1024 * 1024  # what a generated article folder holds is far less


@dataclass(frozen=True)
class LabFile:
    name: str
    data: bytes


def article_files(nb_path: Path) -> list[LabFile]:
    """The files the lab starts with: the article folder's own (the notebook, its .md pair,
    tutorial.json, check.sh, ...), or the notebook alone when given a notebook outside one."""
    folder = nb_path.parent
    paths = sorted(p for p in folder.iterdir() if p.is_file()) if folder.name == nb_path.stem else [nb_path]
    files = [LabFile(p.name, p.read_bytes()) for p in paths]
    if sum(len(f.data) for f in files) > MAX_FILES_BYTES:
        raise UsageError(str(folder), f"the article folder holds more than {MAX_FILES_BYTES // 2**20} MiB of files")
    return files


def lab_url(port: int, notebook: str, token: str) -> str:
    return f"http://127.0.0.1:{port}/lab/tree/{quote(notebook)}?token={token}"


def lab_command(target: Path, *, network: RunOptions | None = None, port: int = 0,
                lifetime_s: float = LEARNER_SESSION_LIFETIME_S, say: Callable[[str], None] | None = None) -> int:
    """Serve the notebook until Ctrl-C; 0 when stopped that way, 2 when the lab cannot start.
    ``network``: the run's network options (none by default)."""
    import nbformat

    from extractor.sandbox import images
    from extractor.sandbox.egress import network_policy
    from extractor.sandbox.reaper import reap
    from extractor.sandbox.relay import Relay
    from extractor.sandbox.session import Session

    nb_path = article_notebook(target)
    files = article_files(nb_path)
    notebook = nbformat.reads(nb_path.read_text(encoding="utf-8"), as_version=4)
    tell = say or (lambda msg: print(f"tutorcheck lab: {msg}", file=sys.stderr))
    relay = Relay(port)  # a port in use fails here, before any image is built or container started
    try:
        c = images.client()
        reap(c)
        image = images.ensure_notebook(c, packages_of(notebook), tell)
        token = secrets.token_urlsafe(24)
        policy = network_policy(network or RunOptions())
        tell(f"starting JupyterLab in a sandbox ({image}, network: {(network or RunOptions()).network_words})")
        with Session(c, image, policy, lifetime_s, name_hint=nb_path.stem, role=LABRELAY) as s:
            answer = s.request({"op": "lab", "token": token, "timeout": START_TIMEOUT_S,
                                "files": [{"name": f.name, "data": base64.b64encode(f.data).decode()}
                                          for f in files]}, timeout_s=START_TIMEOUT_S)
            if answer.status != "ok":
                raise SandboxError(image, f"JupyterLab did not start: {answer.note or answer.status}")
            print(lab_url(relay.port, nb_path.name, token), flush=True)
            tell("Ctrl-C stops the lab and removes its container")
            relay.serve(s)
            tell("the sandbox ended (its lifetime is over, or it was removed)")
            return 1
    except KeyboardInterrupt:
        tell("stopped; the container is removed")
        return 0
    finally:
        relay.close()


__all__ = ["LabFile", "article_files", "lab_command", "lab_url"]
