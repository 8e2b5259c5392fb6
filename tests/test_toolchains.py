"""Toolchains as a reader meets them: what a build or install would fetch decides its network
need, and a test runner's output shown with none of its report is the page's mistake (sample
pages in tests/data/toolchains/, written for these tests)."""

from __future__ import annotations

import pytest
from conftest import DATA

from extractor.feeds import load_source
from extractor.html import html_to_blocks
from extractor.model import CodeBlock
from extractor.understand import toolchains, understand_blocks
from extractor.understand.shellsplit import invocations
from extractor.vocab import NeedKind

TOOLCHAINS = DATA / "toolchains"


def codes(page: str) -> list[CodeBlock]:
    """The understood code blocks of a sample page."""
    article = load_source(str(TOOLCHAINS / page)).articles[0]
    blocks = understand_blocks(tuple(html_to_blocks(article.html, article.origin)), page, article.title)
    return [b for b in blocks if isinstance(b, CodeBlock)]


def test_output_shown_under_a_test_run_must_have_a_line_of_the_runners_report() -> None:
    found = {b.index: [(c.ok, c.message) for c in b.checks if c.name == "runner-report"] for b in codes(
        "runner-reports.html")}
    assert found[0] == [(True, "")]  # go test's ok line
    assert [ok for ok, _ in found[1]] == [False]  # a log file's lines under cargo test
    assert "has no line of cargo test's report" in found[1][0][1]
    assert found[2] == [(True, "")]  # pytest -q: its progress line and N passed
    assert found[3] == []  # an elided report: only part of it is shown
    assert found[4] == []  # a version query is no test run
    assert found[5] == []  # a listing, and output filtered by grep
    assert [ok for ok, _ in found[6]] == [False]  # another program's output under go test


# command → (needs the network, where it goes) in tests/data/toolchains/fetches.html
FETCHES = {
    "go vet ./...": (False, ()), "go build -o wc .": (False, ()),  # only the standard library and its own package
    "go install ./...": (False, ()),
    "go run example.org/tools/cmd/stringer@v0.1.0 -help": (True, ("proxy.golang.org:443", "sum.golang.org:443")),
    "go get example.org/tools": (True, ("proxy.golang.org:443", "sum.golang.org:443")),
    "npm install": (False, ()),  # package.json lists no packages
    "npm install left-pad": (True, ("registry.npmjs.org:443",)),
    "python3 -m pip install --no-build-isolation -e .": (False, ()),  # no dependencies, built with what is there
    "python3 -m pip install -e .": (True, ("pypi.org:443", "files.pythonhosted.org:443")),  # setuptools, isolated
    "python3 -m pip install requests": (True, ("pypi.org:443", "files.pythonhosted.org:443")),
    "gcc -O2 -o count count.c": (False, ()), "cmake -S . -B build": (False, ()), "cmake --build build": (False, ()),
    "make check": (False, ()), "cargo new --lib wcrs": (False, ()), "cd wcrs": (False, ()),
    "cargo clippy": (False, ()),  # the project cargo new made lists no dependency
    "cargo install --path .": (False, ()),
    "cargo install ripgrep": (True, ("index.crates.io:443", "static.crates.io:443")),
    "rsync -av rsync://mirror.example.net/wc/ mirror/": (True, ("mirror.example.net:873",)),
    "rsync -a mirror.example.net::wc/ mirror/": (True, ("mirror.example.net:873",)),
    "rsync -a mirror/ backup/": (False, ()),
    "git clone ./mirror wc-copy": (False, ()), "git clone file:///srv/git/wc.git wc-shared": (False, ()),
}


def test_a_toolchain_needs_the_network_for_what_it_would_fetch_and_says_where() -> None:
    found = {s.command: ("network" in s.needs, tuple(n.value for n in s.facts.needs if n.kind == NeedKind.NETWORK))
             for b in codes("fetches.html") for s in b.steps}
    assert found == FETCHES


@pytest.mark.parametrize(("files", "fetches"), [
    ({"go.mod": "module example.org/wc\n", "main.go": 'import "example.org/wc/util"\n'}, False),
    ({"main.go": 'import "example.org/wc/util"\n', "go.mod": "module example.org/wc\n"}, False),  # either order
    ({"go.mod": "module example.org/wc\n", "main.go": 'import (\n\t"fmt"\n\t"golang.org/x/text"\n)\n'}, True),
    ({"go.mod": "module example.org/wc\n\nrequire golang.org/x/text v0.3.0\n"}, True),
    ({"main.go": 'import "os"\n'}, False),
])
def test_go_fetches_only_modules_outside_its_own(files: dict[str, str], fetches: bool) -> None:
    projects = toolchains.Projects()
    for name, text in files.items():
        projects.saw_file(name, text)
    assert projects.fetches["go"] is fetches


@pytest.mark.parametrize(("pyproject", "command", "fetches"), [
    ('[project]\nname = "a"\n[build-system]\nrequires = ["setuptools"]\n', "pip install -e .", True),
    ('[project]\nname = "a"\n[build-system]\nrequires = ["setuptools"]\n', "pip install --no-build-isolation .", False),
    ('[project]\nname = "a"\ndependencies = ["click"]\n', "pip install --no-build-isolation -e .", True),
    ('[project]\nname = "a"\n[build-system]\nrequires = []\n', "pip install -e .", False),
    (None, "pip install --no-build-isolation -e .", True),  # a project the article never shows: unknown
    ('[project]\nname = "a"\n', "pip install -r requirements.txt --no-build-isolation", True),
])
def test_pip_fetches_a_local_projects_dependencies_and_its_isolated_build(pyproject: str | None, command: str,
                                                                          fetches: bool) -> None:
    projects = toolchains.Projects()
    if pyproject is not None:
        projects.saw_file("pyproject.toml", pyproject)
    assert toolchains.fetches(invocations(command)[0], projects) is fetches


def test_cargo_workspace_dependencies_come_from_the_registry() -> None:
    projects = toolchains.Projects()
    projects.saw_file("Cargo.toml", '[workspace]\nmembers = ["a"]\n[workspace.dependencies]\nitoa = "1"\n')
    assert toolchains.fetches(invocations("cargo build")[0], projects) is True


def test_a_library_a_compiler_links_is_assumed_until_the_page_builds_it() -> None:
    _, before, _, after = codes("rust-libraries.html")
    assert "file:libshapes.rlib" in before.steps[0].needs  # kept from an earlier chapter: the reader's own
    assert after.steps[0].needs == ("tool:rustc",)  # rustc --crate-type=lib shapes.rs writes libshapes.rlib
    assert after.steps[1].needs == ("tool:rustc",)


def test_a_bare_word_in_angle_brackets_is_a_blank_to_fill_not_two_redirections() -> None:
    blanks, html = codes("blanks.html")
    assert [tuple(n.value for n in s.facts.needs if n.kind == NeedKind.PLACEHOLDER) for s in blanks.steps] == [
        ("<release>",), (), ("<dir>",), ("<dir>",)]
    assert "root" not in blanks.steps[2].needs  # <dir>/bin/ is the reader's folder, not /bin
    assert not blanks.defects and all(c.ok for c in blanks.checks)  # no "not valid shell syntax"
    assert all("placeholder" not in s.needs for s in html.steps)  # quoted tags, real redirections, a heredoc's HTML


AUTHORS_RUN = """\
   Compiling wc v0.3.0 (file:///projects/wc)
    Finished `release` profile [optimized] target(s) in 2.02s
     Running `target/release/wc`
2
"""
READERS_RUN = """\
   Compiling wc v0.3.0 (/home/tutor/wc)
    Finished release [optimized] target(s) in 0.98s
     Running `target/release/wc`
2
"""


@pytest.mark.parametrize(("change", "same"), [
    (None, True),  # another folder, another cargo's wording of the profile, another time
    (("wc v0.3.0 (/home", "wc v0.4.0 (/home"), False),  # another version of the crate
    (("wc v0.3.0 (/home", "wcx v0.3.0 (/home"), False),  # another crate
    (("Finished release", "Finished dev"), False),  # another profile
    (("2\n", "3\n"), False),  # the program's own output
    (("   Compiling wc v0.3.0 (/home/tutor/wc)\n", ""), False),  # nothing compiled
])
def test_cargos_status_lines_are_compared_by_crate_version_and_profile(change: tuple[str, str] | None,
                                                                     same: bool) -> None:
    from extractor.matching import compare

    actual = READERS_RUN.replace(*change) if change else READERS_RUN
    found = compare(AUTHORS_RUN, actual)
    assert (found.ok, found.rule if same else "") == (same, "build-status" if same else "")


def test_a_cargo_subcommand_of_its_own_is_the_program_of_another_package() -> None:
    from extractor.pipeline import load_tutorials
    from extractor.plan import make_plan

    (block,) = codes("cargo-subcommands.html")
    tools = {s.command: sorted(n for n in s.needs if n.startswith("tool:")) for s in block.steps}
    assert tools == {"cargo new --lib tidy": ["tool:cargo"], "cd tidy": [],
                     "cargo fmt --check": ["tool:cargo", "tool:cargo-fmt"],
                     "cargo clippy": ["tool:cargo", "tool:cargo-clippy"],
                     "cargo watch -x test": ["tool:cargo", "tool:cargo-watch"], "cargo test": ["tool:cargo"]}
    (tutorial,), _ = load_tutorials([TOOLCHAINS / "cargo-subcommands.html"])
    plan = make_plan(tutorial)
    assert {"cargo", "rustfmt", "rust-clippy"} <= set(plan.packages)  # from Debian, into the article's layer
    watch = next(a for a in plan.actions if a.command == "cargo watch -x test")
    assert (watch.kind, watch.need) == ("skip", NeedKind.TOOL)  # Debian has no cargo-watch


def test_build_systems_that_download_as_they_configure_or_start_need_the_network() -> None:
    found = {s.command: tuple(n.value for n in s.facts.needs if n.kind == NeedKind.NETWORK)
             for b in codes("jvm-and-cmake.html") for s in b.steps}
    assert found == {
        "cmake -S . -B build": ("",),  # FetchContent in CMakeLists.txt: its URL is the file's, not the step's
        "cmake --build build": (), "cmake --version": (),
        "mvn -v": (), "mvn -q package": ("repo.maven.apache.org:443",),  # Maven's plugins, on a first build
        "./gradlew test": ("services.gradle.org:443",),  # the wrapper downloads Gradle itself
        "composer install": ("repo.packagist.org:443",), "composer dump-autoload": ()}
