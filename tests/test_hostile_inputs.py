"""Malformed and hostile inputs: each gets a clear note or error naming it, and loses nothing else.

``tests/data/hostile/inputs/`` holds the inputs (truncated and garbage XML, invalid UTF-8,
entity and alias bombs, deep nesting, NULs, dangerous titles and links, internal markers in
prose); the 10 MB ones are generated here. ONE ``tutorcheck extract`` runs over all of them
plus the bundled example feed, in a subprocess with a hang guard; each case then asserts
its own outcome, and every good article of the run is checked intact.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "tests" / "data" / "hostile" / "inputs"
GOOD_FEED = ROOT / "feeds" / "tutorcheck-examples.atom.xml"
GOOD_SLUGS = ("shell-state-that-carries-cd-export-and-heredocs", "counting-words-with-python",
              "reading-a-json-config-with-jq")
HANG_GUARD_S = 300  # not a speed assertion: a run that never ends must fail, not hang CI


Run = tuple[subprocess.CompletedProcess[str], Path, Path]


@dataclass(frozen=True)
class Expect:
    """What one input must give: a message naming it (note or error) and/or an article."""

    message: str = ""  # in stderr, on the line naming the file
    slug: str = ""  # an article that must exist
    defect: str = ""  # a defect of that article's first code block
    steps: int | None = None  # how many steps that article must have


CASES: dict[str, Expect] = {
    "yaml-alias-bomb.rss.xml": Expect(slug="yaml-alias-bomb", defect="expands to more than 100000 nodes"),
    "yaml-deep.rss.xml": Expect(slug="yaml-nested-deep", defect="YAML nested deeper than 100 levels"),
    "yaml-many-documents.rss.xml": Expect(slug="yaml-many-documents", defect="more than 1000 documents"),
    "json-deep.rss.xml": Expect(slug="json-nested-deep", defect="JSON nested deeper than 100 levels"),
    "toml-deep.rss.xml": Expect(slug="toml-nested-deep", defect="TOML nested deeper than 100 levels"),
    "shell-deep.rss.xml": Expect(slug="shell-nested-deep", defect="shell text nested deeper than 100 levels"),
    "html-deep.html": Expect(message="HTML nested deeper than 100 levels", slug="html-nested-deep", steps=1),
    "html-deep-feed.rss.xml": Expect(message="HTML nested deeper than 100 levels",
                                     slug="html-nested-deep-in-a-feed", steps=1),
    "truncated.rss.xml": Expect(message="feed is malformed"),
    "garbage.xml": Expect(message="not an RSS/Atom feed or an HTML page"),
    "invalid-utf8.rss.xml": Expect(message="feed is malformed", slug="invalid-utf-8-here", steps=1),
    "entity-bomb.rss.xml": Expect(message="feed is malformed"),
    "external-entity.rss.xml": Expect(message="feed is malformed"),
    "empty.xml": Expect(message="empty file"),
    "empty-page.html": Expect(message="empty file"),
    "not-a-feed.xml": Expect(message="not an RSS/Atom feed or an HTML page"),
    "unclosed-cdata.rss.xml": Expect(message="feed is malformed"),
    "nul-bytes.html": Expect(slug="nul-bytes", steps=1),
    "dangerous-title.rss.xml": Expect(message="feed is malformed", steps=1,
                                      slug="title-img-src-x-onerror-alert-1-52-c-zwnobybwd25lza-2j-click-javascript-alert-1"),
    "control-chars.rss.xml": Expect(message="feed is malformed", slug="bell-and-cr-and-esc-31m-red", steps=1),
    "marker-in-prose.rss.xml": Expect(slug="marker-in-prose", steps=1),
    "heredoc-delimiters.rss.xml": Expect(slug="heredoc-delimiters", steps=1),
    "big-block.rss.xml": Expect(message="kept as text, not analysed", slug="a-10-mb-block"),
    "big-line.html": Expect(message="kept as text, not analysed", slug="a-10-mb-line"),
}


def _generate_big(folder: Path) -> None:
    """10 MB inputs, made here rather than committed."""
    line = "10 MB of log output, one line after another\n"
    block = line * (10 * 1024 * 1024 // len(line))
    (folder / "big-block.rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><link>https://h.invalid/</link>'
        "<item><title>A 10 MB block</title><link>https://h.invalid/big</link><description>"
        f"&lt;pre&gt;&lt;code&gt;{block}&lt;/code&gt;&lt;/pre&gt;</description></item></channel></rss>\n",
        encoding="utf-8")
    (folder / "big-line.html").write_text(
        "<!doctype html><html><head><title>A 10 MB line</title></head><body><article><pre><code>$ echo "
        + "x" * (10 * 1024 * 1024) + "</code></pre></article></body></html>\n", encoding="utf-8")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("hostile")
    inputs = base / "inputs"
    shutil.copytree(INPUTS, inputs)
    _generate_big(inputs)
    out = base / "out"
    done = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "extract", str(inputs), str(GOOD_FEED), "-o", str(out)],
        capture_output=True, text=True, timeout=HANG_GUARD_S, cwd=ROOT,
    )
    return done, inputs, out


def test_there_are_at_least_twenty_malformed_inputs() -> None:
    assert len(CASES) >= 20
    committed = {p.name for p in INPUTS.iterdir()}
    assert committed == set(CASES) - {"big-block.rss.xml", "big-line.html"}


def test_the_run_ends_cleanly_and_says_inputs_were_bad(run: Run) -> None:
    done, _, out = run
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr  # some inputs are unreadable: exit 2, the rest written
    assert (out / "index.json").exists()


def test_no_good_article_is_lost(run: Run) -> None:
    _, _, out = run
    index = {a["slug"]: a for a in json.loads((out / "index.json").read_text(encoding="utf-8"))["articles"]}
    for slug in GOOD_SLUGS:
        assert slug in index
        assert index[slug]["steps"] > 0
        for name in ("tutorial.json", "check.sh", "Dockerfile", f"{slug}.ipynb"):
            assert (out / slug / name).stat().st_size > 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_input_gives_its_outcome(name: str, run: Run) -> None:
    done, inputs, out = run
    expect = CASES[name]
    if expect.message:
        lines = [ln for ln in done.stderr.splitlines() if str(inputs / name) in ln]
        assert any(expect.message in ln for ln in lines), (name, lines)
    if expect.slug:
        tutorial = json.loads((out / expect.slug / "tutorial.json").read_text(encoding="utf-8"))
        codes = [b for b in tutorial["blocks"] if b["type"] == "code"]
        if expect.defect:
            assert any(expect.defect in d for d in codes[0]["defects"]), codes[0]["defects"]
            assert codes[0]["kind"] == "text" and codes[0]["steps"] == []
        if expect.steps is not None:
            assert sum(len(b["steps"]) for b in codes) == expect.steps


def test_internal_markers_in_prose_stay_prose(run: Run) -> None:
    _, _, out = run
    blocks = json.loads((out / "marker-in-prose" / "tutorial.json").read_text(encoding="utf-8"))["blocks"]
    assert [b["type"] for b in blocks] == ["prose", "code", "prose"]
    assert "TUTORCHECKCODEBLOCK99X" in blocks[0]["markdown"]


def test_nuls_never_reach_the_model(run: Run) -> None:
    _, _, out = run
    assert "\\u0000" not in (out / "nul-bytes" / "tutorial.json").read_text(encoding="utf-8")
