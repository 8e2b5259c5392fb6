"""Tutorial + its notebook plan → learner notebook (nbformat 4) and its paired jupytext Markdown
twin. Pure: renders the plan, decides nothing, no I/O.

One notebook per article, runnable top to bottom ("Run All"):

- prose → Markdown cells, in article order, after a header cell (title, author, date, tags, URLs);
- every planned step → one code cell, with the article's recorded output attached as a
  ``display_data`` output marked ``{"tutorcheck": {"recorded": true}}`` (shown before any run);
- a file to write → a cell that writes it where the article introduces it;
- fragments, plain output and text → Markdown code blocks (never cells that could fail);
- a step the plan does not run here → a code cell whose lines are commented out, headed by a
  comment saying why, tagged ``skip-execution`` and described in ``metadata.tutorcheck``.

The kernel comes from :mod:`extractor.render.kernels`; the cell sources from :mod:`.cells`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from extractor.model import CodeBlock, ProseBlock, Tutorial
from extractor.plan import Action, Pinned, Plan
from extractor.quoting import sh_word
from extractor.render.cells import commented, fenced, images_as_links, not_run, step_source
from extractor.render.kernels import KERNELS, KernelStyle, choose_kernel
from extractor.replmatch import shows_an_exception
from extractor.vocab import ActionKind


def cell_id(slug: str, *parts: object) -> str:
    """Stable, valid (≤64 chars, [A-Za-z0-9-_]) id from the slug and the cell's place."""
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
    return "-".join([digest, *(str(p) for p in parts)])[:64]


def header_markdown(t: Tutorial, pins: Pinned | None = None) -> str:
    lines = [f"# {t.title}", ""]
    facts = []
    if t.author:
        facts.append(f"**Author:** {t.author}")
    if t.published:
        facts.append(f"**Published:** {t.published[:10]}")
    if t.tags:
        facts.append("**Tags:** " + ", ".join(f"`{tag}`" for tag in t.tags))
    if facts:
        lines += [" · ".join(facts), ""]
    lines.append(f"**Source:** <{t.url}>")
    if t.aliases:
        lines += ["", "**Also published at:** " + ", ".join(f"<{a}>" for a in t.aliases)]
    lines += [
        "",
        "> Made by tutorcheck from the article. Output shown under a cell before you run it is the "
        "article's *recorded* output, not produced here. Cells starting with `# tutorcheck: not run` "
        "need something this notebook cannot provide (a cluster, a secret, your own values, the network); "
        "Run All passes over them.",
    ]
    if pins and (pins.said or pins.left):  # what the plan pins here (plan/pinning.py), and what it leaves out
        lines += ["", *(f"> Pinned as the article shows it: {said}." for said in pins.said),
                  *(f"> Not pinned: {left}." for left in pins.left)]
    return "\n".join(lines)


def pins_source(style: KernelStyle, pins: Pinned) -> str:
    """The first code cell's text: the environment the plan pins, in the kernel's language."""
    quote = sh_word if style.quote == "shell" else repr
    head = ["# tutorcheck: pinned as the article shows it (run this cell first; Run All does)", *style.pins_prelude]
    return "\n".join(head + [style.export.format(name=name, value=quote(value)) for name, value in pins.env])


def recorded_output(text: str) -> Any:
    return new_output(
        "display_data", data={"text/plain": text}, metadata={"tutorcheck": {"recorded": True}}
    )


def notebook_metadata(t: Tutorial, kernel: str, plan: Plan) -> dict[str, Any]:
    style = KERNELS[kernel]
    return {
        "kernelspec": dict(style.kernelspec),
        "language_info": dict(style.language_info),
        "jupytext": {
            "formats": "ipynb,md",
            "cell_metadata_filter": "tags,-all",
            "notebook_metadata_filter": "-jupytext.text_representation.jupytext_version",
        },
        "tutorcheck": {
            "schema": 1,
            "slug": t.slug,
            "title": t.title,
            "url": t.url,
            "aliases": list(t.aliases),
            "author": t.author,
            "published": t.published,
            "tags": list(t.tags),
            "source": t.source.to_json(),
            "also_in": [s.to_json() for s in t.also_in],
            "kernel": kernel,
            # the Debian packages the plan's running cells need: `tutorcheck notebook` builds its image with them
            "packages": list(plan.packages),
            **({"pinned": {"applied": list(pins.said), "left": list(pins.left)}}
               if (pins := plan.pinned).said or pins.left else {}),
        },
    }


@dataclass
class _Builder:
    t: Tutorial
    style: KernelStyle
    cells: list[Any] = field(default_factory=list)

    def markdown(self, source: str, *parts: object) -> None:
        # Adjacent Markdown (prose, then a fragment, ...) is one cell: jupytext's .md keeps it
        # that way on the way back, and a learner reads one piece of text.
        last = self.cells[-1] if self.cells else None
        if last is not None and last.cell_type == "markdown" and not last.metadata.get("tutorcheck", {}).get("header"):
            last.source += "\n\n" + source
            return
        self.cells.append(new_markdown_cell(source, id=cell_id(self.t.slug, *parts)))

    def code(self, a: Action, block: CodeBlock, *parts: object) -> None:
        source = step_source(a, self.style)
        meta: dict[str, Any] = {"block": a.block, "kind": block.kind, "lang": a.lang, "needs": sorted(set(a.needs))}
        if a.lang == "file":
            meta["filename"] = a.path
        else:
            meta["step"] = a.step
        metadata: dict[str, Any] = {"tutorcheck": meta}
        if not_run(a):
            source, meta["skip"] = commented(source, a.reason), a.reason
            if a.need is not None:
                meta["need"] = str(a.need)
            metadata["tags"] = ["skip-execution"]
        if a.expected_output:
            meta["recorded_output"] = True
            if not not_run(a) and a.lang == "python" and shows_an_exception(a.expected_output):
                # the article shows this example failing on purpose: Run All must go on after it
                metadata["tags"] = ["raises-exception"]
        self.authored(a, meta, metadata)
        cell = new_code_cell(source, id=cell_id(self.t.slug, *parts), metadata=metadata)
        if a.expected_output:
            cell.outputs = [recorded_output(a.expected_output)]
        self.cells.append(cell)


    def codes(self, units: list[Action], block: CodeBlock) -> None:
        for a in units:
            self.code(a, block, "b", block.index, "file" if a.lang == "file" else f"s{a.step}")

    @staticmethod
    def authored(a: Action, meta: dict[str, Any], metadata: dict[str, Any]) -> None:
        """What the author's directives made of the step (plan/authored.py), for Jupyter and the judge."""
        authored = {"expect_fail": a.expect_fail, "output_rule": a.output_rule, "timeout": a.timeout,
                    "hidden": a.hidden, "authored": a.authored}
        meta.update({k: v for k, v in authored.items() if v})
        if a.expect_fail and not not_run(a):  # failing on purpose: Run All goes on after it
            metadata["tags"] = sorted({*metadata.get("tags", []), "raises-exception"})
        if a.hidden:  # set-up the author hides from readers: collapsed, and removed by Jupyter Book
            metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
            metadata["tags"] = sorted({*metadata.get("tags", []), "remove-cell"})


def build_notebook(t: Tutorial, plan: Plan) -> Any:
    """The notebook (an ``nbformat.NotebookNode``) of one tutorial, as its notebook plan says."""
    kernel = choose_kernel(plan)
    style = KERNELS[kernel]
    by_block: dict[int, list[Action]] = {}
    for a in plan.actions:
        if a.kind != ActionKind.STATIC:
            by_block.setdefault(a.block, []).append(a)
    b = _Builder(t, style)
    b.cells.append(new_markdown_cell(header_markdown(t, plan.pinned), id=cell_id(t.slug, "header"),
                                     metadata={"tutorcheck": {"header": True}}))
    if plan.pinned.env:
        b.cells.append(new_code_cell(pins_source(style, plan.pinned), id=cell_id(t.slug, "pinned"),
                                     metadata={"tags": ["tutorcheck-setup"], "tutorcheck": {"setup": "pinned"}}))
    if style.setup and any(a.lang not in ("file", "python") for units in by_block.values() for a in units):
        setup = new_code_cell(style.setup.rstrip("\n"), id=cell_id(t.slug, "setup"),
                              metadata={"tags": ["tutorcheck-setup"], "jupyter": {"source_hidden": True},
                                        "tutorcheck": {"setup": True}})
        b.cells.append(setup)
    hidden = {a.block for a in plan.actions if a.hidden}
    last = [a.block for a in plan.actions if a.hidden == "teardown"]  # the plan runs them last
    code_blocks = {block.index: block for block in t.code_blocks}
    for n, block in enumerate(t.blocks):
        if isinstance(block, ProseBlock):
            if block.markdown.strip():
                b.markdown(images_as_links(block.markdown), "prose", n)
            continue
        units = by_block.get(block.index)
        if not units:
            if block.index not in hidden:  # what the author hides never reaches the prose
                b.markdown(fenced(block.text, block.lang), "b", block.index)
            continue
        if block.index not in last:
            b.codes(units, block)
    for index in dict.fromkeys(last):
        b.codes(by_block.get(index, []), code_blocks[index])
    nb = new_notebook(cells=b.cells, metadata=notebook_metadata(t, kernel, plan))
    nbformat.validate(nb)
    return nb


def notebook_to_markdown(nb: Any) -> str:
    """The paired jupytext Markdown text of a notebook (no outputs, no tutorcheck metadata)."""
    text: str = jupytext.writes(nb, fmt="md")
    return text if text.endswith("\n") else text + "\n"


def render_notebook(t: Tutorial, plan: Plan) -> tuple[str, str]:
    """(the .ipynb JSON text, the paired jupytext .md text) of one tutorial; deterministic."""
    nb = build_notebook(t, plan)
    ipynb = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return ipynb, notebook_to_markdown(nb)


__all__ = ["build_notebook", "cell_id", "notebook_to_markdown", "render_notebook"]
