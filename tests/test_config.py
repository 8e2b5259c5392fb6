"""The project's configuration: [tool.tutorcheck] in pyproject.toml or tutorcheck.toml (the file
wins), validated with errors naming the key and what it allows; the command line overrides it;
`check` with no arguments takes the configured sources, without the excluded ones."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.check_command import passed_through, with_config
from extractor.cli import _parser
from extractor.config import KEYS, configured_sources, excluded, load_config
from extractor.errors import UsageError
from extractor.options import RunOptions
from extractor.plan import make_plan
from extractor.targets import load_targets

SAMPLE = Path(__file__).resolve().parent / "data" / "directives"
TUTORCHECK = str(Path(sys.executable).parent / "tutorcheck")


def project(tmp_path: Path, pyproject: str = "", toml: str = "") -> Path:
    (tmp_path / ".git").mkdir()  # the repository's root: the search stops here
    if pyproject:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    if toml:
        (tmp_path / "tutorcheck.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def check_args(*argv: str) -> argparse.Namespace:
    return _parser().parse_args(["check", *argv])


def test_the_sample_section_is_read_with_every_key_it_sets() -> None:
    config = load_config(SAMPLE / "docs" / "guide")  # from a folder below: the nearest configuration
    assert config.root == SAMPLE
    assert config.origin == f"{SAMPLE / 'pyproject.toml'} [tool.tutorcheck]"
    assert config.get("timeout") == 30 and config.get("allow-network") is False and config.get("jobs") == 2
    assert config.report("json") == str(SAMPLE / "out" / "results.json")


def test_tutorcheck_toml_wins_over_pyproject(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.tutorcheck]\ntimeout = 10\njobs = 3\n', 'timeout = 20\n')
    config = load_config(root)
    assert (config.get("timeout"), config.get("jobs")) == (20, 3)
    assert config.origin.endswith("tutorcheck.toml") and "pyproject.toml" in config.origin


def test_a_pyproject_without_the_section_is_no_configuration(tmp_path: Path) -> None:
    root = project(tmp_path, '[project]\nname = "x"\n')
    assert load_config(root).values == {}


@pytest.mark.parametrize("text, says", [
    ("timout = 5", "unknown key 'timout'; valid keys: sources, exclude, timeout, article-timeout, allow-network"),
    ("timeout = -5", "timeout: expected a positive number of seconds (per step), got -5"),
    ("timeout = true", "timeout: expected a positive number of seconds (per step), got True"),
    ('allow-network = "yes"', "allow-network: expected true or false, got 'yes'"),
    ('env = ["API TOKEN"]', "env: expected a list of variable names passed through from the environment"),
    ('packages = ["Jq!"]', "packages: expected a list of Debian package names"),
    ("sources = 'docs'", "sources: expected a list of paths or globs (docs/**/*.md), got 'docs'"),
    ('reports = {xml = "r.xml"}', "reports: expected a table of report files: json = PATH, junit = PATH, markdown"),
    ("jobs = 0", "jobs: expected a positive whole number, got 0"),
])
def test_a_bad_value_names_the_file_the_key_and_what_it_allows(tmp_path: Path, text: str, says: str) -> None:
    root = project(tmp_path, toml=text + "\n")
    with pytest.raises(UsageError, match=re.escape(says)) as error:
        load_config(root)
    assert str(root / "tutorcheck.toml") in str(error.value)


def test_pyproject_errors_name_the_section(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.tutorcheck]\njobs = 'two'\n")
    with pytest.raises(UsageError, match=re.escape("pyproject.toml [tool.tutorcheck]: jobs: expected a positive")):
        load_config(root)


def test_toml_that_does_not_parse_is_an_error_naming_the_file(tmp_path: Path) -> None:
    root = project(tmp_path, toml="timeout = \n")
    with pytest.raises(UsageError, match="tutorcheck.toml: not valid TOML"):
        load_config(root)


def test_every_key_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert all(re.search(rf"^{re.escape(key)} = ", readme, re.M) for key in KEYS if key != "reports")
    assert "[tool.tutorcheck.reports]" in readme


def test_sources_folders_stay_folders_globs_are_expanded_and_exclusions_are_not_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLE)
    config = load_config()
    assert configured_sources(config) == ["docs", "pages/archive.html"]
    assert excluded(config) == {(SAMPLE / "docs" / "drafts" / "unfinished.md").resolve()}
    found, errors = load_targets(configured_sources(config), excluded(config))
    assert not errors  # the draft's misspelt directive is never read
    assert sorted(t.slug for t in found) == ["directives", "guide-environment", "packing-a-folder-with-tar",
                                             "python-setup"]  # slugs by path below the folder, as `check docs`


def test_a_source_that_names_nothing_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, toml='sources = ["manual/*.md"]\n')
    monkeypatch.chdir(root)
    with pytest.raises(UsageError, match=re.escape("sources: 'manual/*.md' names no file")):
        configured_sources(load_config())


def test_the_command_line_overrides_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLE)
    args, _ = with_config(check_args())
    assert (args.timeout, args.jobs, args.allow_network) == (30, 2, False)
    assert args.targets == ["docs", "pages/archive.html"]
    assert args.json_path == str(SAMPLE / "out" / "results.json") and args.junit_path is None
    assert args.configured == {key: f"{SAMPLE / 'pyproject.toml'} [tool.tutorcheck]"
                               for key in ("timeout", "article-timeout", "allow-network", "jobs")}
    args, _ = with_config(check_args("docs/guide", "--timeout", "5", "--jobs", "1", "--allow-network",
                                     "--json", "mine.json"))
    assert (args.timeout, args.jobs, args.allow_network, args.json_path) == (5, 1, True, "mine.json")
    assert args.targets == ["docs/guide"] and "timeout" not in args.configured


def test_without_a_configuration_the_defaults_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project(tmp_path))
    args, config = with_config(check_args())
    assert (args.timeout, args.jobs, args.allow_network, args.targets, args.configured) == (60, 1, False, [], {})
    assert config.origin == ""


def test_configured_env_names_pass_through_only_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TC_SET", "value")
    monkeypatch.delenv("TC_UNSET", raising=False)
    assert passed_through(["TC_SET", "TC_UNSET"]) == {"TC_SET": "value"}


def test_a_verdict_the_configuration_decided_says_so(tmp_path: Path) -> None:
    from extractor.pipeline import load_tutorials

    page = tmp_path / "fetch.md"
    page.write_text("# Fetch\n\n```console\n$ curl -sO https://example.com/data.csv\n```\n", encoding="utf-8")
    (t,), _ = load_tutorials([page])
    options = RunOptions(configured={"allow-network": "pyproject.toml [tool.tutorcheck]"})
    assert make_plan(t, options=options).actions[0].reason == (
        "needs the network (run with --allow-network; allow-network from pyproject.toml [tool.tutorcheck] is false)")
    assert make_plan(t).actions[0].reason == "needs the network (run with --allow-network)"


def test_configured_packages_reach_the_image_and_the_cache_key() -> None:
    options = RunOptions(packages=("jq", "tree"), image="example/toolbox:1")
    from extractor.model import tutorial_from_json

    t = tutorial_from_json({"slug": "s", "title": "t", "url": "u", "blocks": []})
    assert set(make_plan(t, options=options).packages) >= {"jq", "tree"}
    assert options.cache_key()["packages"] == ["jq", "tree"] and options.cache_key()["image"] == "example/toolbox:1"
    assert "packages" not in RunOptions().cache_key()


def test_check_with_a_bad_configuration_exits_2_naming_the_key(tmp_path: Path) -> None:
    root = project(tmp_path, toml="timeout = 0\n")
    proc = subprocess.run([TUTORCHECK, "check"], cwd=root, text=True, capture_output=True, timeout=120,
                          env={**os.environ, "CI": "1"})
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"tutorcheck: {root / 'tutorcheck.toml'}: timeout: expected a positive number "
                                   "of seconds (per step), got 0")
