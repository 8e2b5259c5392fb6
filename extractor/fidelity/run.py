"""Check labelled pages in the sandbox and score the verdicts (the fidelity benchmark and its test).

Each labelled page is extracted on its own (so two pages with one title never merge as
cross-posts), renamed to a slug made from its path, and checked like ``tutorcheck check``
would, with the verdict cache: an unchanged page in an unchanged sandbox, judged by unchanged
code, is not run again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError
from extractor.fidelity.labels import LabelledPage, load_labels
from extractor.fidelity.score import score
from extractor.model import Tutorial
from extractor.options import RunOptions
from extractor.results import ArticleResult


@dataclass(frozen=True)
class Extracted:
    """A labelled page and its tutorial (None when extraction failed: ``errors`` say why)."""

    page: LabelledPage
    tutorial: Tutorial | None
    errors: tuple[str, ...] = ()


def page_slug(page: LabelledPage) -> str:
    return "fidelity-" + re.sub(r"[^a-z0-9]+", "-", page.key.lower()).strip("-")


def extract_pages(root: Path, pages: Sequence[LabelledPage]) -> list[Extracted]:
    """Every page's tutorial, each page read on its own; a page that cannot be read is kept
    with its errors (its labelled steps then all count as missed)."""
    from extractor.pipeline import load_tutorials

    out = []
    for page in pages:
        try:
            found, errors = load_tutorials([root / page.path])
        except ExtractorError as e:
            out.append(Extracted(page, None, (str(e),)))
            continue
        if page.article:
            found = [t for t in found if t.title == page.article]
        notes = tuple(str(e) for e in errors)
        if len(found) != 1:
            why = f"expected one article, found {len(found)}" + (f" titled {page.article!r}" if page.article else "")
            out.append(Extracted(page, None, (*notes, f"{page.key}: {why}")))
            continue
        out.append(Extracted(page, replace(found[0], slug=page_slug(page)), notes))
    return out


def check_pages(extracted: Sequence[Extracted], *, jobs: int = 2, cache_dir: Path | None = None,
                options: RunOptions | None = None) -> dict[str, ArticleResult]:
    """tutorcheck's verdicts for the pages that extracted, by slug (cached under ``cache_dir``)."""
    from extractor.harness import CheckSetup, Plans, run_check, sandbox_fingerprint, sandbox_runner
    from extractor.reports import ReportPaths

    options = options or RunOptions()
    tutorials = [e.tutorial for e in extracted if e.tutorial is not None]
    setup = CheckSetup(jobs=jobs, cache_dir=cache_dir, reports=ReportPaths(), options_key=options.cache_key())
    plans = Plans(options)
    results, _ = run_check(tutorials, sandbox_runner(options, plans), setup, sandbox_fingerprint(plans))
    return {r.slug: r for r in results}


def fidelity(labels: Path, *, jobs: int = 2, cache_dir: Path | None = None) -> dict[str, Any]:
    """Extract, check and score every page of a labels file (paths relative to its folder)."""
    pages = load_labels(labels)
    extracted = extract_pages(labels.parent, pages)
    results = check_pages(extracted, jobs=jobs, cache_dir=cache_dir)
    report = score((e.page, results.get(e.tutorial.slug) if e.tutorial else None) for e in extracted)
    report["extraction_errors"] = [err for e in extracted for err in e.errors]
    return report


__all__ = ["Extracted", "check_pages", "extract_pages", "fidelity", "page_slug"]
