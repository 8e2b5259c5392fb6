"""Per-article numbers for ``tutorcheck extract`` to print: blocks by kind, steps, how many
could run now and what the others need, and the defects found."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from extractor.model import Step, Tutorial

# Needs a plain sandbox cannot satisfy; a step with none of them can run now.
BLOCKING = ("cluster", "network", "secret", "placeholder", "state")


@dataclass(frozen=True)
class Summary:
    slug: str
    blocks: int
    kinds: tuple[tuple[str, int], ...]
    steps: int
    runnable: int  # steps whose only need is state that earlier runnable steps can make
    needs: tuple[tuple[str, int], ...]  # need → number of steps that have it
    defects: tuple[tuple[int, str], ...]  # (block index, defect)
    failed_checks: tuple[tuple[int, str], ...]  # (block index, "name: message")

    def text(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in self.kinds) or "no code blocks"
        lines = [f"{self.slug}: {self.blocks} blocks ({kinds}); {self.steps} steps, {self.runnable} runnable now"]
        if self.needs:
            lines.append("  needs: " + ", ".join(f"{k} ×{n}" for k, n in self.needs))
        lines += [f"  defect in block {i}: {d}" for i, d in self.defects]
        lines += [f"  check failed in block {i}: {c}" for i, c in self.failed_checks]
        return "\n".join(lines)


def _blocking(need: str) -> bool:
    return need in BLOCKING or need.startswith("tool:")


def _runnable(steps: list[Step]) -> int:
    """Steps a plain sandbox can run in article order: no blocking need, and ``state`` only
    while every earlier step could run too (then the state comes from them)."""
    count, all_ran = 0, True
    for step in steps:
        ok = not any(_blocking(n) for n in step.needs if n != "state") and ("state" not in step.needs or all_ran)
        count += ok
        all_ran = all_ran and ok
    return count


def summarize(tutorial: Tutorial) -> Summary:
    codes = tutorial.code_blocks
    steps = [s for b in codes for s in b.steps]
    needs: Counter[str] = Counter(n for s in steps for n in s.needs)
    return Summary(
        slug=tutorial.slug,
        blocks=len(codes),
        kinds=tuple(sorted(Counter(b.kind for b in codes).items())),
        steps=len(steps),
        runnable=_runnable(steps),
        needs=tuple(sorted(needs.items())),
        defects=tuple((b.index, d) for b in codes for d in b.defects),
        failed_checks=tuple((b.index, f"{c.name}: {c.message}") for b in codes for c in b.checks if not c.ok),
    )
