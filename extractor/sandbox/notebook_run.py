"""Run a generated notebook top to bottom inside the sandbox, and judge every code cell.

The notebook image (``tutorcheck/notebook``: the toolbox plus nbclient, ipykernel and
bash_kernel) runs ``nbrun.py`` as the container's main process under the same policy as
``tutorcheck check``: no network unless asked, read-only root, the unprivileged user, limits.
The host sends the notebook once over the attach socket and gets the executed notebook back;
Jupyter's kernel talks to nbclient over the container's loopback only.

Per code cell: ``skipped`` (tagged ``skip-execution``: the notebook says why; or it failed and its
output shows the sandbox's missing network: ``extractor.unreached``), ``passed``
(ran; matches the article's recorded output where there is one, by the CI harness's rules),
``failed`` (ran and printed something else: the diff), ``error`` (the cell raised or its
command failed; Run All stops there), ``notrun`` (after the cell that stopped the run).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractor.display import terminal
from extractor.errors import UsageError
from extractor.options import DEFAULT_ARTICLE_TIMEOUT_S, DEFAULT_STEP_TIMEOUT_S, RunOptions
from extractor.sandbox.policy import Policy
from extractor.unreached import Reach

NBRUN = ("exec", "--", "python3", "/opt/tutorcheck/nbrun.py")  # the launcher drops to tutor for it


@dataclass(frozen=True)
class CellResult:
    index: int  # 1-based among the notebook's code cells
    cell_id: str
    status: str  # passed | failed | error | blocked | skipped | notrun
    first_line: str
    reason: str = ""
    rule: str = ""
    diff: str = ""


@dataclass
class NotebookRun:
    executed: str  # the executed notebook (nbformat JSON text); "" when the run never started
    cells: list[CellResult] = field(default_factory=list)
    duration_s: float = 0.0
    note: str = ""
    container: str = ""  # the id of the container it ran in ("" when none was needed)

    @property
    def ok(self) -> bool:
        return not self.note and all(c.status in ("passed", "skipped", "blocked") for c in self.cells)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.cells:
            out[c.status] = out.get(c.status, 0) + 1
        return out


def _text(outputs: list[Any]) -> str:
    parts = []
    for o in outputs:
        if o.get("output_type") == "error":
            continue
        parts.append(o.get("text") or o.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def _recorded(cell: Any) -> str | None:
    outs = [o for o in cell.get("outputs", []) if o.get("metadata", {}).get("tutorcheck", {}).get("recorded")]
    return _text(outs) if outs else None


def _first_line(cell: Any) -> str:
    """The cell's first line of code (a skipped cell's code is commented out: uncommented here)."""
    meta = cell.get("metadata", {}).get("tutorcheck", {})
    if meta.get("setup"):
        return "(set-up: the pinned context)" if meta["setup"] == "pinned" else "(set-up: the %%shell helper)"
    if meta.get("filename"):
        return f"(writes {meta['filename']})"
    skipped = "skip-execution" in cell.get("metadata", {}).get("tags", [])
    lines = str(cell.get("source", "")).splitlines()
    if skipped:  # the header (why, how to run it) comes first: two lines
        lines = lines[2:]
    for line in lines:
        if not line.strip() or line.startswith("%%") or line.startswith("# tutorcheck"):
            continue
        if skipped and line.startswith("# "):
            line = line[2:]
        return line.strip()[:100]
    return ""


def packages_of(nb: Any) -> list[str]:
    """The Debian packages the notebook's plan says its running cells need (written into the
    notebook's metadata by the renderer; a notebook from before that key needs none)."""
    return sorted(str(p) for p in nb.metadata.get("tutorcheck", {}).get("packages", []))


def _error_of(cell: Any) -> str:
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            return f"{o.get('ename', '')}: {o.get('evalue', '')}".strip(": ")[:500]
    return ""


def _exit_of(cell: Any) -> int | None:
    """A shell cell's exit status, as bash_kernel reports a failing command: an error with no
    name and the status as its value (None for anything else)."""
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error" and not o.get("ename") and str(o.get("evalue", "")).isdigit():
            return int(o["evalue"])
    return None


def _code_of(cell: Any) -> str:
    """The cell's code as the article has it (a skipped cell's two-line header dropped, uncommented)."""
    lines = str(cell.get("source", "")).splitlines()
    if "skip-execution" in cell.get("metadata", {}).get("tags", []):
        lines = [ln[2:] if ln.startswith("# ") else ln for ln in lines[2:]]
    return "\n".join(ln for ln in lines if not ln.startswith("%%"))


def _with_blocked(cells: list[CellResult], codes: list[str], outputs: list[str], exits: list[int | None],
                  reach: Reach) -> list[CellResult]:
    """The one decision of a missing network (extractor.unreached: a failed or raising cell whose
    output shows it is skipped) and the one ``blocked`` decision (extractor.blocked) over the
    cells: a failed or raising cell whose failure an earlier skipped or failing cell explains is
    ``blocked``, naming that cell."""
    from extractor.blocked import judge_gaps
    from extractor.results import StepResult
    from extractor.unreached import judge_unreached
    from extractor.vocab import ActionKind, StepStatus

    status = {"passed": StepStatus.PASSED, "failed": StepStatus.FAILED, "error": StepStatus.FAILED,
              "skipped": StepStatus.SKIPPED, "notrun": StepStatus.PASSED}
    steps = [StepResult(0, c.index, code, status[c.status], c.reason, output=out,
                        exit_code=127 if "command not found" in out else code_,
                        action=ActionKind.SKIP if c.status == "skipped" else ActionKind.SHELL)
             for c, code, out, code_ in zip(cells, codes, outputs, exits, strict=True)]
    offline = judge_unreached(steps, reach)
    cells = [replace(c, status="skipped", reason=o.reason) if o.status != s.status else c
             for c, s, o in zip(cells, steps, offline, strict=True)]
    judged = judge_gaps(offline)
    return [replace(c, status="blocked", reason=j.reason.replace("block 0 step", "cell"))
            if j.status == StepStatus.BLOCKED else c for c, j in zip(cells, judged, strict=True)]


def judge(original: Any, executed: Any, reach: Reach | None = None) -> list[CellResult]:
    """Pair each code cell of the generated notebook with its executed self and give a verdict;
    ``reach``: the network the cells had (none by default)."""
    from extractor.matching import compare
    from extractor.outputrules import compare_by
    from extractor.replmatch import compare_example

    results: list[CellResult] = []
    codes: list[str] = []
    outputs: list[str] = []
    exits: list[int | None] = []
    n = 0
    for old, new in zip(original.cells, executed.cells, strict=True):
        if old.cell_type != "code":
            continue
        n += 1
        codes.append(_code_of(old))
        exits.append(_exit_of(new))
        shown_error = _error_of(new) if exits[-1] is None else ""  # a bare exit status is not output
        outputs.append(_text(new.get("outputs", [])) + ("\n" + shown_error if shown_error else ""))
        head = _first_line(old)
        meta = old.metadata.get("tutorcheck", {})
        if "skip-execution" in old.metadata.get("tags", []):
            reason = str(meta.get("skip", "tagged skip-execution"))
            results.append(CellResult(n, old.id, "skipped", head, reason=reason))
            continue
        if new.get("execution_count") is None:
            results.append(CellResult(n, old.id, "notrun", head, reason="an earlier cell stopped the run"))
            continue
        err = _error_of(new)
        expected = None if meta.get("output_rule") == "ignore" else _recorded(old)
        if meta.get("expect_fail"):  # the author's: failing is what the article shows
            results.append(CellResult(n, old.id, "passed", head, rule="expected to fail, and failed") if err else
                           CellResult(n, old.id, "failed", head, reason="expected to fail, but it succeeded"))
            continue
        if err and "raises-exception" in old.metadata.get("tags", []) and expected is not None:
            # the article shows this exception on purpose: the one raised must be the one shown
            shown = expected.rstrip("\n").rsplit("\n", 1)[-1].strip()
            # IPython names the cell's file in a SyntaxError ("invalid syntax (1278.py, line 1)"); the REPL does not
            err = re.sub(r" \([^()\n]*, line \d+\)$", "", err) if err.startswith("SyntaxError") else err
            if shown == err:
                results.append(CellResult(n, old.id, "passed", head, rule="exception"))
            else:
                results.append(CellResult(n, old.id, "failed", head, reason="a different exception",
                                            diff=f"-{shown}\n+{err}\n"))
            continue
        if err:
            results.append(CellResult(n, old.id, "error", head, reason=err, diff=_text(new.outputs)[-4000:]))
            continue
        if expected is None:
            results.append(CellResult(n, old.id, "passed", head, rule="exit status"))
            continue
        # a >>> example by the REPL's rules (doctest's, completed), anything else by the matcher's
        if meta.get("output_rule"):  # the author's rule (output=regex, unordered, ellipsis)
            rule = str(meta["output_rule"])
            by = compare_by(rule, expected, _text(new.outputs))
            results.append(CellResult(n, old.id, "passed", head, rule=rule) if by.match != "mismatch" else
                           CellResult(n, old.id, "failed", head, reason=by.problem or "output differs from the "
                                      "recording", diff=by.diff))
            continue
        cmp = (compare_example if meta.get("lang") == "python" else compare)(expected, _text(new.outputs))
        if cmp.ok:
            results.append(CellResult(n, old.id, "passed", head, rule=cmp.rule or cmp.match))
        else:
            results.append(CellResult(n, old.id, "failed", head, reason="output differs from the recording",
                                        diff=cmp.diff))
    return _with_blocked(results, codes, outputs, exits, reach or Reach())


def run_notebook(ipynb: str, *, policy: Policy | None = None, cell_timeout_s: float = DEFAULT_STEP_TIMEOUT_S,
                 lifetime_s: float = DEFAULT_ARTICLE_TIMEOUT_S, env: dict[str, str] | None = None, name_hint: str = "",
                 say: Any = print) -> NotebookRun:
    """Execute ``ipynb`` (nbformat JSON text) in a fresh notebook sandbox; judge every code cell."""
    import nbformat

    from extractor.sandbox import images
    from extractor.sandbox.egress import reach_of
    from extractor.sandbox.reaper import reap
    from extractor.sandbox.session import Session

    original = nbformat.reads(ipynb, as_version=4)
    runnable = [cell for cell in original.cells
                if cell.cell_type == "code" and "skip-execution" not in cell.metadata.get("tags", [])]
    if not runnable:  # nothing Run All would execute: no container to start
        return NotebookRun(ipynb, judge(original, original))
    c = images.client()
    reap(c)
    image = images.ensure_notebook(c, packages_of(original), say)
    # a kernel is a handful of threads on top of the shell's processes: same caps otherwise
    pol = policy or Policy()
    t0 = time.monotonic()
    with Session(c, image, pol, lifetime_s, env=env, name_hint=name_hint, role=NBRUN) as s:
        answer = s.request({"op": "notebook", "ipynb": ipynb, "cell_timeout": cell_timeout_s}, timeout_s=lifetime_s)
        container = str(s.container.id) if s.container is not None else ""
    payload = answer.payload or {}
    executed_text = str(payload.get("notebook") or "")
    if answer.status not in ("ok", "error") or not executed_text:
        note = answer.note or str((payload.get("failed") or {}).get("evalue", "")) or answer.status
        return NotebookRun("", [], time.monotonic() - t0, note=f"the notebook did not run: {note}", container=container)
    executed = nbformat.reads(executed_text, as_version=4)
    run = NotebookRun(executed_text, judge(original, executed, reach_of(pol)), time.monotonic() - t0,
                      container=container)
    failed = payload.get("failed") or {}
    if failed and not any(_error_of(cell) for cell in executed.cells if cell.cell_type == "code"):
        # the kernel died or a cell timed out: no error output names the cell
        run.note = f"{failed.get('ename', 'error')}: {failed.get('evalue', '')}".strip()
    return run


def article_notebook(path: Path) -> Path:
    if path.is_file() and path.suffix == ".ipynb":
        return path
    candidate = path / f"{path.name}.ipynb"
    if candidate.is_file():
        return candidate
    raise UsageError(str(path), "not a generated article folder (DIR/SLUG with SLUG.ipynb) nor a notebook")


def notebook_command(target: Path, *, output: Path | None, timeout_s: float, network: RunOptions | None = None) -> int:
    """``tutorcheck notebook DIR/SLUG``: Run All in the sandbox, one line per code cell; ``network``:
    the run's network options (none by default)."""
    import sys

    from extractor.sandbox.egress import network_policy
    from extractor.writer import atomic_write

    nb_path = article_notebook(target)
    ipynb = nb_path.read_text(encoding="utf-8")
    say = lambda msg: print(f"tutorcheck notebook: {msg}", file=sys.stderr)  # noqa: E731
    run = run_notebook(ipynb, policy=network_policy(network or RunOptions()), cell_timeout_s=timeout_s,
                       name_hint=nb_path.stem, say=say)
    for v in run.cells:
        extra = f" ({v.rule})" if v.status == "passed" else (f": {v.reason}" if v.reason else "")
        print(terminal(f"cell {v.index:>3} {v.status:<7} {v.first_line}{extra}"))
        if v.status in ("failed", "error") and v.diff:
            for line in v.diff.rstrip("\n").splitlines()[:40]:
                print(terminal(f"          {line}"))
    counts = run.counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in ("passed", "failed", "error", "notrun", "skipped") if counts.get(k))
    print(f"{nb_path.stem}: {summary or 'no code cells'} in {run.duration_s:.1f}s")
    if run.note:
        print(f"{nb_path.stem}: {run.note}")
    if output is not None and run.executed:
        atomic_write(output, run.executed if run.executed.endswith("\n") else run.executed + "\n")
        print(f"executed notebook: {output}")
    return 0 if run.ok else 1


__all__ = ["CellResult", "NotebookRun", "article_notebook", "judge", "notebook_command", "packages_of", "run_notebook"]
