"""What a step's output carries that the article leaves out: the run's side of a comparison only.

A reader's interactive bash prints job notices (``[1] 4242``, ``[1]+  Done  make``) that authors
leave out of transcripts, and every step runs one ``eval`` deeper than a reader's prompt, so its
``set -x`` lines carry one more ``+``. Each rule (``RUN_SIDE_RULES``) takes its part from the run's
output only when the article shows none of it; the matcher (matching.py) names the rules used.
Standard library only: the toolbox image carries this file beside matching.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A job notice of bash's job control that says nothing went wrong: a job started (``[1] 4242``),
# ended well (``Done``) or was stopped by the tutorial (``Terminated``). ``Exit 1``, ``Killed`` or
# a core dump are outcomes: they stay, and fail where the article does not show them.
JOB_NOTICE = re.compile(r"^\[\d+\](?: \d+|[+-]? +(?:Done|Terminated)(?: {2,}.*)?)[ \t]*$", re.M)
_ANY_JOB_NOTICE = re.compile(r"^\[\d+\](?: \d+|[+-]? +(?:Done|Exit \d+|Terminated|Killed|Stopped)\b.*)$", re.M)
_TRACE_1, _TRACE_DEEPER = re.compile(r"^\+ ", re.M), re.compile(r"^\+(?=\+)", re.M)


@dataclass(frozen=True)
class RunSideRule:
    """What the run's output carries and the article leaves out, taken from the run's side only
    when ``applies`` (the article shows none of it): ``strip`` gives the run's text without it."""

    name: str
    applies: Callable[[str, str], bool]
    strip: Callable[[str], str]


RUN_SIDE_RULES: tuple[RunSideRule, ...] = (
    RunSideRule("job-notice", lambda exp, act: not _ANY_JOB_NOTICE.search(exp) and bool(JOB_NOTICE.search(act)),
                lambda act: JOB_NOTICE.sub("\x00", act).replace("\x00\n", "").replace("\x00", "")),
    # xtrace: every step runs one level of evaluation deeper than the reader's prompt, so its
    # ``set -x`` lines start ``++`` where the reader's start ``+ ``; only when the article shows
    # reader-level lines and the run has none (a diff's ``+++ b/file`` keeps its pluses otherwise)
    RunSideRule("xtrace-level", lambda exp, act: bool(_TRACE_1.search(exp)) and not _TRACE_1.search(act)
                and bool(_TRACE_DEEPER.search(act)), lambda act: _TRACE_DEEPER.sub("", act)),
)


def run_side(expected: str, actual: str) -> tuple[str, list[str]]:
    """``actual`` without what the rules that apply take from it, and those rules' names."""
    used = []
    for rule in RUN_SIDE_RULES:
        if rule.applies(expected, actual):
            actual = rule.strip(actual)
            used.append(rule.name)
    return actual, used
