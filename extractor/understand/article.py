"""An article's code blocks understood in order: first what each block is (its steps and
file name), then what each step needs, which depends on what earlier steps set up."""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from extractor.model import Block, Check, CodeBlock, ProseBlock, Step
from extractor.understand import needs, python
from extractor.understand.block import Context, Understood, block_defects, static_checks, understand
from extractor.understand.prompts import learn


def _contexts(blocks: tuple[Block, ...], codes: list[CodeBlock]) -> list[Context]:
    prompts = learn(b.text for b in codes)
    before: dict[int, str] = {}
    after: dict[int, str] = {}
    prose: list[str] = []
    last: CodeBlock | None = None
    for block in blocks:
        if isinstance(block, ProseBlock):
            prose.append(block.markdown)
            if last is not None:
                after[id(last)] = after.get(id(last), "") + "\n\n" + block.markdown
        elif isinstance(block, CodeBlock):
            before[id(block)] = "\n\n".join(prose)
            prose, last = [], block
    return [Context(prompts, before.get(id(b), ""), after.get(id(b), "").strip()) for b in codes]


def _python_needs(step: Step) -> tuple[str, ...]:
    found: set[str] = set()
    try:
        tree = ast.parse(step.command)
    except (SyntaxError, ValueError):
        tree = None
    if tree is not None:
        found |= {f"tool:python:{m}" for m in python.third_party(tree)}
    if "http://" in step.command or "https://" in step.command:
        found.add("network")
    found |= set(needs.text_needs(step.command))
    return tuple(sorted(found))


def _with_needs(u: Understood, known_vars: set[str]) -> CodeBlock:
    b = u.block
    made = needs.Made()
    steps = []
    for step, workdir in zip(b.steps, u.workdirs or (None,) * len(b.steps), strict=False):
        if step.lang == "shell":
            step_needs = needs.step_needs(step.command, made, known_vars, workdir)
        else:
            step_needs = _python_needs(step)
        steps.append(replace(step, needs=step_needs))
    known_vars |= made.variables
    union = {n for s in steps for n in s.needs}
    if b.kind in ("file", "fragment"):
        union |= set(needs.text_needs(b.text))
    return replace(b, steps=tuple(steps), needs=tuple(sorted(union)))


def _fallback(block: CodeBlock, error: Exception) -> CodeBlock:
    note = f"not understood (internal error {type(error).__name__}: {error}); kept as text"
    check = Check("understand", "tutorcheck extract", False, note)
    return replace(block, lang="text", kind="text", steps=(), checks=(check,))


def understand_article(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    codes = [b for b in blocks if isinstance(b, CodeBlock)]
    contexts = _contexts(blocks, codes)
    done: dict[int, CodeBlock] = {}
    firsts: list[Understood | None] = []
    for n, (block, ctx) in enumerate(zip(codes, contexts, strict=True)):
        try:
            firsts.append(understand(block, ctx, _later_commands(codes, n)))
        except Exception as e:  # noqa: BLE001 — never raise on odd input: the block becomes text
            firsts.append(None)
            done[id(block)] = _fallback(block, e)
    known_vars: set[str] = set()
    for block, first in zip(codes, firsts, strict=True):
        if first is None:
            continue
        try:
            filled = _with_needs(first, known_vars)
            final = Understood(filled, first.verdict, first.workdirs, first.complete, first.recogniser)
            done[id(block)] = replace(filled, checks=static_checks(final), defects=block_defects(final))
        except Exception as e:  # noqa: BLE001
            done[id(block)] = _fallback(block, e)
    return tuple(done.get(id(b), b) if isinstance(b, CodeBlock) else b for b in blocks)


# Words of a command line that reads a file the article had the reader save.
_FILE_USERS = re.compile(r"(\s-f\s|--filename|\bapply\b|\bpython3?\s|\bbash\s|\bsh\s|\bnode\s|\bgo run\b|"
                         r"\bsource\s|\bdocker build\b|\bchmod\s|^\s*\./)")


def _later_commands(codes: list[CodeBlock], n: int) -> tuple[str, ...]:
    """Lines of the blocks after block ``n`` that use a file by name (to name block ``n``)."""
    return tuple(line for b in codes[n + 1:] for line in b.text.splitlines() if _FILE_USERS.search(line))
