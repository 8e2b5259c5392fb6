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
from extractor.understand.files import excerpt_reason
from extractor.understand.titles import caption_path, label_line

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
        ("docs/source/settings.py", "file", "python", "docs/source/settings.py"),  # hll: the change, applied
        ("The crumbs it prints", "output", "text", None),
    ],
    "mdbook.html": [
        (None, "file", "toml", "Cargo.toml"),
        (None, "file", "rust", "src/main.rs"),
        (None, "fragment", "rust", None),  # // --snip--: an excerpt, never written over the file
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


def test_asciidoc_callouts_leave_the_commands_and_stay_as_notes() -> None:
    session, manifest, plain = codes("asciidoc-callouts.html")
    assert [s.command for s in session.steps] == ["./configure --prefix=/opt/app", "make install"]
    assert session.notes == ("line 1: callout 1", "line 2: callout 2")
    assert manifest.text == "name: app\nreplicas: 2"  # the file written has no markers
    assert manifest.notes == ("line 1: callout 1", "line 2: callout 2")
    assert [s.command for s in plain.steps] == ["make test", "make dist"]
    assert all(not c.defects and all(k.ok for k in c.checks) for c in (session, manifest, plain))


def test_material_annotation_marker_is_a_callout_and_sql_values_are_code() -> None:
    serve, insert = codes("material-annotations.html")
    assert [s.command for s in serve.steps] == ["python3 -m http.server 8000"]
    assert serve.notes == ("line 1: callout 1",)
    assert insert.text.startswith("INSERT INTO t VALUES (1);") and insert.notes == ()


# block → (console, block lang, [(step lang, command)], needs)
CONSOLES = [
    ("psql", "shell", [("shell", "psql -d shop"), ("psql", "\\d"), ("psql", "SELECT name\n  FROM items;")]),
    ("psql", "sql", [("psql", "SELECT count(*) FROM items;")]),
    ("sqlite3", "shell", [("shell", "sqlite3 notes.db"), ("sqlite3", "CREATE TABLE notes(body TEXT);"),
                          ("sqlite3", "INSERT INTO notes\nVALUES ('hi');"),
                          ("sqlite3", "SELECT count(*) FROM notes;")]),
    ("mysql", "sql", [("mysql", "SELECT 1 +\n1;")]),
    ("redis-cli", "redis", [("redis-cli", "SET visits 1"), ("redis-cli", "INCR visits")]),
    ("node", "shell", [("shell", "node"), ("node", "[1, 2].map(x => x * 2)"), ("node", ".exit")]),
    ("irb", "ruby", [("irb", "[1, 2].sum")]),
    (None, "python", [("python", "total = 2 + 2"), ("python", "total")]),
]


def test_other_consoles_are_recognised_with_their_steps_and_outputs() -> None:
    found = codes("consoles.html")
    assert [(c.console, c.lang, [(s.lang, s.command) for s in c.steps]) for c in found] == CONSOLES
    psql = found[0]
    assert psql.steps[0].expected_output is None  # the greeting is printed only to a terminal
    assert psql.steps[1].expected_output.splitlines()[-1] == "(1 row)"
    assert found[4].steps[1].expected_output == "(integer) 2\n"
    assert "tool:psql" in psql.steps[1].needs and "tool:redis-cli" in found[4].steps[0].needs
    assert all(not c.defects and all(k.ok for k in c.checks) for c in found)


def test_templates_language_listings_sql_trees_and_output_make_no_steps() -> None:
    found = codes("not-shell.html")
    assert [(c.lang, c.kind) for c in found] == [
        ("template", "fragment"), ("template", "fragment"), ("template", "fragment"),
        ("rust", "fragment"), ("c", "fragment"), ("java", "fragment"), ("sql", "fragment"),
        ("text", "text"), ("shell", "session"), ("text", "output")]
    assert [len(c.steps) for c in found] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert found[8].steps[0].expected_output == "rustc 1.74.0 (79e9716c9 2023-11-13)\n"  # "You should see"
    assert all(not c.defects for c in found)
    # a label set aside says on what evidence (a template in its host's label is no defect of the page)
    assert found[0].notes == ("labelled 'html', read as a fragment (template): template tags ({% %}, {{ }}, <% %>)",)
    assert [c.notes for c in found[2:]] == [()] * 8  # the labels that were right


def test_a_label_set_aside_names_the_evidence() -> None:
    shown = understand_blocks((CodeBlock(0, "Python 3.11.2\n", label="bash"),), "t", "t")[0]
    assert isinstance(shown, CodeBlock) and shown.kind == "output"
    assert shown.notes == ("labelled 'bash', read as program output (text): no prompt, and no line is a command "
                           "a shell runs",)
    tree = understand_blocks((CodeBlock(0, "app/\n├── main.py\n└── util.py\n", label="bash"),), "t", "t")[0]
    assert isinstance(tree, CodeBlock) and tree.notes == ()  # the defect says it
    assert tree.defects == ("labelled 'bash' but it is a directory tree (text), not shell",)


def test_a_file_is_followed_across_the_versions_the_article_shows() -> None:
    found = codes("versions.html")
    assert [(c.kind, c.filename) for c in found] == [
        ("file", "site.yml"),    # named by the paragraph that speaks of editing it
        ("file", "site.yml"),    # repeats the whole first version: its next version
        ("fragment", None),      # "Edit site.yml and add": the change only, never written over it
        ("file", "count.rs"),    # "in a file `count.rs`:"
        ("file", "count.rs"),    # unnamed, but repeats most of count.rs: its next version
        ("file", "test_count.py"),  # "# content of test_count.py"
        ("fragment", None),      # "Add a dependency to Shelf.toml": an excerpt of a file not shown
    ]
    assert found[2].notes == ("an excerpt of site.yml: the prose asks to change the file, not to write it",
                              "cannot be placed in the version of site.yml shown before, which stays as it was")
    assert found[4].notes == ("a new version of count.rs: it repeats 75% of its lines",)


def test_a_windows_tab_beside_a_posix_block_is_its_alternative_not_its_output() -> None:
    posix, windows, output = codes("tabs.html")
    assert posix.steps[0].expected_output == "42\n"  # the output after the tabs is the POSIX command's
    assert windows.prompt == "PS> " and windows.steps[0].expected_output is None
    assert "tool:powershell" in windows.steps[0].needs


def test_a_windows_block_introduced_for_windows_readers_is_the_posix_commands_twin_not_the_owner_of_its_output(
) -> None:
    count, find, _, mkdir, new_item, _, listing, _ = codes("windows-twins.html")
    assert count.steps[0].expected_output == "3\n"  # past "On Windows, from the Command Prompt:" and its C:\>
    assert mkdir.steps[0].expected_output == "results\n"  # past "In PowerShell, type:" and its PS>
    assert (find.steps[0].expected_output, new_item.steps[0].expected_output) == (None, None)
    assert listing.prompt == "...\\project> " and "tool:cmd" in listing.steps[0].needs  # a cmd prompt cut short
    assert listing.steps[0].expected_output == "notes.txt\n"  # a Windows-only command keeps its own output


def test_a_block_whose_class_says_output_is_the_output_of_the_command_before_it_whatever_the_prose() -> None:
    listing, _, count, _, note, written = codes("output-classes.html")
    assert listing.steps[0].expected_output == "bill.txt\nnote.txt\n"  # language-output
    assert count.steps[0].expected_output == "2\n"  # Sphinx's highlight-console-output, after "Then:"
    assert note.steps[0].expected_output is None and written.kind == "text"  # a text block the prose does not present


def test_icon_glyphs_of_tab_labels_and_permalinks_stay_out_of_the_markdown() -> None:
    article = load_source(str(READING / "tabs.html")).articles[0]
    prose = " ".join(b.markdown for b in html_to_blocks(article.html, article.origin) if b.type == "prose")
    assert "Linux Windows" in prose
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in prose)


def test_hidden_lines_belong_to_the_file_written_not_the_text_shown() -> None:
    lib, main, module, run = codes("mdbook-hidden.html")
    assert (lib.kind, lib.filename) == ("file", "src/lib.rs")
    assert lib.text.startswith("pub fn double") and lib.content.startswith("#![allow(unused)]\npub fn double")
    # mdBook's fn main() {…} around a listing without one is its playground's, not the file's
    assert (module.filename, module.content) == ("src/greet.rs", module.text)
    assert module.text == "pub fn hello() -> &'static str {\n    \"hello\"\n}\n"


def test_a_listing_declared_not_to_compile_carries_that_outcome() -> None:
    lib, main, _, run = codes("mdbook-hidden.html")
    assert (lib.outcome, main.outcome, run.outcome) == (None, "does-not-compile", None)
    assert (main.kind, main.filename) == ("file", "src/main.rs")
    assert run.steps[0].expected_output.startswith("   Compiling counter")


def test_another_possible_response_is_an_alternative_expected_output() -> None:
    from extractor.matching import compare

    flip = codes("alternatives.html")[0]
    expected = flip.steps[0].expected_output
    assert compare(expected, "heads\n").ok and compare(expected, "tails\n").ok
    assert not compare(expected, "edge\n").ok
    assert "-heads" in compare(expected, "edge\n").diff  # the diff is against the first shown


def test_docbook_titles_and_lines_for_a_dotfile_are_files_not_commands() -> None:
    bashrc, desktop, edit = codes("docbook.html")
    # "Add to the ~/.bashrc file.": lines for the reader's own file, written as the article gives them
    assert (bashrc.kind, bashrc.filename, bashrc.steps) == ("file", "~/.bashrc", ())
    assert bashrc.notes == ("lines to add to ~/.bashrc, a file of the reader's own: written as the article gives them",)
    assert (desktop.caption, desktop.kind, desktop.filename) == (
        "Example 3.1. The shelf.desktop file", "file", "shelf.desktop")
    assert (edit.kind, edit.steps) == ("fragment", ())  # "edit X and replace the line with:"


def test_network_is_needed_by_what_a_toolchain_would_fetch_not_by_its_name() -> None:
    _, offline, _, online, _, mixed = codes("toolchains.html")
    assert [(s.command, "network" in s.needs) for s in offline.steps] == [
        ("cargo build", False), ("cargo run", False), ("cargo update", True)]  # no dependency to fetch
    assert online.steps[0].command == "cargo build" and "network" in online.steps[0].needs  # itoa = "1"
    assert {s.command: "network" in s.needs for s in mixed.steps} == {
        "go run main.go": False, "go mod tidy": True, "git clone ../tally tally-copy": False,
        "cd tally-copy": False, "git pull": False, "rsync -a ./ /tmp/tally-backup/": False,
        "python3 -m pip install itoa": True}


def test_an_excerpt_that_places_unambiguously_is_applied_to_the_last_whole_version() -> None:
    found = codes("sphinx-captions.html")
    applied = found[2]
    assert applied.text == "plugins = [\n    'crumbs.plain',\n    'crumbs.fancy',\n]\n"  # as shown
    assert applied.content == "plugins = [\n    'crumbs.plain',\n    'crumbs.fancy',\n]\n"
    assert applied.notes == ("an excerpt of docs/source/settings.py, applied to the version shown before "
                             "(its first and last lines place it)",)
    snip = codes("mdbook.html")[2]
    assert (snip.kind, snip.filename) == ("fragment", None)  # its new line has nothing to place it by
    assert snip.notes[-1] == "cannot be placed in the version of src/main.rs shown before, which stays as it was"


@pytest.mark.parametrize(("whole", "excerpt", "result"), [
    ("a = [\n  1,\n]\nb = 2\n", "a = [\n  1,\n  2,\n]\n", "a = [\n  1,\n  2,\n]\nb = 2\n"),
    ("fn main() {\n    one();\n}\n", "fn main() {\n    // --snip--\n    one();\n    two();\n}\n",
     "fn main() {\n    one();\n    two();\n}\n"),
    ("x {\n}\ny {\n}\n", "{\n  z\n}\n", None),  # '{' places nowhere in particular
    ("a\nb\n", "c\nd\n", None),
])
def test_splice(whole: str, excerpt: str, result: str | None) -> None:
    from extractor.understand.files import splice

    assert splice(whole, excerpt) == result


def test_a_first_line_that_only_names_the_file_is_a_caption_not_a_line_of_the_file() -> None:
    area, _, main, conf, helpers = codes("caption-comments.html")
    assert (area.kind, area.filename) == ("file", "test_area.py")
    assert area.text.startswith("# content of test_area.py\n")  # shown to the reader as the page shows it
    assert area.content.split("\n")[5] == "    assert area(2, 2) == 5"  # line 6, as the output says
    assert area.notes[-1] == ("its first line (# content of test_area.py) names the file: "
                              "a caption, not a line of the file")
    assert (main.filename, main.content.split("\n", 1)[0]) == ("cmd/area/main.go", "package main")
    assert (conf.filename, conf.content) == ("conf/shapes.yaml", "unit: cm\nprecision: 2\n")
    assert helpers.content == helpers.text  # a comment that says more than the name is the author's


@pytest.mark.parametrize(("text", "filename", "kept"), [
    ("# content of test_x.py\nx = 1\n", "test_x.py", "x = 1\n"),
    ("// file: main.go\npackage main\n", "cmd/main.go", "package main\n"),
    ("<!-- docs/index.md -->\n# Home\n", "docs/index.md", "# Home\n"),
    ("# content of other.py\nx = 1\n", "test_x.py", None),  # names another file
    ("# x = 1\ny = 2\n", "test_x.py", None),
])
def test_caption_line(text: str, filename: str, kept: str | None) -> None:
    from extractor.understand.captions import caption_line

    found = caption_line(text, filename)
    assert (found[1] if found else None) == kept


@pytest.mark.parametrize(("text", "stripped", "notes"), [
    ("docker build -t app .   # (1)\ndocker run app          # (2)\n", "docker build -t app .\ndocker run app\n", 2),
    ("let x = 1; // <1>\nlet y = 2; // <2>\n", "let x = 1;\nlet y = 2;\n", 2),  # numbered comments
    ("SELECT 1; -- (1)\nSELECT 2; -- (2)\n", "SELECT 1;\nSELECT 2;\n", 2),
    ("mkdocs serve # (1)!\n", "mkdocs serve\n", 1),  # Material's annotation marker
    ("INSERT INTO t VALUES (1)\n", "INSERT INTO t VALUES (1)\n", 0),  # code, not a callout
    ("a = f(1)\nb = f(3)\n", "a = f(1)\nb = f(3)\n", 0),
])
def test_callout_markers_leave_the_code_and_become_notes(text: str, stripped: str, notes: int) -> None:
    from extractor.understand.callouts import strip

    assert strip(text)[0] == stripped and len(strip(text)[1]) == notes


@pytest.mark.parametrize(("text", "console", "commands"), [
    ("shop=# SELECT 1\nshop-# + 1;\n ?column?\n----------\n        2\n(1 row)\n", "psql", ["SELECT 1\n+ 1;"]),
    ("shop=> SELECT (1\nshop(> + 1);\n", "psql", ["SELECT (1\n+ 1);"]),
    ("sqlite> SELECT 1\n   ...> + 1;\n2\n", "sqlite3", ["SELECT 1\n+ 1;"]),
    ("MariaDB [(none)]> SELECT 1\n    -> + 1;\n", "mysql", ["SELECT 1\n+ 1;"]),
    ("irb(main):001:0> def two\nirb(main):002:1>   2\nirb(main):003:1> end\n=> :two\n", "irb", ["def two\n  2\nend"]),
    ("irb(main):001> [1,\nirb(main):002*  2]\n=> [1, 2]\n", "irb", ["[1,\n 2]"]),  # irb 1.6's prompts
])
def test_a_consoles_continuation_prompt_goes_on_with_the_statement(text: str, console: str,
                                                                  commands: list[str]) -> None:
    block = understand_blocks((CodeBlock(0, text),), "t", "t")[0]
    assert isinstance(block, CodeBlock) and block.console == console
    assert [s.command for s in block.steps] == commands


def test_lines_for_a_file_of_the_readers_own_are_that_file_and_add_up() -> None:
    profile, more, rc, lint, pin, change = codes("home-files.html")
    assert [(c.kind, c.filename) for c in (profile, more, rc, lint, pin)] == [
        ("file", "~/.profile"), ("file", "~/.profile"),
        ("file", "~/.shelfrc"),  # "can be kept in ~/.shelfrc as follows."
        ("file", "~/.shelflint.ini"),  # the sentence ends with the name: no colon needed
        ("file", "/etc/apt/preferences.d/shelf.pref")]
    assert more.content == 'SHELF_NAME="Ada Lovelace"\nexport SHELF_NAME\nalias sh-build="shelf build --quiet"'
    assert more.notes[-1] == "added after the lines block 0 gives ~/.profile"
    assert "root" in pin.needs  # a folder of the system
    assert (change.kind, change.filename) == ("fragment", None)  # "replace the alias line with:" changes it


def test_a_projects_layout_puts_short_names_in_its_folder() -> None:
    control, rules, install, updated, desktop = codes("layouts.html")
    assert [(c.kind, c.filename) for c in (control, rules, install, updated, desktop)] == [
        ("file", "debian/control"),  # "The `control` file", in a page that names debian/ paths
        ("file", "debian/rules"),
        ("file", "debian/shelf-docs.install"),
        ("file", "debian/shelf-docs.install"),  # "The new `debian/shelf-docs.install` looks like this:"
        ("file", "shelf-docs.desktop")]  # no Debian packaging file: at the top of the tree
    assert control.notes == ("control of a Debian source package: debian/control",)


def test_a_cell_above_a_listing_in_a_table_introduces_it() -> None:
    nav, yaml_twin, sub, shorter, readme = codes("side-by-side.html")
    assert (nav.caption, nav.kind, nav.filename) == ("write the file nav.md:", "file", "docs/nav.md")
    assert (yaml_twin.caption, yaml_twin.kind) == (None, "fragment")  # "(the same in YAML:)" introduces no file
    assert (sub.caption, sub.filename) == ("and the file guide/nav.md:", "docs/guide/nav.md")
    assert (shorter.kind, shorter.filename) == ("file", "docs/nav.md")  # "Write the file": whole, though shorter
    assert readme.filename == "README.md"  # beside mkdocs.yml, not a page of the site


def test_prose_after_a_listing_that_points_back_names_it_and_an_elided_signature_is_no_excerpt() -> None:
    program, build, signed, command = codes("named-after.html")
    assert (command.kind, command.filename) == ("text", None)  # "will write a file called x. The command"
    assert (program.kind, program.lang, program.filename) == ("file", "c", "greet.c")
    assert build.filename is None
    assert (signed.kind, signed.filename) == ("file", "shelf_1.0.commands")  # "for instance `x.commands`:"


def test_a_listing_that_defines_a_files_function_again_is_an_excerpt_and_what_uses_the_file_is_skipped() -> None:
    from extractor.model import SourceRef, Tutorial
    from extractor.plan import make_plan
    from extractor.vocab import ActionKind, NeedKind

    found = codes("redefined.html")
    whole, change, helper = found[0], found[2], found[4]
    assert (whole.kind, whole.filename) == ("file", "greet.py")
    assert (change.kind, change.filename, change.excerpt_of) == ("fragment", None, "greet.py")
    assert change.notes[0] == "an excerpt of greet.py: it defines greet again, which greet.py defines"
    assert found[1].steps[0].needs == ()  # before the change: the file shown whole
    assert found[3].steps[0].needs == ("excerpt:greet.py:2",)
    assert (helper.kind, helper.excerpt_of) == ("fragment", None)  # defines nothing greet.py has
    plan = make_plan(Tutorial(slug="g", title="", url="", source=SourceRef("t", "html"), blocks=tuple(found)))
    run = next(a for a in plan.actions if a.block == 3 and a.step == 0)
    assert (run.kind, run.need) == (ActionKind.SKIP, NeedKind.EXCERPT)
    assert run.reason.startswith("uses greet.py as block 2 changes it, but that block is an excerpt")


def test_a_listing_declared_to_fail_makes_the_step_that_builds_it_expected_to_fail() -> None:
    from extractor.model import SourceRef, Tutorial
    from extractor.plan import make_plan

    found = codes("declared-outcomes.html")
    assert [c.outcome for c in found if c.kind == "file"] == [None, "panics", "does-not-compile", None]
    builds = [c.steps[0] for c in found if c.steps]
    assert [(s.command, s.facts.expected_failure) for s in builds] == [
        ("cargo run", "the page declares that block 1 panics when run"),
        ("cargo build", "the page declares that block 3 does not compile"),
        ("cargo build", "")]  # the fixed version builds
    plan = make_plan(Tutorial(slug="t", title="", url="", source=SourceRef("t", "html"), blocks=tuple(found)))
    runs = [a for a in plan.actions if a.command.startswith("cargo") and a.runs]
    assert [(a.expect_fail, a.authored) for a in runs] == [
        (True, "the page declares that block 1 panics when run"),
        (True, "the page declares that block 3 does not compile"), (False, "")]


def test_a_console_whose_prompt_names_the_program_is_a_session_of_it() -> None:
    from extractor.model import SourceRef, Tutorial
    from extractor.plan import Place, make_plan

    found = codes("named-consoles.html")
    assert [(c.kind, c.lang, c.console) for c in found] == [
        ("session", "octave", "octave"), ("session", "octave", "octave"), ("session", "octave", "octave"),
        ("session", "julia", "julia"), ("session", "maxima", "maxima"), ("session", "sage", "sage"),
        ("session", "gp", "gp"), ("session", "shell", "R")]
    squares, function, plot, julia, maxima, sage, gp, r = found
    assert [(s.command, s.expected_output) for s in squares.steps] == [
        ("v = [3 4 5] .^ 2", "v =\n\n    9   16   25\n"), ("sum (v)", "ans = 50\n")]
    assert [s.command for s in function.steps] == ["function y = twice (x)\n  y = 2 * x;\nendfunction", "twice (21)"]
    assert plot.steps[0].needs == ("gui", "tool:octave") and squares.steps[0].needs == ("tool:octave",)
    assert julia.steps[0].expected_output.startswith("3-element Vector{Int64}:")
    assert maxima.steps[0].command == "expand((a+b)^2);" and "(%o1)" in maxima.steps[0].expected_output
    assert sage.steps[0].command == "for k in range(2):\n    print(k)" and sage.steps[0].expected_output == "0\n1\n"
    assert gp.steps[0].command == "factor(91)"
    assert [(s.lang, s.command) for s in r.steps] == [
        ("shell", "R --quiet"), ("R", "x <- c(1,\n  2)"), ("R", "mean(x)"), ("R", "q()"), ("shell", "ls")]
    assert all(not c.defects for c in found)
    # nothing here runs these consoles: each statement is skipped, saying which console; a plot
    # first needs a display
    tutorial = Tutorial(slug="t", title="t", url="", source=SourceRef("test", "html"), blocks=tuple(found))
    skips = {(a.block, a.step): (a.need, a.reason) for a in make_plan(tutorial, Place.CHECK).actions
             if a.kind == "skip"}
    assert skips[(0, 0)] == ("lang", "typed at the GNU Octave (octave) console, which tutorcheck does not run")
    assert skips[(2, 0)][0] == "gui"
    assert skips[(7, 1)] == ("lang", "typed at the R (R) console, which tutorcheck does not run")


def test_a_yaml_key_named_like_a_prompt_is_no_console() -> None:
    herbs = understand_blocks((CodeBlock(0, "sage: thyme\nbasil: 2\n", label="yaml"),), "t", "t")[0]
    assert isinstance(herbs, CodeBlock) and (herbs.lang, herbs.kind, herbs.steps) == ("yaml", "fragment", ())


def test_a_line_that_runs_a_program_the_article_names_is_a_command() -> None:
    prefixed, bobs, listed, cleared, announced, xinitrc, desktop, layout = codes("named-programs.html")
    assert [(c.kind, [s.command for s in c.steps]) for c in (prefixed, bobs, cleared, desktop)] == [
        ("commands", ["tarpit cc -O2 -c widget.c"]),  # tarpit(1): the manual's own program
        ("commands", ["tarpit cc -c /home/bob/src/widget.c"]),
        ("commands", ["wobble --reset 'hits; misses'"]),  # a program the article's session runs
        ("commands", ["xdotool key ctrl+l"])]  # a program of the desktop
    # "with the command", but a program the article never names: run, it would only be "not found"
    assert (announced.kind, announced.steps) == ("text", ())
    assert listed.kind == "session"
    assert "file:widget.c" in prefixed.steps[0].needs
    assert "file:/home/bob/src/widget.c" in bobs.steps[0].needs  # Bob's home is not the reader's
    assert "gui" in desktop.steps[0].needs
    assert (xinitrc.kind, xinitrc.steps) == ("text", ())  # "a line like this": a line of a file
    assert (layout.kind, layout.steps) == ("text", ())


def test_in_an_article_typed_at_one_console_an_announced_example_is_typed_there() -> None:
    session, equation, announced, example = codes("console-article.html")
    assert session.console == "julia" and (equation.kind, equation.steps) == ("text", ())
    assert [(c.kind, c.console, [(s.lang, s.command) for s in c.steps]) for c in (announced, example)] == [
        ("commands", "julia", [("julia", "pwd()")]), ("commands", "julia", [("julia", "methods(sqrt)")])]


def test_a_block_the_prose_gives_for_another_system_is_skipped_for_it_and_leaves_no_gap() -> None:
    from extractor.model import SourceRef, Tutorial
    from extractor.plan import make_plan

    linked, copied, mac, listed = codes("platforms.html")
    assert "os:file systems that cannot hold symbolic links" in copied.steps[0].needs
    assert "os:macOS" in mac.steps[0].needs
    assert not any(n.startswith("os:") for b in (linked, listed) for n in b.needs)  # Debian is the sandbox's
    tutorial = Tutorial(slug="t", title="t", url="", source=SourceRef("test", "html"),
                        blocks=(linked, copied, mac, listed))
    actions = {(a.block, a.step): a for a in make_plan(tutorial).actions if a.kind != "static"}
    assert [(actions[(1, n)].need, actions[(1, n)].reason) for n in (0, 1)] == [
        ("os", "is for file systems that cannot hold symbolic links, as the prose says: not the sandbox's Linux"),
        ("os", "follows step 0 of this block, which cannot run (is for file systems that cannot hold symbolic "
               "links, as the prose says: not the sandbox's Linux)")]
    assert actions[(2, 0)].need == "os" and "macOS" in actions[(2, 0)].reason
    assert actions[(3, 0)].kind == "shell"  # another system's steps leave no gap


def test_lines_the_prose_adds_to_a_file_of_the_readers_own_are_written_as_given() -> None:
    settings, imported, more, verbose = codes("yours.html")
    # "add these lines to your project's `settings.py`": the reader's own file, which the article
    # never shows whole, so the lines it gives are all there is of it
    assert (settings.kind, settings.filename, settings.notes) == ("file", "settings.py", (
        "lines to add to settings.py, a file of the reader's own: written as the article gives them",))
    assert (more.kind, more.filename) == ("fragment", None)  # "add ... to `settings.py`": a change, not lines of theirs
    # "your `settings.py`" once the article has shown it: the article's file, and a change to it
    assert (verbose.kind, verbose.filename) == ("fragment", None)
    assert verbose.notes == ("cannot be placed in the version of settings.py shown before, which stays as it was",)
