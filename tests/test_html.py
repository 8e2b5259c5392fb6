"""HTML → blocks: every highlighter convention keeps its claimed label and the reader's text."""

from __future__ import annotations

import pytest
from conftest import DATA

from extractor.feeds import load_source
from extractor.html import html_to_blocks
from extractor.model import CodeBlock, ProseBlock

# page → [(claimed label, text)] in order
EXPECTED = {
    "rouge.html": [("shell", "$ kubectl get pods -n demo\nNAME    READY   STATUS\nweb-1   1/1     Running\n")],
    "hljs.html": [("bash", 'pip install "requests>=2" && echo ok')],
    "prism.html": [("yaml", "name: demo"), ("python", "print('hi')")],
    "pygments.html": [("console", "$ python -m venv .venv\n"), ("python3", "import os\n")],
    "chroma.html": [("go", "package main\n"), ("toml", 'title = "x"\nbaseURL = "/"\n')],
    "github.html": [("shell", "git clone https://github.com/example/repo.git\ncd repo")],
    "wordpress.html": [("bash", "sudo apt-get install -y nginx"), ("php", '<?php echo "hi"; ?>'),
                       (None, "plain\ntwo lines")],
    "asciidoc.html": [("shell", "./gradlew build")],
    "bare.html": [(None, "total 0\n-rw-r--r-- 1 u u 0 a.txt"), (None, "outer start\ninner\nouter end")],
}


def _blocks(name: str) -> list:
    article = load_source(str(DATA / "pages" / name)).articles[0]
    return html_to_blocks(article.html, article.origin)


@pytest.mark.parametrize("page", sorted(EXPECTED), ids=lambda p: p.removesuffix(".html"))
def test_highlighter_convention_gives_label_and_reader_text(page: str) -> None:
    codes = [b for b in _blocks(page) if isinstance(b, CodeBlock)]
    assert [(c.label, c.text) for c in codes] == EXPECTED[page]
    assert [c.index for c in codes] == list(range(len(codes)))


def test_when_wrapper_has_a_caption_then_the_caption_stays_prose() -> None:
    prose = [b.markdown for b in _blocks("asciidoc.html") if isinstance(b, ProseBlock)]
    assert prose == ["Run it"]


def test_copy_button_chrome_is_not_prose() -> None:
    prose = " ".join(b.markdown for b in _blocks("rouge.html") if isinstance(b, ProseBlock))
    assert "fullscreen" not in prose
    assert "List the pods:" in prose and "Done." in prose


def test_prose_and_code_keep_article_order() -> None:
    kinds = [b.type for b in _blocks("bare.html")]
    assert kinds == ["prose", "code", "prose", "code"]


def test_line_number_gutter_is_not_a_block() -> None:
    texts = [b.text for b in _blocks("chroma.html") if isinstance(b, CodeBlock)]
    assert all(not t.strip().isdigit() for t in texts)


def test_markdown_keeps_links_lists_and_inline_code() -> None:
    from extractor.model import Origin

    html = '<h2>Setup</h2><ul><li>run <code>make</code></li></ul><p>See <a href="https://x.invalid/">docs</a>.</p>'
    [block] = html_to_blocks(html, Origin("inline"))
    assert isinstance(block, ProseBlock)
    assert block.markdown == "## Setup\n\n- run `make`\n\nSee [docs](https://x.invalid/)."


def test_scripts_and_styles_are_not_prose() -> None:
    from extractor.model import Origin

    html = "<p>Tweet:</p><blockquote>hi</blockquote><script>// Detect dark theme\nvar x=1;</script><style>p{}</style>"
    blocks = html_to_blocks(html, Origin("inline"))
    assert [b.markdown for b in blocks if isinstance(b, ProseBlock)] == ["Tweet:\n\n> hi"]


def test_relative_links_resolve_against_the_article_url() -> None:
    from extractor.model import Origin

    html = '<p><a href="/docs/x">x</a> <a href="#top">top</a> <img src="img/a.png" alt="a"></p>'
    [block] = html_to_blocks(html, Origin("inline"), "https://blog.invalid/posts/one")
    assert isinstance(block, ProseBlock)
    assert block.markdown == "[x](https://blog.invalid/docs/x) [top](#top) ![a](https://blog.invalid/posts/img/a.png)"
