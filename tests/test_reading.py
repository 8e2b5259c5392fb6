"""Reading real generators' pages: the model a careful reader would extract from each
convention (sample pages in tests/data/reading/, written for these tests, imitating each
generator's markup)."""

from __future__ import annotations

import pytest
from conftest import DATA

from extractor.feeds import load_source
from extractor.html import html_to_blocks
from extractor.model import CodeBlock
from extractor.understand import understand_blocks
from extractor.understand.files import caption_path, excerpt_reason, label_line

READING = DATA / "reading"


def codes(page: str) -> list[CodeBlock]:
    """The understood code blocks of a sample page."""
    article = load_source(str(READING / page)).articles[0]
    blocks = understand_blocks(tuple(html_to_blocks(article.html, article.origin)), page, article.title)
    return [b for b in blocks if isinstance(b, CodeBlock)]


# page → [(caption the markup shows, kind, lang, filename)] for every code block, in order
FILES = {
    "sphinx-captions.html": [
        ("crumbs/core.py", "file", "python", "crumbs/core.py"),
        ("docs/source/settings.py", "file", "python", "docs/source/settings.py"),
        ("docs/source/settings.py", "fragment", "python", "docs/source/settings.py"),  # hll: the change only
        ("The crumbs it prints", "output", "text", None),
    ],
    "mdbook.html": [
        (None, "file", "toml", "Cargo.toml"),
        (None, "file", "rust", "src/main.rs"),
        (None, "fragment", "rust", "src/main.rs"),  # // --snip--
    ],
    "material.html": [
        ("site/config.yml", "file", "yaml", "site/config.yml"),
        ("tools/build.py", "file", "python", "tools/build.py"),
    ],
    "docusaurus.html": [("src/components/Hello.js", "file", "javascript", "src/components/Hello.js")],
    "hugo.html": [
        ("config/_default/params.toml", "file", "toml", "config/_default/params.toml"),
        ("layouts/partials/footer.html", "file", "html", "layouts/partials/footer.html"),
    ],
    "asciidoc-titles.html": [
        ("scripts/build.sh", "file", "shell", "scripts/build.sh"),
        ("Example 1. What it prints", "output", "text", None),
    ],
    "attributes.html": [
        ("src/app/main.go", "file", "go", "src/app/main.go"),
        ("conf/app.json", "file", "json", "conf/app.json"),
    ],
    "prose-names.html": [
        (None, "file", "python", "app/views.py"),   # "In `app/views.py`, add ..."
        (None, "file", "python", "app/util.py"),    # "create a file\ncalled `app/util.py`" (wrapped)
        (None, "file", "text", "app/templates/base.txt"),  # a line that is only the path
    ],
}


@pytest.mark.parametrize("page", sorted(FILES), ids=lambda p: p.removesuffix(".html"))
def test_when_the_page_titles_a_listing_with_a_path_then_it_is_that_file(page: str) -> None:
    found = codes(page)
    expected = FILES[page]
    assert [(c.kind, c.lang, c.filename) for c in found] == [e[1:] for e in expected]
    shown = [c.caption for c in found]
    assert [e[0] for e in expected if e[0]] == [s for s in shown if s and not s.startswith("Filename:")]


def test_mdbook_filename_paragraph_is_the_listings_caption() -> None:
    assert [c.caption for c in codes("mdbook.html")] == ["Filename: Cargo.toml", "Filename: src/main.rs",
                                                         "Filename: src/main.rs"]


def test_sphinx_caption_drops_the_listing_counter_and_the_permalink() -> None:
    assert codes("sphinx-captions.html")[1].caption == "docs/source/settings.py"


def test_highlighted_lines_are_carried_on_the_block() -> None:
    assert [c.highlighted for c in codes("sphinx-captions.html")] == [(), (), (3,), ()]


@pytest.mark.parametrize(("title", "path"), [
    ("Filename: src/main.rs", "src/main.rs"),
    ("File: `app/views.py`", "app/views.py"),
    (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
    ("Dockerfile", "Dockerfile"),
    ("Output", None),
    ("Example 1. What it prints", None),
    ("~/notes.txt", None),
    ("docs/", None),
])
def test_caption_path(title: str, path: str | None) -> None:
    assert caption_path(title) == path


@pytest.mark.parametrize(("before", "path"), [
    ("Write this.\n\nFilename: src/lib.rs", "src/lib.rs"),
    ("**pkg/my\\_module.py**", "pkg/my_module.py"),
    ("`Cargo.toml`:", "Cargo.toml"),
    ("Run it:", None),
    ("Edit app.py and run it.", None),
])
def test_label_line(before: str, path: str | None) -> None:
    assert label_line(before) == path


@pytest.mark.parametrize(("text", "excerpt"), [
    ("fn main() {\n    // --snip--\n}\n", True),
    ("import os\n# ...\nprint(1)\n", True),
    ("a = 1\n...\n", True),
    ("<div>\n  <!-- existing code omitted -->\n</div>\n", True),
    ("# rest of the file unchanged\nx = 1\n", True),
    ("def stub():\n    ...\n", False),
    ("const all = [...items];\n", False),
    ("# build the image\nx = 1\n", False),
])
def test_excerpt_markers(text: str, excerpt: bool) -> None:
    assert (excerpt_reason(text) is not None) is excerpt
