"""What a standalone check.sh needs of the sandbox: the policy as ``docker run`` flags and the
article image's recipe (the renderer, ``extractor.render.checkscript``, turns it into text)."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.render.checkscript import Container
from extractor.sandbox.images import article_dockerfile
from extractor.sandbox.policy import Policy
from extractor.sandbox.reaper import standalone_labels


def standalone_container(packages: Sequence[str]) -> Container:
    """The container spec of check.sh for an article whose layer adds ``packages``."""
    policy = Policy()
    flags = tuple(f for f in policy.cli_args() if not f.startswith("--network="))  # check.sh sets it
    return Container(flags=flags, pids_limit=policy.pids_limit, dockerfile=article_dockerfile(packages),
                     labels=standalone_labels("ARTICLE_TIMEOUT"))


__all__ = ["standalone_container"]
