"""A pure-Python article runner for the harness's own logic tests (cache, shards, jobs, reports,
plugin collection): it understands ``echo``, ``printf`` and ``true`` and skips steps that need a
cluster, the network or a secret. It is not a sandbox: end-to-end tests use the real one.

``TUTORCHECK_ECHO_LOG``, when set, names a file that gets one line per article run (so tests can
count runs across processes, e.g. pytest-xdist workers).
"""

from __future__ import annotations

import os
import shlex
import threading

from extractor.matching import compare
from extractor.model import Tutorial
from extractor.results import ArticleResult, StepResult, article_status

SKIPPING_NEEDS = ("cluster", "network", "secret", "placeholder")
_lock = threading.Lock()


def _run(command: str) -> tuple[int, str]:
    words = shlex.split(command)
    if words[:1] == ["echo"]:
        return 0, " ".join(words[1:]) + "\n"
    if words[:1] == ["printf"]:
        return 0, words[1].encode().decode("unicode_escape") % tuple(words[2:])
    if words == ["true"]:
        return 0, ""
    return 127, f"bash: {words[0]}: command not found\n"


def _step(block: int, n: int, command: str, expected: str | None, needs: tuple[str, ...]) -> StepResult:
    blocking = [need for need in needs if need in SKIPPING_NEEDS]
    if blocking:
        return StepResult(block, n, command, "skipped", reason=f"needs {blocking[0]}", expected_output=expected)
    code, output = _run(command)
    if code != 0:
        return StepResult(block, n, command, "failed", reason=f"exit status {code}", exit_code=code, output=output,
                          expected_output=expected)
    if expected is None:
        return StepResult(block, n, command, "passed", exit_code=0, output=output)
    c = compare(expected, output)
    status, reason = ("passed", "") if c.ok else ("failed", "output differs from the article")
    return StepResult(block, n, command, status, reason=reason, exit_code=0, output=output, expected_output=expected,
                      match=c.match, diff=c.diff, match_rule=c.rule)


def check_tutorial(tutorial: Tutorial) -> ArticleResult:
    """Tutorial → ArticleResult, like the sandbox's ``check_tutorial`` with its options bound."""
    log = os.environ.get("TUTORCHECK_ECHO_LOG")
    if log:
        with _lock, open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {tutorial.slug}\n")
    steps = tuple(_step(b.index, n, s.command, s.expected_output, s.needs)
                  for b in tutorial.code_blocks for n, s in enumerate(b.steps))
    return ArticleResult(slug=tutorial.slug, status=article_status(steps), image="echo", steps=steps)
