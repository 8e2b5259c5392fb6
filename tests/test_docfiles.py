"""Markdown and reST files → articles: metadata, code blocks with their claimed language,
caption and source line, and the same understanding as the HTML path."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import DATA

from extractor.docfiles.fences import Info, directive_body, parse_info
from extractor.docfiles.markup import path_slug
from extractor.feeds import load_source, load_sources
from extractor.html import html_to_blocks
from extractor.model import CodeBlock, ProseBlock, Tutorial
from extractor.pipeline import extract_command, load_tutorials

DOCS = DATA / "docs"


@pytest.mark.parametrize(("info", "expected"), [
    ("bash", Info("bash")),
    ('bash title="install.sh"', Info("bash", "install.sh")),
    ("python filename=app.py", Info("python", "app.py")),
    ("{.python .numberLines}", Info("python")),
    ('{.yaml title="ci.yml"}', Info("yaml", "ci.yml")),
    ("python {linenos=true}", Info("python")),
    ("js:app.js", Info("js", "app.js")),
    ("{code-block} Python", Info("python", directive="code-block")),
    ("{note}", Info(directive="note")),
    ("console", Info("console")),
    ("", Info()),
], ids=lambda v: v if isinstance(v, str) else "")
def test_fence_info_strings_are_evidence_like_classes(info: str, expected: Info) -> None:
    assert parse_info(info) == expected


def test_myst_options_as_fields_or_yaml() -> None:
    assert directive_body(":caption: app.py\n:linenos:\n\nprint(1)\n") == (
        {"caption": "app.py", "linenos": ""}, "print(1)\n", 3)
    assert directive_body("---\ncaption: x.sh\n---\necho hi\n") == ({"caption": "x.sh"}, "echo hi\n", 3)
    assert directive_body("print(1)\n") == ({}, "print(1)\n", 0)


@pytest.mark.parametrize(("path", "root", "words"), [
    ("docs/intro.md", "docs", "intro"),
    ("docs/guide/install.md", "docs", "guide install"),
    ("docs/guide/index.md", "docs", "guide"),
    ("docs/guide/README.md", None, "guide"),
    ("intro.rst", None, "intro"),
])
def test_slug_words_come_from_the_path(path: str, root: str | None, words: str) -> None:
    assert path_slug(path, root) == words


def _codes(t: Tutorial) -> list[CodeBlock]:
    return list(t.code_blocks)


def _by_slug() -> dict[str, Tutorial]:
    tutorials, errors = load_tutorials([DOCS])
    assert errors == []
    return {t.slug: t for t in tutorials}


def test_markdown_sample_metadata_blocks_and_lines() -> None:
    t = _by_slug()["counting-words"]
    assert (t.title, t.author, t.published, t.tags) == (
        "Counting words with Python and the shell", "tutorcheck", "2026-11-01T00:00:00Z", ("python", "shell"))
    assert t.source.to_json() == {"feed": str(DOCS / "counting-words.md"), "format": "markdown"}
    got = [(c.label, c.kind, c.caption, c.filename, c.line) for c in _codes(t)]
    assert got == [
        ("console", "session", None, None, 13),
        ("python", "file", "count.py", "count.py", 22),
        ("console", "session", None, None, 31),
        ("pycon", "session", None, None, 38),
        ("bash", "file", "summary.sh", "summary.sh", 46),
        ("console", "session", None, None, 50),
    ]
    lines = (DOCS / "counting-words.md").read_text().split("\n")
    for code in _codes(t):  # every line names the block's first line of code, every step its command
        assert lines[code.line - 1] == code.text.split("\n")[0]  # type: ignore[operator]
        assert code.source is not None and code.source.to_json() == {"path": str(DOCS / "counting-words.md"),
                                                                      "line": code.line}
        for step in code.steps:
            assert step.line is not None and step.command.split("\n")[0] in lines[step.line - 1]
    assert [s.line for s in _codes(t)[0].steps] == [13, 14, 15]


def test_rst_sample_metadata_blocks_and_lines() -> None:
    t = _by_slug()["guide-environment"]
    assert (t.title, t.author, t.published, t.tags) == (
        "Environment variables in bash", "tutorcheck", "2026-10-01T00:00:00Z", ("shell", "python"))
    got = [(c.label, c.kind, c.caption, c.filename, c.line, [s.line for s in c.steps]) for c in _codes(t)]
    assert got == [
        ("console", "session", None, None, 13, [13, 14]),
        ("python", "file", "greet.py", "greet.py", 20, []),
        ("console", "session", None, None, 28, [28]),
        ("pycon", "session", None, None, 33, [33]),
    ]
    prose = "\n".join(b.markdown for b in t.blocks if isinstance(b, ProseBlock))
    assert "Author" not in prose  # the field list is metadata, not prose
    assert "The `env` command lists every variable." in prose  # a Sphinx role read as its text


def test_html_comments_stay_in_the_html_for_author_directives() -> None:
    article = load_source(str(DOCS / "counting-words.md")).articles[0]
    assert "<!-- a comment an author left for tools -->" in article.html


def test_unknown_rst_directives_and_roles_are_never_code(tmp_path: Path) -> None:
    doc = tmp_path / "odd.rst"
    doc.write_text("Odd\n===\n\n.. frobnicate:: x\n   :opt: 1\n\n   body\n\nSee :unknownrole:`y`.\n\n"
                   ".. code:: bash\n   :number-lines:\n\n   echo hi\n")
    article = load_source(str(doc)).articles[0]
    codes = [b for b in html_to_blocks(article.html, article.origin) if isinstance(b, CodeBlock)]
    assert [(c.label, c.text, c.line) for c in codes] == [("bash", "echo hi", 14)]


def test_two_files_with_one_title_stay_two_articles(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "install.md").write_text("# Installation\n\n```console\n$ echo hi\nhi\n```\n")
    tutorials, errors = load_tutorials([tmp_path])
    assert errors == [] and sorted(t.slug for t in tutorials) == ["a-install", "b-install"]


def test_a_quoted_glob_names_the_files_it_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    (tmp_path / "docs" / "one.md").write_text("# One\n")
    (tmp_path / "docs" / "deep" / "two.md").write_text("# Two\n")
    (tmp_path / "docs" / "notes.txt").write_text("x\n")
    monkeypatch.chdir(tmp_path)
    loaded = load_sources(["docs/**/*.md"])
    assert sorted(a.title for a in loaded.articles) == ["One", "Two"] and loaded.errors == []
    missing = load_sources(["nothing/*.md"])
    assert [e.what for e in missing.errors] == ["no such file or directory"]


def test_bad_front_matter_is_a_note_and_the_file_is_still_read(tmp_path: Path) -> None:
    doc = tmp_path / "bad.md"
    doc.write_text("---\ntitle: [unclosed\n---\n\n# Heading\n")
    loaded = load_sources([str(doc)])
    assert [a.title for a in loaded.articles] == ["Heading"]
    assert len(loaded.notes) == 1 and str(doc) in loaded.notes[0] and "front matter" in loaded.notes[0]


def test_non_utf8_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    doc = tmp_path / "latin1.md"
    doc.write_bytes("# Caf\xe9\n".encode("latin-1"))
    loaded = load_sources([str(tmp_path)])
    assert loaded.articles == [] and str(doc) in str(loaded.errors[0]) and "UTF-8" in str(loaded.errors[0])


@pytest.mark.parametrize(("html", "caption"), [
    ('<div class="literal-block-wrapper"><div class="code-block-caption"><span class="caption-text">app.py</span>'
     '</div><div class="highlight-python"><pre>print(1)</pre></div></div>', "app.py"),
    ('<figure><figcaption>deploy.yaml</figcaption><pre><code class="language-yaml">a: 1</code></pre></figure>',
     "deploy.yaml"),
    ('<div class="highlight"><span class="filename">run.sh</span><pre><code>echo hi</code></pre></div>', "run.sh"),
    ('<pre data-title="x.sh"><code>echo</code></pre>', "x.sh"),
    # a heading of the article around its only block is not a caption
    ('<div><h1 class="title">My post</h1><p>Some words.</p><pre>echo</pre></div>', None),
])
def test_page_captions_by_convention(html: str, caption: str | None) -> None:
    from extractor.model import Origin

    codes = [b for b in html_to_blocks(html, Origin("page.html")) if isinstance(b, CodeBlock)]
    assert [c.caption for c in codes] == [caption]


def test_samples_give_notebooks_and_check_scripts_like_the_html_path(tmp_path: Path) -> None:
    assert extract_command([str(DOCS)], tmp_path, workers=1) == 0
    index = json.loads((tmp_path / "index.json").read_text())
    assert [a["slug"] for a in index["articles"]] == ["counting-words", "guide-environment"]
    for slug in ("counting-words", "guide-environment"):
        folder = tmp_path / slug
        nb = nbformat.read(folder / f"{slug}.ipynb", as_version=4)
        nbformat.validate(nb)
        code_cells = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code_cells and (folder / "check.sh").stat().st_mode & 0o111
        assert "docker" in (folder / "check.sh").read_text()
        data = json.loads((folder / "tutorial.json").read_text())
        assert all(b["source"]["line"] for b in data["blocks"] if b["type"] == "code")
    nb = nbformat.read(tmp_path / "counting-words" / "counting-words.ipynb", as_version=4)
    assert any("count.py" in c.source for c in nb.cells if c.cell_type == "code")  # the file is written


def test_a_generated_folder_inside_the_docs_is_not_read_back(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "intro.md").write_text("# Intro\n\n```console\n$ echo hi\nhi\n```\n")
    assert extract_command([str(docs)], docs / "generated", workers=1) == 0
    assert (docs / "generated" / "intro" / "intro.md").is_file()
    tutorials, errors = load_tutorials([docs])
    assert errors == [] and [t.slug for t in tutorials] == ["intro"]


def test_a_file_the_parser_chokes_on_is_an_error_naming_it_and_the_rest_go_on(tmp_path: Path) -> None:
    (tmp_path / "deep.rst").write_text("Deep\n====\n\n" + "".join("  " * n + "- x\n\n" for n in range(400)))
    (tmp_path / "ok.md").write_text("# OK\n")
    loaded = load_sources([str(tmp_path)])
    assert [a.title for a in loaded.articles] == ["OK"]
    assert [e.where for e in loaded.errors] == [str(tmp_path / "deep.rst")]
    assert "cannot be read as rst: RecursionError" in loaded.errors[0].what
