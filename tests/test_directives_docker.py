"""The directives sample for real (Docker engine): `tutorcheck check` with no arguments in its
folder does the configured check and passes; the broken sample fails exactly its expected
failure that succeeds, and its misspelt directives are errors naming file and line while the
rest is checked; check.sh and the notebook's Run All obey the same directives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.docker

DATA = Path(__file__).resolve().parent / "data"
TUTORCHECK = str(Path(sys.executable).parent / "tutorcheck")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "1", "TUTORCHECK_SAMPLE_NAME": "ada"}
    return subprocess.run([TUTORCHECK, *args], cwd=cwd, text=True, capture_output=True, timeout=900, env=env)


def steps(results: dict[str, Any], slug: str) -> dict[str, tuple[str, str]]:
    article = next(a for a in results["articles"] if a["slug"] == slug)
    return {s["command"]: (s["status"], s["reason"]) for s in article["steps"] if s["action"] != "static"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project") / "sample"
    shutil.copytree(DATA / "directives", root)
    (root / ".git").mkdir()  # a repository's root, as a docs project has
    return root


def test_check_with_no_arguments_does_the_configured_check_and_passes(sample: Path) -> None:
    proc = run(sample, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "unfinished" not in proc.stdout + proc.stderr  # docs/drafts is excluded (its directive is misspelt)
    results = json.loads((sample / "out" / "results.json").read_text(encoding="utf-8"))  # the configured report
    assert sorted(a["slug"] for a in results["articles"]) == [
        "directives", "guide-environment", "packing-a-folder-with-tar", "python-setup"]
    assert (sample / "out" / "report.md").is_file() and (sample / ".tutorcheck-cache").is_dir()
    md = steps(results, "directives")
    assert md["printf 'pear\\napple\\nfig\\n' > fruit.txt"] == ("passed", "the author: setup")
    assert md["wc -l < fruit.txt"] == ("passed", "")  # passes because the hidden setup ran
    assert md["cat vegetables.txt"] == (
        "passed", "expected to fail, and failed (exit status 1); the author: expect-fail")
    assert md["scp fruit.txt deploy@example.com:/srv/fruit.txt"] == (
        "skipped", "skipped by the author: publishing needs the author's server")
    assert md["rm -f fruit.txt"] == ("passed", "the author: teardown")  # after a skip by the author: no gap
    for command, rule in (("cat fruit.txt", "unordered"), ('echo "pid $$"', "regex"), ("seq 1 50", "ellipsis"),
                          ("date +%s", "ignore")):
        assert md[command] == ("passed", f"the author: output={rule}")
    assert md["yarn --version"] == ("passed", "the author: an earlier block provides tool:yarn; a version query: "
                                    "judged by its exit status (the version a reader has may differ)")
    assert md['test -n "$TUTORCHECK_SAMPLE_NAME" && echo "name given"'][0] == "passed"  # env passed through
    assert md['curl -s "file://$PWD/fruit.txt" | sort | head -n 1'] == ("passed", "the author: needs=-network")
    python = steps(results, "python-setup")  # the hidden Python set-up ran in the article's interpreter
    assert python["""[r["name"] for r in sorted(records, key=lambda r: r["price"])]"""] == ("passed", "")
    assert python["""records[0]["colour"]"""][0] == "passed"
    page = steps(results, "packing-a-folder-with-tar")
    assert page["tar -tf site.tar | sort"] == ("passed", "")
    assert page["tar -xf missing.tar"][0] == "passed"


def test_an_expected_failure_that_succeeds_fails_and_misspelt_directives_are_errors(sample: Path) -> None:
    proc = run(sample, "check", str(DATA / "directives-broken"), "--json", "broken.json", "--no-cache")
    assert proc.returncode == 2, proc.stdout + proc.stderr  # unreadable input: the misspelt directives
    assert f"{DATA / 'directives-broken' / 'unknown.md'} › 'A misspelt directive': line 10: unknown directive " \
           "'expect-failure'; valid directives: skip [reason], expect-fail," in proc.stderr
    assert "unknown.rst › 'A misspelt directive in reST': line 4: unknown directive 'skipp'" in proc.stderr
    broken = steps(json.loads((sample / "broken.json").read_text(encoding="utf-8")), "expectations")
    assert broken['echo "this succeeds"'] == ("failed", "expected to fail, but it succeeded (exit status 0); "
                                                        "the author: expect-fail")
    assert broken["ls no-such-folder"] == ("passed", "expected to fail, and failed (exit status 2); "
                                                     "the author: expect-fail")


def test_check_sh_and_the_notebook_obey_the_directives(sample: Path) -> None:
    out = sample / "generated"
    assert run(sample, "extract", "docs", "-o", str(out)).returncode == 2  # the draft's misspelt directive
    script = subprocess.run(["bash", str(out / "directives" / "check.sh")], text=True, capture_output=True,
                            timeout=600)
    assert script.returncode == 0, script.stdout + script.stderr
    assert "PASS     block 3 step 0: cat vegetables.txt -- expected to fail, and failed (exit status 1); " \
           "the author: expect-fail" in script.stdout
    assert "SKIP     block 13 step 0: scp fruit.txt deploy@example.com:/srv/fruit.txt -- skipped by the author: " \
           "publishing needs the author's server" in script.stdout
    notebook = run(sample, "notebook", str(out / "directives"))
    assert notebook.returncode == 0, notebook.stdout + notebook.stderr
    assert "cell   2 passed  wc -l < fruit.txt (exact)" in notebook.stdout  # the hidden set-up cell ran first
    assert "cell   4 passed  cat vegetables.txt (expected to fail, and failed)" in notebook.stdout


def test_a_configured_image_is_the_sandbox_the_steps_run_in(tmp_path: Path) -> None:
    import io

    import docker

    from extractor.sandbox.images import KIND_LABEL, toolbox_tag

    client = docker.from_env()
    tag = f"tutorcheck/test-project-base:{os.getpid()}"
    recipe = f"FROM {toolbox_tag()}\nUSER root\nRUN echo ours > /etc/project-base\nUSER tutor\n"
    client.images.build(fileobj=io.BytesIO(recipe.encode()), tag=tag, labels={KIND_LABEL: "test"}, rm=True,
                        forcerm=True, network_mode="none")
    try:
        (tmp_path / ".git").mkdir()
        (tmp_path / "tutorcheck.toml").write_text(f'sources = ["base.md"]\nimage = "{tag}"\n', encoding="utf-8")
        (tmp_path / "base.md").write_text("# Our base\n\n```console\n$ cat /etc/project-base\nours\n```\n",
                                          encoding="utf-8")
        proc = run(tmp_path, "check", "--no-cache", "--json", "r.json")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["articles"][0]
        assert result["image"] == tag  # no package to add: the configured image itself
        assert steps({"articles": [result]}, result["slug"])["cat /etc/project-base"] == ("passed", "")
    finally:
        client.images.remove(tag, force=True)


def test_the_notebook_gives_a_cell_its_authors_timeout(tmp_path: Path) -> None:
    (tmp_path / "slow.md").write_text("# Slow\n\n<!-- tutorcheck: timeout=30 -->\n```console\n$ sleep 3 && echo done\n"
                                      "done\n```\n", encoding="utf-8")
    assert run(tmp_path, "extract", "slow.md", "-o", "gen").returncode == 0
    notebook = run(tmp_path, "notebook", "gen/slow", "--timeout", "1")  # every other cell: 1 s
    assert notebook.returncode == 0, notebook.stdout + notebook.stderr
    assert "cell   1 passed  sleep 3 && echo done (exact)" in notebook.stdout
