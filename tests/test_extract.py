"""`tutorcheck extract` end to end: the seed acceptance, determinism, freshness of generated/,
and bad input that is reported while everything else is still written."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, FEEDS, ROOT, seed_labels

from extractor.cli import main
from extractor.pipeline import load_tutorials

SEED_FEEDS = [str(FEEDS / "devto-zhangjintao.rss.xml"), str(FEEDS / "hashnode-moelove.rss.xml")]


@pytest.fixture(scope="module")
def seed_tutorials() -> list:
    tutorials, errors = load_tutorials(SEED_FEEDS)
    assert errors == []
    return tutorials


def test_seeds_give_nine_articles_and_every_labelled_block(seed_tutorials: list) -> None:
    labels = seed_labels()
    by_title = {t.title: t for t in seed_tutorials}
    assert len(seed_tutorials) == 9
    total = 0
    for article in labels["articles"]:
        tutorial = by_title[article["title"]]
        assert [b.index for b in tutorial.code_blocks] == [b["n"] for b in article["blocks"]]
        assert all(b.label for b in tutorial.code_blocks), "every seed <pre> claims a language"
        total += len(article["blocks"])
    assert total == 44
    assert sum(len(t.code_blocks) for t in seed_tutorials) == 44


def test_cross_posted_seed_articles_have_aliases(seed_tutorials: list) -> None:
    crossed = [t for t in seed_tutorials if t.aliases]
    assert len(crossed) == 4
    for t in crossed:
        assert t.url.startswith("https://dev.to/") and t.aliases[0].startswith("https://blog.moelove.info/")


def test_claimed_label_is_kept_even_when_it_lies(seed_tutorials: list) -> None:
    gateway = next(t for t in seed_tutorials if "Multi-Tenant Gateways" in t.title)
    assert gateway.code_blocks[0].label == "jsx"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_extract_writes_the_layout_and_is_byte_identical_on_rerun(tmp_path: Path, capsys) -> None:
    out = tmp_path / "gen"
    assert main(["extract", *SEED_FEEDS, "-o", str(out)]) == 0
    first = _tree(out)
    assert main(["extract", *SEED_FEEDS, "-o", str(out)]) == 0
    assert _tree(out) == first
    index = json.loads((out / "index.json").read_text())
    assert index["schema"] == 1 and len(index["articles"]) == 9
    for entry in index["articles"]:
        folder = out / entry["slug"]
        for name in ("tutorial.json", f"{entry['slug']}.ipynb", f"{entry['slug']}.md", "check.sh", "Dockerfile"):
            assert (folder / name).is_file(), f"{folder}/{name}"
        nbformat.validate(nbformat.reads((folder / f"{entry['slug']}.ipynb").read_text(), as_version=4))
        model = json.loads((folder / "tutorial.json").read_text())
        assert model["schema"] == 1 and model["slug"] == entry["slug"]
    printed = capsys.readouterr().out
    assert "thoroughly-understand-events-in-kubernetes: 14 blocks" in printed


def test_generated_dir_is_fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """generated/ must be what `tutorcheck extract feeds` makes now (regenerate: make demo)."""
    out = tmp_path / "gen"
    monkeypatch.chdir(ROOT)  # sources are recorded as given: relative, as the demo gives them
    assert main(["extract", "feeds", "-o", str(out)]) == 0
    committed = ROOT / "generated"
    fresh, old = _tree(out), _tree(committed)
    stale = sorted(k for k in set(fresh) | set(old) if fresh.get(k) != old.get(k))
    assert not stale, f"generated/ is stale (run `make demo`): {stale[:10]}"


def test_bad_inputs_exit_2_name_the_item_and_the_rest_is_written(tmp_path: Path, capsys) -> None:
    out = tmp_path / "gen"
    code = main(["extract", str(DATA / "feeds"), str(tmp_path / "missing.xml"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "missing.xml: no such file or directory" in err
    assert "'An item with no body': item has no content" in err
    index = json.loads((out / "index.json").read_text())
    titles = {a["title"] for a in index["articles"]}
    assert {"A good item", "Summary only", "Not a feed at all"} <= titles


def test_huge_block_is_kept_but_not_analysed(tmp_path: Path, capsys) -> None:
    page = tmp_path / "big.html"
    body = "x" * (10 * 1024 * 1024)
    page.write_text(f"<html><head><title>Big</title></head><body><pre><code>{body}</code></pre>"
                    "<pre><code class='language-bash'>$ echo small\nsmall</code></pre></body></html>")
    out = tmp_path / "gen"
    assert main(["extract", str(page), "-o", str(out)]) == 0
    assert "block 0: code block is 10485760 characters" in capsys.readouterr().err
    model = json.loads((out / "big" / "tutorial.json").read_text())
    big, small = [b for b in model["blocks"] if b["type"] == "code"]
    assert big["kind"] == "text" and len(big["text"]) == 10 * 1024 * 1024
    assert small["steps"] and small["steps"][0]["command"] == "echo small"


def test_stale_article_folders_are_removed_on_rerun(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert main(["extract", str(DATA / "pages" / "rouge.html"), "-o", str(out)]) == 0
    assert main(["extract", str(DATA / "pages" / "hljs.html"), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["highlight-js-sample"]
    assert [a["slug"] for a in json.loads((out / "index.json").read_text())["articles"]] == ["highlight-js-sample"]


def test_no_source_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["extract"])
    assert info.value.code == 2


def test_worker_processes_give_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    import sys as _sys

    _sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import write_corpus

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, per_feed=20)
    assert main(["extract", str(corpus), "-o", str(tmp_path / "one"), "--jobs", "1"]) == 0
    assert main(["extract", str(corpus), "-o", str(tmp_path / "two"), "--jobs", "2"]) == 0
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert len(json.loads(one["index.json"])["articles"]) == 28  # 40 items, cross-posts merged
    assert one == two


def test_errors_cross_process_boundaries_intact() -> None:
    import pickle

    from extractor.errors import ItemError

    error = pickle.loads(pickle.dumps(ItemError("feed.xml › 'x'", "item has no content")))
    assert isinstance(error, ItemError) and str(error) == "feed.xml › 'x': item has no content"
