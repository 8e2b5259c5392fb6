"""A learner's step against the article: what it printed, judged as ``tutorcheck check`` judges."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from extractor.learn.workspace import Ran
from extractor.plan import Action


class Outcome(StrEnum):
    """How one step ended, for the screen and the summary."""

    MATCHED = "matched"  # the article records an output, and this run printed it
    DIFFERED = "differed"  # the article records an output, and this run printed something else
    RAN = "ran"  # nothing recorded to compare: exit 0
    FAILED = "failed"  # nothing recorded to compare, and it failed (or did not finish)
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Judged:
    outcome: Outcome
    status: str  # "✓ exit 0", "✗ exit 2", "✗ did not finish: …"
    line: str  # the one-line verdict (the diff not included)
    diff: str = ""
    expected: str | None = None  # the article's recorded output, when it has one

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.MATCHED, Outcome.RAN)


def judge(ran: Ran, p: Action) -> Judged:
    """The outcome of ``ran`` for the step ``p`` (a learner's edit is judged against the article);
    a failure whose output shows the sandbox's missing network is skipped, as ``check`` skips it
    (``extractor.unreached``)."""
    from extractor.unreached import missing_network

    j = _judge(ran, p)
    if j.ok or ran.exit_code is None or ran.reach is None or j.outcome == Outcome.SKIPPED:
        return j
    why = missing_network(ran.output, ran.reach, command=p.command, exit_code=ran.exit_code,
                          note=ran.reason, expected=p.expected_output)
    return Judged(Outcome.SKIPPED, j.status, f"⏭ {why}", expected=p.expected_output) if why else j


def _judge(ran: Ran, p: Action) -> Judged:
    from extractor.sandbox.runner import judge_action, judge_python, judge_shell

    if ran.exit_code is None:
        return Judged(Outcome.FAILED, "✗", f"✗ did not finish: {ran.reason}")
    status = "✓ exit 0" if ran.exit_code == 0 else f"✗ exit {ran.exit_code}"
    if p.authored and p.lang != "file":  # judged as the author said (expect-fail, output=...)
        v = judge_action(p, ran.output, ran.exit_code)
        passed = v.status == "passed"
        outcome = {(True, True): Outcome.MATCHED, (True, False): Outcome.RAN, (False, True): Outcome.DIFFERED,
                   (False, False): Outcome.FAILED}[(passed, p.expected_output is not None)]
        return Judged(outcome, status, f"{'✓' if passed else '✗'} {v.reason or status}", v.diff, p.expected_output)
    if p.expected_output is None or p.lang == "file":
        return Judged(Outcome.RAN if ran.exit_code == 0 else Outcome.FAILED, status, status)
    if p.lang == "python":
        v = judge_python(p.command, p.expected_output, ran.output, ran.exit_code)
    else:
        v = judge_shell(p.expected_output, ran.output, ran.exit_code)
    if v.match == "mismatch":
        return Judged(Outcome.DIFFERED, status, f"{status}; output differs from the article", v.diff,
                      p.expected_output)
    if ran.exit_code != 0 and p.lang == "python" and p.expected_output.startswith("Traceback"):
        return Judged(Outcome.MATCHED, status, "✓ raised the exception the article shows", expected=p.expected_output)
    how = "matches the article" if v.match == "exact" else "matches the article (normalized)"
    return Judged(Outcome.MATCHED, status, f"{status}; output {how}", expected=p.expected_output)


def indent(text: str, prefix: str, rest: str | None = None) -> str:
    lines = text.rstrip("\n").split("\n")
    pad = prefix if rest is None else rest
    return "\n".join([prefix + lines[0], *(pad + line for line in lines[1:])])


def verdict_line(ran: Ran, p: Action) -> str:
    """One line (and a diff when the output differs), as a transcript shows it."""
    j = judge(ran, p)
    if j.outcome == Outcome.DIFFERED:
        return f"{j.line}:\n" + indent(j.diff.rstrip("\n"), "    ")
    return j.line


__all__ = ["Judged", "Outcome", "indent", "judge", "verdict_line"]
