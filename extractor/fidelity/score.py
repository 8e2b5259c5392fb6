"""How far tutorcheck's verdicts agree with what a careful reader concludes (the labels).

Steps are paired by page, block index and command (whitespace collapsed), in order; a labelled
step tutorcheck never produced is a miss, and a step tutorcheck produced that no label names is
reported too. Static checks (syntax, schema) are not a reader's steps: a failed one stands for
its block, and is right when that block has a step labelled ``fail``.

The figures, overall and per generator:

- ``precision``: of the steps tutorcheck reported ``failed`` (or ``timeout``), the share labelled ``fail``;
- ``recall``: of the steps labelled ``fail``, the share tutorcheck reported ``failed``;
- ``false_passes``: steps ``passed`` where the label is ``fail`` or ``skip``;
- ``skip_reasons_matching``: of the steps labelled ``skip`` that tutorcheck skipped, the share whose
  reason class (from the result's typed ``need``) is the label's;
- ``blocked``: how many steps were ``blocked`` (neither failed nor passed).

A fraction whose denominator is 0 is 1.0 (nothing to get wrong); ``fractions`` says so in the JSON.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractor.fidelity.labels import LabelledPage, LabelledStep
from extractor.results import ArticleResult, StepResult
from extractor.vocab import (
    FAILING_STEP_STATUSES,
    KNOCK_ON_NEEDS,
    NO_GAP_KINDS,
    NO_GAP_NEEDS,
    ActionKind,
    NeedKind,
    StepStatus,
)

PRECISION_MIN = 0.90
RECALL_MIN = 0.90
FALSE_PASSES_MAX = 0
SKIP_REASONS_MIN = 0.95
GENERATOR_MIN_PAGES = 5  # a generator with fewer pages is reported, not judged against the targets

# The label's reason class for what a skipped step lacked. Knock-on skips (a step after a gap)
# take the class of the step that made the gap.
NEED_CLASSES: dict[NeedKind, str] = {
    NeedKind.CLUSTER: "cluster", NeedKind.NETWORK: "network", NeedKind.SECRET: "secret",
    NeedKind.PLACEHOLDER: "placeholder", NeedKind.TOOL: "tool", NeedKind.SERVICE: "service",
    NeedKind.ROOT: "root", NeedKind.PATH: "assumed-file", NeedKind.TIME: "other", NeedKind.LANG: "tool",
    NeedKind.OS: "other-os", NeedKind.TERMINAL: "interactive", NeedKind.FILE: "assumed-file",
    NeedKind.EXCERPT: "assumed-file",
    NeedKind.GUI: "gui", NeedKind.HARDWARE: "hardware", NeedKind.INTERACTIVE: "interactive",
}
KNOCK_ON = KNOCK_ON_NEEDS


def normalise_command(command: str) -> str:
    return " ".join(command.split())


@dataclass(frozen=True)
class Pair:
    """A labelled step and tutorcheck's result for it; either may be missing."""

    generator: str
    page: str
    labelled: LabelledStep | None
    result: StepResult | None
    skip_class: str = ""  # tutorcheck's reason class, for a skipped result


def pair_steps(page: LabelledPage, result: ArticleResult | None) -> list[Pair]:
    """Every labelled step with tutorcheck's result for it, then tutorcheck's unlabelled steps."""
    steps = [s for s in result.steps if s.action != ActionKind.STATIC] if result else []
    queues: dict[tuple[int, str], deque[int]] = defaultdict(deque)
    for n, s in enumerate(steps):
        queues[(s.block, normalise_command(s.command))].append(n)
    pairs: list[Pair] = []
    used: set[int] = set()
    for ls in page.steps:
        queue = queues[(ls.block, normalise_command(ls.command))]
        found = queue.popleft() if queue else None
        if found is not None:
            used.add(found)
        pairs.append(_pair(page, ls, steps, found))
    pairs += [_pair(page, None, steps, n) for n in range(len(steps)) if n not in used]
    return pairs


def _pair(page: LabelledPage, ls: LabelledStep | None, steps: list[StepResult], n: int | None) -> Pair:
    r = steps[n] if n is not None else None
    cls = skip_class(steps, n) if n is not None and r is not None and r.status == StepStatus.SKIPPED else ""
    return Pair(page.generator, page.key, ls, r, cls)


def skip_class(steps: Sequence[StepResult], n: int) -> str:
    """The reason class of skipped step ``n``, from its typed need; a knock-on skip takes the
    class of the gap it follows: for a step after a gap in its block, the block's nearest earlier
    step that lacks something of its own (the step its reason names), else the article's first gap."""
    need = steps[n].need
    if need in KNOCK_ON:
        gaps = [k for k in range(n) if _is_gap(steps[k]) and steps[k].need not in KNOCK_ON]
        same_block = [k for k in gaps if steps[k].block == steps[n].block]
        cause = same_block[-1] if same_block and need == NeedKind.SEQUENCE else (gaps[0] if gaps else None)
        return skip_class(steps, cause) if cause is not None else "other"
    return NEED_CLASSES.get(need, "other") if need else "other"


def _is_gap(s: StepResult) -> bool:
    return s.status == StepStatus.SKIPPED and s.action not in NO_GAP_KINDS and s.need not in NO_GAP_NEEDS


def _failed(r: StepResult | None) -> bool:
    return r is not None and r.status in FAILING_STEP_STATUSES


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


@dataclass
class Tally:
    """The counts behind one group's figures."""

    pages: set[str] = field(default_factory=set)
    labelled: int = 0
    matched: int = 0
    reported_failed: int = 0
    true_failed: int = 0
    labelled_fail: int = 0
    found_fail: int = 0
    false_passes: int = 0
    skipped_both: int = 0
    skip_same: int = 0
    blocked: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def figures(self) -> dict[str, Any]:
        return {
            "pages": len(self.pages),
            "precision": ratio(self.true_failed, self.reported_failed),
            "recall": ratio(self.found_fail, self.labelled_fail),
            "false_passes": self.false_passes,
            "skip_reasons_matching": ratio(self.skip_same, self.skipped_both),
            "blocked": self.blocked,
            "counts": {"labelled_steps": self.labelled, "matched_steps": self.matched,
                       "reported_failed": self.reported_failed, "reported_failed_labelled_fail": self.true_failed,
                       "labelled_fail": self.labelled_fail, "labelled_fail_reported_failed": self.found_fail,
                       "labelled_skip_and_skipped": self.skipped_both, "skip_reason_same": self.skip_same},
            "confusion": {label: dict(sorted(row.items())) for label, row in sorted(self.confusion.items())},
        }

    def met(self) -> dict[str, bool]:
        f = self.figures()
        return {"precision": f["precision"] >= PRECISION_MIN, "recall": f["recall"] >= RECALL_MIN,
                "false_passes": f["false_passes"] <= FALSE_PASSES_MAX,
                "skip_reasons_matching": f["skip_reasons_matching"] >= SKIP_REASONS_MIN}


def _entry(p: Pair, result: StepResult | None = None) -> dict[str, Any]:
    ls, r = p.labelled, result or p.result
    return {"page": p.page, "generator": p.generator,
            "block": ls.block if ls else (r.block if r else None),
            "step": r.step if r else None, "label_step": ls.step if ls else None,
            "command": ls.command if ls else (r.command if r else ""),
            "label": ls.label if ls else None, "label_reason": ls.reason if ls else "",
            "label_note": ls.note if ls else "",
            "tutcheck": str(r.status) if r else None, "reason": r.reason if r else "",
            "skip_class": p.skip_class}


@dataclass
class Scorer:
    """Adds pages one by one; ``report()`` is the JSON-able summary with the offending steps."""

    overall: Tally = field(default_factory=Tally)
    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    offending: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, page: LabelledPage, result: ArticleResult | None) -> None:
        tallies = (self.overall, self.groups[page.generator])
        for t in tallies:
            t.pages.add(page.key)
        if result is None:
            self.offending["pages_without_result"].append({"page": page.key, "generator": page.generator})
        static_failed = [s for s in (result.steps if result else ()) if s.action == ActionKind.STATIC and _failed(s)]
        failing_blocks = {ls.block for ls in page.steps if ls.label == "fail"}
        for s in static_failed:  # a failed check stands for its block
            right = s.block in failing_blocks
            for t in tallies:
                t.reported_failed += 1
                t.true_failed += right
            if not right:
                self.offending["false_alarms"].append(_entry(Pair(page.generator, page.key, None, s), s))
        for p in pair_steps(page, result):
            for t in tallies:
                self._count(t, p, {s.block for s in static_failed})
            self._offend(p, {s.block for s in static_failed})

    @staticmethod
    def _count(t: Tally, p: Pair, static_failed: set[int]) -> None:
        ls, r = p.labelled, p.result
        status = str(r.status) if r else "missing"
        if ls is not None:
            t.labelled += 1
            t.matched += r is not None
            t.confusion[ls.label][status] += 1
        else:
            t.confusion["unlabelled"][status] += 1
        if r is not None and r.status == StepStatus.BLOCKED:
            t.blocked += 1
        if _failed(r):
            t.reported_failed += 1
            t.true_failed += ls is not None and ls.label == "fail"
        if ls is not None and ls.label == "fail":
            t.labelled_fail += 1
            t.found_fail += _failed(r) or ls.block in static_failed
        if ls is not None and r is not None and r.status == StepStatus.PASSED and ls.label in ("fail", "skip"):
            t.false_passes += 1
        if ls is not None and r is not None and ls.label == "skip" and r.status == StepStatus.SKIPPED:
            t.skipped_both += 1
            t.skip_same += p.skip_class == ls.reason

    def _offend(self, p: Pair, static_failed: set[int]) -> None:
        ls, r = p.labelled, p.result
        if ls is None:
            self.offending["unmatched_tutcheck"].append(_entry(p))
        elif r is None:
            self.offending["unmatched_labelled"].append(_entry(p))
        if _failed(r) and (ls is None or ls.label != "fail"):
            self.offending["false_alarms"].append(_entry(p))
        if ls is not None and ls.label == "fail" and not _failed(r) and ls.block not in static_failed:
            self.offending["missed_failures"].append(_entry(p))
        if ls is not None and r is not None and r.status == StepStatus.PASSED and ls.label in ("fail", "skip"):
            self.offending["false_passes"].append(_entry(p))
        if ls is not None and r is not None and ls.label == "skip" and r.status == StepStatus.SKIPPED \
                and p.skip_class != ls.reason:
            self.offending["skip_reason_mismatches"].append(_entry(p))

    def report(self) -> dict[str, Any]:
        judged = {g: t for g, t in self.groups.items() if len(t.pages) >= GENERATOR_MIN_PAGES}
        overall, per_generator = self.overall.met(), {g: t.met() for g, t in sorted(judged.items())}
        met = {"overall": overall, "by_generator": per_generator}
        met_all = all(overall.values()) and all(all(m.values()) for m in per_generator.values())
        return {
            **{k: v for k, v in self.overall.figures().items()},
            "generators": len(self.groups),
            "by_generator": {g: t.figures() for g, t in sorted(self.groups.items())},
            "targets": {"precision_min": PRECISION_MIN, "recall_min": RECALL_MIN, "false_passes_max": FALSE_PASSES_MAX,
                        "skip_reasons_min": SKIP_REASONS_MIN, "judged_generators_min_pages": GENERATOR_MIN_PAGES,
                        "met": met, "all_met": met_all,
                        "not_judged": sorted(g for g in self.groups if g not in judged)},
            "fractions": "precision, recall and skip_reasons_matching are in [0, 1]; "
                         "1.0 when their denominator is 0 (see counts)",
            "offending": {k: v for k, v in sorted(self.offending.items())},
        }


def score(pages: Iterable[tuple[LabelledPage, ArticleResult | None]]) -> dict[str, Any]:
    """The fidelity report of labelled pages and tutorcheck's results for them."""
    scorer = Scorer()
    for page, result in pages:
        scorer.add(page, result)
    return scorer.report()


__all__ = ["FALSE_PASSES_MAX", "GENERATOR_MIN_PAGES", "NEED_CLASSES", "PRECISION_MIN", "RECALL_MIN",
           "SKIP_REASONS_MIN", "Pair", "Scorer", "Tally", "normalise_command", "pair_steps", "ratio", "score",
           "skip_class"]
