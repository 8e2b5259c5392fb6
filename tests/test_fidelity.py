"""The fidelity yardstick without Docker: labels are read and checked, steps paired, figures
computed (extractor.fidelity)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from extractor.errors import SourceError
from extractor.fidelity.labels import load_labels
from extractor.fidelity.run import extract_pages
from extractor.fidelity.score import pair_steps, score, skip_class
from extractor.results import ArticleResult, StepResult
from extractor.vocab import ActionKind, ArticleStatus, NeedKind, StepStatus

LABELS = DATA / "fidelity" / "labels.yaml"


def _page(path: str = "sphinx/greeter--quickstart.html"):  # type: ignore[no-untyped-def]
    return next(p for p in load_labels(LABELS) if p.path == path)


def _step(block: int, step: int, command: str, status: StepStatus, action: ActionKind = ActionKind.SHELL,
          need: NeedKind | None = None, reason: str = "") -> StepResult:
    return StepResult(block, step, command, status, reason, action=action, need=need or "")


def test_labels_are_read_with_a_write_step_for_each_file_block() -> None:
    page = _page()
    assert (page.generator, page.licence) == ("sphinx", "Apache-2.0")
    assert [(s.block, s.command, s.label) for s in page.steps][:2] == [(0, "write greet.py", "pass"),
                                                                         (1, "python3 greet.py World", "pass")]
    assert page.blocks == (0, 1, 2, 3)


@pytest.mark.parametrize(("mutation", "message"), [
    ("label: fail\n            note: \"the program", "label: wrong\n            note: \"the program"),
    ("reason: secret", "reason: weather"),
    ("            note: \"needs the reader's token in WORDS_TOKEN\"\n", ""),
])
def test_a_bad_label_is_an_error_naming_the_page_block_and_step(tmp_path: Path, mutation: str, message: str) -> None:
    text = LABELS.read_text(encoding="utf-8")
    assert mutation in text
    bad = tmp_path / "labels.yaml"
    bad.write_text(text.replace(mutation, message), encoding="utf-8")
    with pytest.raises(SourceError, match=r"labels.yaml › \w+/[\w-]+\.html › block \d › step 0"):
        load_labels(bad)


def test_steps_pair_by_block_and_command_and_both_sides_unmatched_are_kept() -> None:
    page = _page()
    result = ArticleResult("x", ArticleStatus.FAILED, steps=(
        _step(0, 0, "write greet.py", StepStatus.PASSED, ActionKind.WRITE),
        _step(0, 1, "python3 -m py_compile greet.py", StepStatus.PASSED, ActionKind.STATIC),
        _step(1, 0, "python3  greet.py World", StepStatus.PASSED),
        _step(2, 0, "echo invented", StepStatus.PASSED),
    ))
    pairs = pair_steps(page, result)
    labelled = {(p.labelled.block, p.labelled.command): p.result for p in pairs if p.labelled}
    assert labelled[(1, "python3 greet.py World")] is result.steps[2]  # whitespace does not matter
    assert labelled[(2, "python3 greet.py World | tr a-z A-Z")] is None  # a miss
    assert [p.result.command for p in pairs if p.labelled is None and p.result] == ["echo invented"]


def test_figures_count_misses_false_alarms_false_passes_and_skip_classes() -> None:
    page = _page()
    result = ArticleResult("x", ArticleStatus.FAILED, steps=(
        _step(0, 0, "write greet.py", StepStatus.PASSED, ActionKind.WRITE),
        _step(1, 0, "python3 greet.py World", StepStatus.FAILED),  # a false alarm
        _step(2, 0, "python3 greet.py World | tr a-z A-Z", StepStatus.PASSED),  # a false pass and a miss
        _step(3, 0, "curl -sO https://greeter.example.org/names.txt", StepStatus.SKIPPED, ActionKind.SKIP,
              NeedKind.NETWORK),
        _step(3, 1, "wc -l names.txt", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.SEQUENCE),
    ))
    report = score([(page, result)])
    assert (report["pages"], report["generators"]) == (1, 1)
    assert report["precision"] == 0.0 and report["recall"] == 0.0
    assert report["false_passes"] == 1 and report["skip_reasons_matching"] == 1.0
    assert [e["command"] for e in report["offending"]["false_alarms"]] == ["python3 greet.py World"]
    assert [e["label"] for e in report["offending"]["false_passes"]] == ["fail"]
    assert report["by_generator"]["sphinx"]["false_passes"] == 1
    assert report["targets"]["met"]["overall"]["false_passes"] is False
    assert report["targets"]["not_judged"] == ["sphinx"]  # fewer than 5 pages


def test_with_nothing_to_count_the_fractions_are_one_and_a_missing_result_is_all_misses() -> None:
    page = _page("mkdocs/wordtools--sorting.html")
    report = score([(page, None)])
    assert report["precision"] == 1.0 and report["recall"] == 0.0
    assert len(report["offending"]["unmatched_labelled"]) == len(page.steps)
    assert "1.0 when their denominator is 0" in report["fractions"]


def test_a_knock_on_skip_takes_the_class_of_the_gap_it_follows() -> None:
    steps = [_step(0, 0, "kubectl apply -f x.yaml", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.CLUSTER),
             _step(1, 0, "export A=1", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.SECRET),
             _step(1, 1, "echo $A", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.SEQUENCE),
             _step(2, 0, "ls", StepStatus.SKIPPED, ActionKind.SHELL, NeedKind.STATE),
             _step(3, 0, "dir", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.OS)]
    assert [skip_class(steps, n) for n in range(5)] == ["cluster", "secret", "secret", "cluster", "other-os"]


def test_a_knock_on_skip_after_two_gaps_of_its_block_takes_the_class_of_the_nearest_which_its_reason_names() -> None:
    steps = [_step(0, 0, "url = 'https://x.example.org/post'", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.NETWORK),
             _step(0, 1, "f = open('data.bin', 'rb')", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.FILE),
             _step(0, 2, "r = post(url, f)", StepStatus.SKIPPED, ActionKind.SKIP, NeedKind.SEQUENCE)]
    assert [skip_class(steps, n) for n in range(3)] == ["network", "assumed-file", "assumed-file"]


def test_each_labelled_page_is_extracted_on_its_own_under_a_slug_from_its_path() -> None:
    extracted = extract_pages(LABELS.parent, load_labels(LABELS))
    assert [e.tutorial.slug for e in extracted if e.tutorial] == [
        "fidelity-sphinx-greeter-quickstart-html", "fidelity-mkdocs-wordtools-sorting-html"]
    assert all(not e.errors for e in extracted)


def test_output_shown_in_the_next_block_is_the_commands_expected_output() -> None:
    from extractor.pipeline import load_tutorials

    (tutorial,), _ = load_tutorials([DATA / "fidelity" / "pages" / "adjacent-output.html"])
    steps = [s for b in tutorial.code_blocks for s in b.steps]
    assert [(s.command, s.expected_output) for s in steps] == [
        ("printf 'a\\nb\\n' | wc -l", "3\n"),
        ("git merge feature", "Auto-merging notes.txt\nCONFLICT (content): Merge conflict in notes.txt\n"
                              "Automatic merge failed; fix conflicts and then commit the result.\n")]


def test_the_verdict_cache_is_keyed_by_the_code_that_decides_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus test reuses cached verdicts: a change to the plan or the blocked rule must run
    the pages again, or a regression there would pass CI on stale verdicts."""
    import hashlib

    from extractor import cache

    seen: list[str] = []
    real = hashlib.sha256

    class Spy:
        def __init__(self) -> None:
            self._h = real()

        def update(self, data: bytes) -> None:
            seen.append(data.split(b"\0", 1)[0].decode())
            self._h.update(data)

        def hexdigest(self) -> str:
            return self._h.hexdigest()

    cache.tool_version.cache_clear()
    monkeypatch.setattr(cache.hashlib, "sha256", Spy)
    try:
        cache.tool_version()
    finally:
        cache.tool_version.cache_clear()
    for needed in ("plan/make.py", "plan/rules.py", "blocked.py", "matching.py", "sandbox/runner.py",
                   "understand/provides.py", "outputrules.py", "unreached.py"):
        assert needed in seen
