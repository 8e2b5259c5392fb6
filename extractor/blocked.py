"""``blocked``: a failure explained by an earlier step that did not run or did not do its part.

Decided once, over an article's results in order (``judge_gaps``), wherever steps are judged.
A *gap* is an earlier step that was skipped (and left a gap: not a static check, not an install
the image did) or that ran and did not succeed. A failed step becomes ``blocked`` only when its
failure names something a gap would have provided:

- a missing file or folder (``No such file or directory``, ``can't open file``, ``ENOENT``) that
  the gap names (a download, a clone, a file to write, a redirect), or any missing relative
  path when the gap was a ``cd`` that did not run;
- a missing module or package (``No module named X``, ``Cannot find module``, ``cannot load such
  file``) that the gap installs, or any module when the gap installs the project's dependencies;
- a program not found (exit 127) that the gap installs or names (a file it downloads);
- a variable the failing command reads (or a Python name it finds undefined), which the gap sets;
- ``not a git repository`` after a gap that makes one; a refused connection after a gap that
  needed a service or root, or would have started a server (``docker run -d -p 5672:5672 …``).

Anything else stays ``failed``: a misspelt program no gap mentions, output that differs with no
such sign, a failure with no gap before it. The reason names the gap.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from extractor.results import StepResult
from extractor.understand.provides import Provides, norm_package, provides
from extractor.vocab import NO_GAP_KINDS, ActionKind, NeedKind, StepStatus

_MISSING_PATH = (
    re.compile(r"(?:^|[\s:])([^\s:'\"`]+): No such file or directory", re.M),
    re.compile(r"No such file or directory[:,]? ['\"]([^'\"]+)['\"]"),
    re.compile(r"([^\s:'\"]+): Cannot (?:open|stat): No such file or directory"),
    re.compile(r"(?:can't open file|cannot open|cannot access|cannot stat|can't cd to|could not open)"
               r" ['\"‘]?([^'\"’\s:]+)", re.I),
    re.compile(r"ENOENT: no such file or directory, \w+ '([^']+)'"),
    re.compile(r"open ([^\s:]+): no such file or directory"),
    re.compile(r"(?:file|path|directory) ['\"]?([^'\"\s]+)['\"]? (?:does not exist|not found)", re.I),
)
_MISSING_MODULE = (
    re.compile(r"No module named ['\"]?([\w.]+)"),
    re.compile(r"Cannot find module ['\"]([^'\"]+)['\"]"),
    re.compile(r"cannot load such file -- (\S+)"),
    re.compile(r"cannot find package \"([^\"]+)\""),
    re.compile(r"no required module provides package (\S+?);?\s"),
)
_NOT_FOUND = re.compile(r"(?:^|[\s:])([\w.+/-]+): (?:command )?not found", re.M)
_VARIABLE = re.compile(r"\$\{?([A-Za-z_]\w*)")
_UNDEFINED = re.compile(r"NameError: name '(\w+)' is not defined")
_NOT_A_REPO = re.compile(r"not a git repository", re.I)
_REFUSED = re.compile(r"connection refused|could not connect|couldn't connect|failed to connect|"
                      r"is the server running|no such host|cannot connect to", re.I)
# Import names that differ from the package that provides them.
MODULE_PACKAGES: dict[str, frozenset[str]] = {
    "yaml": frozenset({"pyyaml"}), "bs4": frozenset({"beautifulsoup4"}), "pil": frozenset({"pillow"}),
    "sklearn": frozenset({"scikit-learn"}), "cv2": frozenset({"opencv-python", "opencv-python-headless"}),
    "dateutil": frozenset({"python-dateutil"}), "dotenv": frozenset({"python-dotenv"}),
    "jwt": frozenset({"pyjwt"}), "magic": frozenset({"python-magic"}), "attr": frozenset({"attrs"}),
}


@dataclass(frozen=True)
class Gap:
    step: StepResult
    provides: Provides

    def describe(self) -> str:
        s = self.step
        command = s.command.strip().splitlines()[0] if s.command.strip() else s.command
        command = command[:60] + ("…" if len(command) > 60 else "")
        # a step skipped after it ran (its failure showed the network missing: extractor.unreached)
        ran = s.exit_code is not None or bool(s.output)
        did = ("was skipped" if ran else "did not run") if s.status == StepStatus.SKIPPED else f"was {s.status}"
        # a blocked gap's own reason names the step before it: follow the chain there, not here
        why = f" ({s.reason[:100]})" if s.reason and s.status != StepStatus.BLOCKED else ""
        return f"block {s.block} step {s.step} (`{command}`) {did}{why}"


def _gap_of(s: StepResult) -> Gap | None:
    if s.action in NO_GAP_KINDS or s.status == StepStatus.PASSED:
        return None
    if s.action == ActionKind.WRITE:
        name = s.command.removeprefix("write ").strip()
        return Gap(s, Provides(names=frozenset({name, posixpath.basename(name)})))
    return Gap(s, provides(s.command))


def _path_names(path: str) -> set[str]:
    p = path.strip("'\"").removeprefix("./")
    return {p, posixpath.basename(p.rstrip("/")), p.split("/", 1)[0]} - {""}


def _missing_paths(text: str) -> list[str]:
    return [m.group(1) for rx in _MISSING_PATH for m in rx.finditer(text)]


def _explains_path(gap: Gap, failed: StepResult, text: str) -> str | None:
    for path in _missing_paths(text):
        hit = _path_names(path) & gap.provides.names
        if hit:
            return f"it would have made {sorted(hit)[0]}"
        # a cd that did not run leaves the shell elsewhere; one that ran and failed does not
        if gap.provides.directories and gap.step.status == StepStatus.SKIPPED and not path.startswith(("/", "~")):
            return f"the step runs in {sorted(gap.provides.directories)[0]}, where {path} would be"
    return None


def _module_known(module: str, packages: frozenset[str]) -> bool:
    root = norm_package(module.split(".", 1)[0] if not module.startswith("@") else module)
    wanted = {root} | MODULE_PACKAGES.get(root, frozenset())
    return bool(wanted & packages) or any(root in p or p in root for p in packages if len(p) > 2)


def _explains_module(gap: Gap, failed: StepResult, text: str) -> str | None:
    for rx in _MISSING_MODULE:
        for m in rx.finditer(text):
            if gap.provides.installs_project or _module_known(m.group(1), gap.provides.packages):
                return f"it would have installed what provides {m.group(1)}"
    return None


def _explains_program(gap: Gap, failed: StepResult, text: str) -> str | None:
    if failed.exit_code != 127:
        return None
    for m in _NOT_FOUND.finditer(text):
        program = posixpath.basename(m.group(1))
        named = program in gap.provides.names and program not in gap.provides.invoked
        # a package's commands often carry its name: sphinx → sphinx-build, django → django-admin
        prog = norm_package(program)
        packaged = any(prog == p or prog.startswith(p + "-") for p in gap.provides.packages)
        if named or packaged:
            return f"it would have provided {program}"
    return None


def _explains_variable(gap: Gap, failed: StepResult, text: str) -> str | None:
    used = (set(_VARIABLE.findall(failed.command)) | set(_UNDEFINED.findall(text))) & gap.provides.variables
    return f"it would have set {sorted(used)[0]}" if used else None


def _explains_context(gap: Gap, failed: StepResult, text: str) -> str | None:
    if _NOT_A_REPO.search(text) and gap.provides.repository:
        return "it would have made the git repository"
    if _REFUSED.search(text) and (gap.step.need in (NeedKind.SERVICE, NeedKind.ROOT) or gap.provides.server):
        return "it would have started the service this step connects to"
    return None


# Checked in order against each gap, nearest gap first.
EXPLANATIONS: tuple[Callable[[Gap, StepResult, str], str | None], ...] = (
    _explains_path, _explains_module, _explains_program, _explains_variable, _explains_context,
)


def explained_by(failed: StepResult, earlier: Sequence[StepResult]) -> tuple[Gap, str] | None:
    """The nearest earlier gap that explains ``failed``, and how; None when none does."""
    text = failed.output
    for s in reversed(earlier):
        gap = _gap_of(s)
        if gap is None:
            continue
        for rule in EXPLANATIONS:
            how = rule(gap, failed, text)
            if how:
                return gap, how
    return None


def judge_gaps(results: Sequence[StepResult]) -> tuple[StepResult, ...]:
    """Every failed step whose failure an earlier gap explains becomes ``blocked``, naming it."""
    out: list[StepResult] = []
    for s in results:
        if s.status == StepStatus.FAILED and s.action != ActionKind.STATIC:
            found = explained_by(s, out)
            if found:
                gap, how = found
                s = replace(s, status=StepStatus.BLOCKED,
                            reason=f"blocked: {gap.describe()}, and {how}; the step: {s.reason}")
        out.append(s)
    return tuple(out)


__all__ = ["EXPLANATIONS", "MODULE_PACKAGES", "Gap", "explained_by", "judge_gaps"]
