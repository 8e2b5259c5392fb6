"""``check_tutorial``: run a tutorial's plan in one sandbox session and judge every step.

A failing snippet is a result, never an exception; only an engine or image problem raises
``SandboxError``. Verdicts: recorded output decides when the article shows some (compared with
``extractor.matching.compare``; python examples with doctest's rules), else the exit status;
a failure that shows the sandbox's missing network is skipped (``extractor.unreached``), and a
later failure an earlier gap explains is ``blocked`` (``extractor.blocked``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import Any

from extractor.blocked import judge_gaps
from extractor.errors import SandboxError
from extractor.model import Tutorial
from extractor.options import RunOptions, configured_note
from extractor.plan import Action, Place, Plan, depends_on, make_plan
from extractor.results import ArticleResult, StepResult, article_status
from extractor.sandbox import images, layers
from extractor.sandbox.asked import asked, debian_package
from extractor.sandbox.egress import network_policy, reach_of
from extractor.sandbox.policy import Policy
from extractor.sandbox.reaper import reap
from extractor.sandbox.session import Answer, Session, cleanup_owned, install_cleanup_hooks
from extractor.unreached import judge_unreached
from extractor.vocab import NO_GAP_KINDS, NO_GAP_NEEDS, ActionKind, NeedKind, StepStatus

__all__ = ["RunOptions", "check_tutorial", "cleanup_owned", "install_cleanup_hooks", "judge_action", "judge_python",
           "judge_shell", "plan_for"]

PROVIDED, PYTHON, SCRIPT, SHELL, STATIC, WRITE = (ActionKind.PROVIDED, ActionKind.PYTHON, ActionKind.SCRIPT,
                                                ActionKind.SHELL, ActionKind.STATIC, ActionKind.WRITE)


@dataclass(frozen=True)
class Verdict:
    status: StepStatus
    reason: str = ""
    match: str = "none"
    diff: str = ""
    rule: str = ""  # which normalisation(s) matched (``match_rule`` in the results)


# -- judging ------------------------------------------------------------------------------

def _exit_verdict(code: int | None) -> Verdict:
    if code == 0:
        return Verdict(StepStatus.PASSED)
    hint = {126: " (not executable)", 127: " (command not found)", 137: " (killed: out of memory or limit)"}
    return Verdict(StepStatus.FAILED, f"exit status {code}{hint.get(code or 0, '')}")


_NOT_FOUND = re.compile(r"^(?:bash: )?(?:line \d+: )?\S+: command not found$", re.M)


def judge_shell(expected: str | None, output: str, code: int | None) -> Verdict:
    """Recorded output decides when there is some; otherwise the exit status does, unless the
    shell reported a program not found (inside ``$(...)`` or a loop, the status can still be 0)."""
    if expected is None:
        missing = _NOT_FOUND.search(output) if code == 0 else None
        if missing:
            return Verdict(StepStatus.FAILED, f"exit status 0, but a program it runs was not found: {missing.group(0)}")
        return _exit_verdict(code)
    from extractor.matching import compare

    cmp = compare(expected, output)
    if cmp.match == "mismatch":
        hint = " (command not found)" if code == 127 else ""
        return Verdict(StepStatus.FAILED, f"output differs from the article (exit status {code}{hint})",
                       "mismatch", cmp.diff)
    return Verdict(StepStatus.PASSED, "", cmp.match, rule=cmp.rule if cmp.match == "normalized" else "")


def judge_python(source: str, expected: str | None, output: str, code: int | None) -> Verdict:
    """A ``>>>`` example, judged as a reader compares the REPL with the article
    (``extractor.replmatch``: doctest's rules completed, then the matcher's)."""
    if expected is None:
        if code == 0:
            return Verdict(StepStatus.PASSED)
        return Verdict(StepStatus.FAILED, "the example raised an exception")
    from extractor.replmatch import compare_example

    cmp = compare_example(expected, output)
    if cmp.match == "mismatch":
        return Verdict(StepStatus.FAILED, "output differs from the article (doctest rules)", "mismatch", cmp.diff)
    return Verdict(StepStatus.PASSED, "", cmp.match, rule=cmp.rule if cmp.match == "normalized" else "")


def judge_action(a: Action, output: str, code: int | None) -> Verdict:
    """A step that ran, judged as its plan says: by the author's output rule when there is one
    (``extractor.outputrules``), else as a shell or ``>>>`` step; an expected failure inverted."""
    from extractor.outputrules import compare_by, expected_for

    expected = expected_for(a.output_rule, a.expected_output)
    if expected is not None and a.output_rule and a.output_rule != "ignore":
        cmp = compare_by(a.output_rule, expected, output)
        v = Verdict(StepStatus.PASSED if cmp.match != "mismatch" else StepStatus.FAILED,
                    "" if cmp.match != "mismatch" else cmp.problem or f"output differs from the article (exit status "
                    f"{code})", cmp.match, cmp.diff, rule=a.output_rule)
    elif a.kind == PYTHON:
        v = judge_python(a.source, expected, output, code)
    else:
        v = judge_shell(expected, output, code)
        if expected is None and a.like_output is not None and code not in (0, None) and not a.output_rule:
            v = _as_shown_before(a, output, code) or v
    if a.expect_fail:
        v = _expected_failure(v, code)
    return replace(v, reason="; ".join(r for r in (v.reason, a.authored) if r))


def _as_shown_before(a: Action, output: str, code: int | None) -> Verdict | None:
    """A step with no output shown that reran an earlier run's tools (plan/reruns.py) and
    printed what the article showed for that run: its non-zero exit is the one a reader expects."""
    from extractor.matching import compare

    cmp = compare(a.like_output or "", output)
    if not cmp.ok:
        return None
    return Verdict(StepStatus.PASSED, f"exit status {code}, with the output the article shows for the same tools "
                                      f"in {a.like}", cmp.match, rule=cmp.rule)


def _expected_failure(v: Verdict, code: int | None) -> Verdict:
    """An ``expect-fail`` step: failing is what the article shows; succeeding is the tutorial's fault."""
    failed = code not in (0, None) or (v.status == StepStatus.FAILED and v.match != "mismatch")
    if not failed:  # its output is not what is wrong (and --update must not rewrite it)
        return Verdict(StepStatus.FAILED, f"expected to fail, but it succeeded (exit status {code})")
    if v.match == "mismatch":
        return replace(v, reason=f"expected to fail, and failed, but {v.reason}")
    return Verdict(StepStatus.PASSED, f"expected to fail, and failed (exit status {code})", v.match, rule=v.rule)


# -- running ------------------------------------------------------------------------------

def _result(a: Action, status: StepStatus, reason: str = "", **kw: Any) -> StepResult:
    kind = STATIC if a.client_check else a.kind  # a check made by running kubectl: reported as what it is
    return StepResult(block=a.block, step=a.step, command=a.command, status=status, reason=reason,
                      expected_output=a.expected_output, action=kind, **kw)


def _not_run(a: Action) -> StepResult:
    if a.kind == STATIC:
        return _result(a, StepStatus.PASSED if a.ok else StepStatus.FAILED, "" if a.ok else a.reason)
    return _result(a, StepStatus.SKIPPED, a.reason, need=a.need or "")


def _from_answer(a: Action, ans: Answer, step_timeout: float, configured: str = "") -> StepResult:
    common = {"exit_code": ans.exit_code, "duration_s": ans.duration_s, "output": ans.output,
              "cwd": ans.cwd, "truncated": ans.truncated}
    if ans.status == "timeout":
        why = "; ".join(w for w in (f"did not finish within {step_timeout:g}s", ans.note,
                                    a.authored or configured) if w)
        return _result(a, StepStatus.TIMEOUT, why, **common)
    if ans.status == "runaway":
        return _result(a, StepStatus.FAILED, ans.note, **common)
    if ans.status in ("error", "lost"):
        return _result(a, StepStatus.ERROR, ans.note or "the sandbox could not run this step", **common)
    if a.kind == WRITE:
        v = _exit_verdict(ans.exit_code) if ans.exit_code else Verdict(StepStatus.PASSED)
        return _result(a, v.status, "; ".join(r for r in (ans.note or v.reason, a.authored) if r), **common)
    if a.client_check:
        from extractor.sandbox.kubejudge import judge

        ok, what = judge(ans.output, ans.exit_code)
        return _result(a, StepStatus.PASSED if ok else StepStatus.FAILED, what, **common)
    v = judge_action(a, ans.output, ans.exit_code)
    if ans.status == "died" and v.status == StepStatus.PASSED and ans.exit_code not in (0, None):
        v = Verdict(StepStatus.FAILED, ans.note)
    # the driver's note (the shell exited, a connection was blocked, ...) explains a failure
    shown = ans.note and v.status != StepStatus.PASSED and v.reason != ans.note
    reason = v.reason + (f" ({ans.note})" if shown else "")
    reason = "; ".join(r for r in (reason, a.note) if r)
    return _result(a, v.status, reason, match=v.match, diff=v.diff, match_rule=v.rule, **common)


def _execute(session: Session, a: Action, timeout: float) -> Answer:
    if a.kind == SHELL:
        return session.request({"op": "shell", "src": a.source}, timeout)
    if a.kind == PYTHON:
        mode = "definitions" if a.pasted else "example"
        return session.request({"op": "python", "src": a.source, "mode": mode, "answers": list(a.answers)}, timeout)
    if a.kind == WRITE:
        return session.request({"op": "write", "path": a.path, "data": a.source}, timeout)
    if a.kind == SCRIPT:
        w = session.request({"op": "write", "path": a.path, "data": a.source}, timeout)
        if w.status != "ok" or w.exit_code:
            return w
        return session.request({"op": "shell", "src": f"python3 {a.path}"}, timeout)
    raise ValueError(f"not a runnable action: {a.kind}")


def _start_services(session: Session, a: Action, started: list[str], timeout: float) -> str:
    """Start the servers ``a`` needs that are not running yet; why one could not start, or ""."""
    from extractor.plan.services import to_start

    for service in to_start(a.services, started):
        ans = session.request({"op": "shell", "src": service.start}, max(timeout, 30.0))
        if ans.status != "ok" or ans.exit_code != 0:
            return f"could not start the {service.name} server the tutorial assumes: {(ans.output or ans.note)[-300:]}"
        started.append(service.name)
    return ""


def _run_actions(session: Session | None, plan: Plan, options: RunOptions, t0: float,
                 started: list[str] | None = None) -> list[StepResult]:
    results: list[StepResult] = []
    started = [] if started is None else started
    article_deadline = t0 + options.article_timeout
    for a in plan.actions:
        if not a.runs:
            results.append(_not_run(a))
            continue
        # State comes from earlier steps that ran; one that ran and failed still made its state.
        gap = next((r for r in results if r.status in (StepStatus.SKIPPED, StepStatus.ERROR)
                    and r.action not in NO_GAP_KINDS and r.need not in NO_GAP_NEEDS), None) if a.needs_state else None
        if gap is not None:
            results.append(_result(a, StepStatus.SKIPPED, depends_on(gap.block, gap.step, gap.reason),
                                   need=NeedKind.STATE))
            continue
        left = article_deadline - time.monotonic()
        if left <= 0:
            results.append(_result(a, StepStatus.SKIPPED, f"the article's time ({options.article_timeout:g}s) ran out",
                                   need=NeedKind.TIME))
            continue
        if session is None or session.dead:
            results.append(_result(a, StepStatus.ERROR, "the sandbox session had ended (an earlier step killed it)"))
            continue
        timeout = min(a.timeout or options.step_timeout, left)
        failed_start = _start_services(session, a, started, timeout)
        if failed_start:
            results.append(_result(a, StepStatus.ERROR, failed_start))
            continue
        results.append(_from_answer(a, _execute(session, a, timeout), timeout,
                                    configured_note(options, "timeout") if timeout == options.step_timeout else ""))
    return results


KUBECONFIG_PATH = "/tmp/.tutorcheck/kubeconfig"


def plan_for(tutorial: Tutorial, options: RunOptions) -> Plan:
    """The plan of ``tutorcheck check`` (and the pytest plugin) for ``tutorial``."""
    return make_plan(tutorial, Place.CHECK, options)


def check_tutorial(tutorial: Tutorial, options: RunOptions | None = None, *, image: str | None = None,
                   policy: Policy | None = None, plan: Plan | None = None) -> ArticleResult:
    """Run every step of ``tutorial`` in one sandbox container and return the verdicts.
    ``image`` replaces the planned image, ``policy`` the default security policy (benchmarks);
    ``plan`` is the article's check plan when the caller already made it (else it is made here).
    When a failed step's error asks for a Python package Debian has (``asked.py``), the article
    runs again in a layer with it, and the result says so.

    Never raises for a snippet's failure; raises ``SandboxError`` when the engine or an image
    is unavailable.
    """
    options = options or RunOptions()
    plan = plan or plan_for(tutorial, options)
    result = _check_once(tutorial, options, image, policy, plan)
    if image is not None:  # the caller's own image: nothing is added to it
        return result
    own = {a.path.rsplit("/", 1)[-1].removesuffix(".py") for a in plan.actions if a.kind == WRITE}
    more = {m: where for m, where in asked(result.steps, plan.packages, own).items() if debian_package(m)}
    if not more:
        return result
    plan = replace(plan, packages=tuple(sorted({*plan.packages, *(f"pymod:{m}" for m in more)})))
    again = _check_once(tutorial, options, None, policy, plan)
    given = {f"package:{debian_package(m)}": f"installed in the article's layer: {where} asked for {m}"
             for m, where in more.items()}
    return replace(again, pinned={**again.pinned, **given}, duration_s=result.duration_s + again.duration_s)


def _check_once(tutorial: Tutorial, options: RunOptions, image: str | None, policy: Policy | None,
                plan: Plan) -> ArticleResult:
    install_cleanup_hooks()
    t0 = time.monotonic()
    if not plan.runnable:
        steps = judge_gaps(_run_actions(None, plan, options, t0))
        return ArticleResult(slug=tutorial.slug, status=article_status(steps), steps=steps,
                             duration_s=time.monotonic() - t0,
                             reason="" if steps else "no runnable steps")
    c = images.client()
    reap(c)
    image = image or images.ensure_article(c, plan.packages, say=lambda _m: None, base=options.image)
    provided = layers.provided(c, image)
    if provided:
        plan = replace(plan, actions=tuple(layers.settle(a, provided) for a in plan.actions))
    pins = plan.pinned  # the start directory, environment and host name the article shows (plan/pinning.py)
    env = pins.environment
    if options.kubeconfig:
        env["KUBECONFIG"] = KUBECONFIG_PATH
    chosen = network_policy(options, plan.hosts, policy)
    session = Session(c, image, chosen.with_start_dir(pins.start_dir) if pins.start_dir else chosen,
                      lifetime_s=options.article_timeout, env={**env, **options.env}, name_hint=tutorial.slug,
                      hostname=pins.hostname)
    clock = time.monotonic()  # the article's time is its sandbox's: building its image is not counted
    session.start()
    started: list[str] = []
    try:
        if options.kubeconfig:  # over stdin, like --env values: never in the container's config
            wrote = session.request({"op": "write", "path": KUBECONFIG_PATH, "data": options.kubeconfig,
                                     "mode": "600"}, 30.0)
            if wrote.status != "ok" or wrote.exit_code:
                raise SandboxError(image, f"the sandbox did not take the kubeconfig ({wrote.note or wrote.status})")
        # a failure that shows the network missing is a skip, before later failures are judged against it
        steps = judge_gaps(judge_unreached(_run_actions(session, plan, options, clock, started), reach_of(chosen)))
    finally:
        session.close()
    cid = session.container.id if session.container is not None else ""
    extra: dict[str, Any] = {"container": cid, **({"provided": provided} if provided else {})}
    from extractor.plan.services import SERVICES

    # servers the tutorial assumes installed, started in its container before the first use
    pinned = {f"service:{n}": f"started in the article's container before its first use "
                              f"(Debian {', '.join(SERVICES[n].packages)}; data in the container's tmpfs)"
              for n in started}
    pinned |= {p.what: f"{p.value} (from {p.shown_in})" for p in plan.pins}
    return ArticleResult(slug=tutorial.slug, status=article_status(steps), image=image,
                         duration_s=time.monotonic() - t0, steps=steps, extra=extra, pinned=pinned)
