"""What a standalone check.sh needs of the sandbox: the policy as ``docker run`` flags and the
article image's recipe (the renderer, ``extractor.render.checkscript``, turns it into text)."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.plan.pinning import Pinned
from extractor.render.checkscript import Container
from extractor.sandbox.images import article_dockerfile
from extractor.sandbox.policy import Policy
from extractor.sandbox.reaper import standalone_labels


def standalone_container(packages: Sequence[str], pins: Pinned | None = None) -> Container:
    """The container spec of check.sh for an article whose layer adds ``packages``, started in the
    directory and under the host name its check.sh plan pins (``Plan.pinned``), as check starts it."""
    pins = pins or Pinned()
    policy = Policy().with_start_dir(pins.start_dir) if pins.start_dir else Policy()
    flags = tuple(f for f in policy.cli_args() if not f.startswith("--network="))  # check.sh sets it
    flags += (f"--hostname={pins.hostname}",) if pins.hostname else ()
    return Container(flags=flags, pids_limit=policy.pids_limit, dockerfile=article_dockerfile(packages),
                     labels=standalone_labels("ARTICLE_TIMEOUT"))


__all__ = ["standalone_container"]
