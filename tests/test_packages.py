"""Language packages a tutorial installs (pip, npm): the facts, the plan, the image layer.

Pure logic here; the samples in tests/data/packages/ run on the real engine at the end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.model import Tutorial
from extractor.options import RunOptions
from extractor.pipeline import load_tutorials
from extractor.plan import Place, make_plan
from extractor.sandbox import layers
from extractor.understand.facts import command_facts
from extractor.understand.packages import language_packages, requirements
from extractor.vocab import ActionKind, NeedKind, StepStatus

SAMPLES = Path(__file__).resolve().parent / "data" / "packages"


@pytest.mark.parametrize(("command", "manager", "packages"), [
    ("pip install flask", "pip", ("pip:flask",)),
    ("python -m pip install Django==3.2.*", "pip", ("pip:Django==3.2.*",)),
    ("sudo pip3 install -U 'requests>=2,<3'", "pip3", ("pip:requests>=2,<3",)),
    ("pip install -r requirements.txt", "pip", ("pip-r:requirements.txt",)),
    ("pipx install black", "pipx", ("pip:black",)),
    ("npm install express@4", "npm", ("npm:express@4",)),
    ("npm i -g @vue/cli", "npm", ("npm:@vue/cli",)),
    ("yarn add react react-dom", "yarn", ("npm:react", "npm:react-dom")),
    ("pnpm add zod", "pnpm", ("npm:zod",)),
    (". .venv/bin/activate && pip install flask", "pip", ("pip:flask",)),
])
def test_an_install_step_names_its_manager_and_packages(command: str, manager: str, packages: tuple[str, ...]) -> None:
    facts = command_facts(command, ["network"])
    assert facts.installs is not None and facts.installs.manager == manager
    assert facts.installs.packages == packages == facts.packages


@pytest.mark.parametrize("command", [
    "pip install -e .",  # the project itself: no registry package
    "pip install ./dist/pkg-1.0-py3-none-any.whl",
    "pip install git+https://example.org/x.git",
    "npm install",  # the project's dependencies, not named here
    "pip install flask && flask run",  # does more than install
    "cargo install ripgrep",  # crates.io is not a registry the image can reach
])
def test_what_is_not_only_a_registry_install_is_not_provided(command: str) -> None:
    assert command_facts(command, ["network"]).installs is None


def test_pip_alone_can_run_offline_from_the_images_wheels_npm_cannot() -> None:
    venv = "python3 -m venv .venv && . .venv/bin/activate && pip install flask"
    assert language_packages(venv).packages == ("pip:flask",) and command_facts(venv, ["network"]).packages_offline
    assert not command_facts("npm install express && node app.js", ["network"]).packages_offline
    assert not command_facts("pip install flask && curl -s https://example.org", ["network"]).packages_offline
    assert not command_facts("pip install flask && git clone repo", ["network"]).packages_offline


def test_a_requirements_file_gives_its_registry_requirements() -> None:
    text = "# web\nflask>=2.2  # the app\n-e .\nrequests==2.31.0\n./local\n\n"
    assert requirements(text) == ("pip:flask>=2.2", "pip:requests==2.31.0")


@pytest.fixture(scope="module")
def samples() -> dict[str, Tutorial]:
    found, errors = load_tutorials(sorted(SAMPLES.glob("*.html")))
    assert not errors
    return {t.slug: t for t in found}


def _by_command(t: Tutorial, place: Place = Place.CHECK) -> dict[str, tuple[ActionKind, str]]:
    return {a.command: (a.kind, a.reason) for a in make_plan(t, place, RunOptions()).actions}


def test_the_plan_has_the_image_install_what_the_steps_install(samples: dict[str, Tutorial]) -> None:
    flask = make_plan(samples["a-tiny-flask-app"], Place.CHECK, RunOptions())
    assert "pip:flask" in flask.packages
    kind, reason = _by_command(samples["a-tiny-flask-app"])["pip install flask"]
    assert kind == ActionKind.PROVIDED and "installs Python packages (flask) with pip" in reason
    express = make_plan(samples["hello-express"], Place.CHECK, RunOptions())
    assert "npm:express" in express.packages
    assert _by_command(samples["hello-express"])["npm install express"][0] == ActionKind.PROVIDED


def test_in_a_virtual_environment_pip_runs_from_the_images_wheels(samples: dict[str, Tutorial]) -> None:
    t = samples["flask-in-a-virtual-environment"]
    plan = make_plan(t, Place.CHECK, RunOptions())
    assert "pip:flask>=2.2" in plan.packages  # from the requirements.txt the article shows
    kind, reason = _by_command(t)["pip install -r requirements.txt"]
    assert kind == ActionKind.SHELL and not reason  # it runs: it fills the environment the article made


def test_every_place_decides_the_same_for_install_steps(samples: dict[str, Tutorial]) -> None:
    for t in samples.values():  # none writes outside its folder, the one thing places differ on
        decided = {place: _by_command(t, place) for place in Place}
        assert any("install" in c for c in decided[Place.CHECK])
        for place in Place:
            assert decided[place] == decided[Place.CHECK], (t.slug, place)


def test_a_requirements_file_the_article_never_shows_is_a_skip_naming_it() -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    step = Step(command="pip install -r requirements.txt", needs=("network",),
                facts=command_facts("pip install -r requirements.txt", ["network"]))
    t = Tutorial(slug="t", title="t", url="", source=SourceRef("x", "html"),
                 blocks=(CodeBlock(index=0, text="$ pip install -r requirements.txt", lang="shell", kind="session",
                                   steps=(step,)),))
    (action,) = make_plan(t, Place.CHECK, RunOptions()).actions
    assert action.kind == ActionKind.SKIP and action.need == NeedKind.NETWORK
    assert "requirements.txt, which the article does not show" in action.reason


def test_the_layer_splits_debian_pip_and_npm() -> None:
    layer = layers.Layer.of(["jq", "pip:flask==3.*", "npm:express@4", "pip:click"])
    assert layer == layers.Layer(debian=("jq",), pip=("click", "flask==3.*"), npm=("express@4",))


def test_a_module_the_articles_pip_install_brings_comes_from_that_install() -> None:
    """``pip install sqlparse`` and ``import sqlparse``: Debian's python3-sqlparse would satisfy
    pip, which then installs nothing, and it has no ``sqlformat`` program."""
    layer = layers.Layer.of(["pip:SQLParse>=0.4", "pymod:sqlparse", "pymod:yaml"])
    assert layer == layers.Layer(pip=("SQLParse>=0.4",), pymod=("yaml",))
    assert "python3-sqlparse" not in layers.dockerfile("base", layer)


def test_the_standalone_dockerfile_installs_from_the_registries_quoted() -> None:
    text = layers.dockerfile("tutorcheck/toolbox:bookworm", layers.Layer.of(["pip:flask>=2.2", "npm:express@4"]))
    assert "RUN python3 -m pip install --break-system-packages 'flask>=2.2'" in text
    assert "npm install --prefix / --no-audit --no-fund --no-save express@4" in text
    assert " nodejs npm " in text and text.rstrip().endswith("USER tutor")


def test_tutorchecks_own_build_uses_what_the_host_fetched() -> None:
    fetched = layers.Fetched(pip={"flask": "3.1.3"}, debian={"pip:requests": "python3-requests"},
                             missing=["npm:left-pad"])
    text = layers.dockerfile("base", layers.Layer.of(["pip:flask", "pip:requests", "npm:left-pad"]), fetched)
    assert "COPY wheels /opt/tutorcheck/wheels" in text and "find-links /opt/tutorcheck/wheels flask" in text
    assert "python3-requests" in text and "left-pad" not in text and "/etc/pip.conf" in text


def test_a_provided_step_names_the_versions_or_becomes_a_gap() -> None:
    from extractor.plan import Action

    step = Action(ActionKind.PROVIDED, 0, 0, "pip install flask requests", reason="installs", need=NeedKind.NETWORK,
                  packages=("pip:flask", "pip:requests"))
    ok = layers.settle(step, {"pip": {"flask": "3.1.3"}, "debian": {"pip:requests": "python3-requests"}})
    assert ok.kind == ActionKind.PROVIDED
    assert ok.reason == "installs (flask 3.1.3, requests from Debian's python3-requests)"
    gone = layers.settle(step, {"pip": {"flask": "3.1.3"}, "missing": ["pip:requests"]})
    assert gone.kind == ActionKind.SKIP and gone.need == NeedKind.NETWORK
    assert gone.reason.startswith("needs the network to install requests")


@pytest.mark.docker
def test_the_flask_venv_and_express_samples_pass_offline() -> None:
    from extractor.sandbox.runner import check_tutorial

    found, _ = load_tutorials(sorted(SAMPLES.glob("*.html")))
    for t in found:
        result = check_tutorial(t, RunOptions())
        failing = [(s.block, s.step, s.command, s.reason, s.output) for s in result.steps
                   if s.status not in (StepStatus.PASSED, StepStatus.SKIPPED)]
        assert result.status == "passed", (t.slug, failing)
        provided = json.loads(json.dumps(result.to_json()))["provided"]
        assert provided["missing"] == []
        skipped = [s for s in result.steps if s.status == StepStatus.SKIPPED]
        assert all(s.action == ActionKind.PROVIDED for s in skipped), [(s.command, s.reason) for s in skipped]
        versioned = [re.search(r"\((flask|express|sqlparse) \d+\.\d+", s.reason) for s in skipped]
        assert all(versioned), [s.reason for s in skipped]


def test_an_install_gets_the_version_the_articles_own_output_shows(tmp_path: Path) -> None:
    page = tmp_path / "pinned.html"
    page.write_text("""<html><head><title>Pinned Flask</title></head><body><article><h1>Pinned Flask</h1>
<pre><code class="language-console">$ pip install flask
$ pip install "click&gt;=8"
$ flask --version
Python 3.11.2
Flask 2.2.2
Werkzeug 2.2.2
</code></pre></article></body></html>""", encoding="utf-8")
    (t,), errors = load_tutorials([page])
    assert not errors
    assert {p.what: p.value for p in t.pins} == {"version:flask": "2.2.2", "version:werkzeug": "2.2.2"}
    plan = make_plan(t, Place.CHECK, RunOptions())
    assert "pip:flask==2.2.2" in plan.packages and "pip:click>=8" in plan.packages  # a range is left as written
    first = plan.actions[0]
    assert first.kind == ActionKind.PROVIDED and first.reason.endswith("; the version the article shows")


def test_the_modules_a_saved_python_file_imports_come_into_the_image(tmp_path: Path) -> None:
    """A conftest.py that imports yaml is imported by pytest, never run as a step: its imports
    are what the tool that loads it needs (the article's own modules aside)."""
    page = tmp_path / "plugin.md"
    page.write_text('# Checking data files\n\n```python title="conftest.py"\nimport yaml\nimport checks\n\n'
                    'def load(path):\n    return yaml.safe_load(open(path))\n```\n\n'
                    '```python title="checks.py"\nLIMIT = 3\n```\n\n```console\n$ pytest -q\n```\n', encoding="utf-8")
    tutorials, errors = load_tutorials([page])
    assert not errors
    conftest = next(b for b in tutorials[0].code_blocks if b.filename == "conftest.py")
    assert "tool:python:yaml" in conftest.needs and "tool:python:checks" not in conftest.needs
    packages = make_plan(tutorials[0]).packages
    assert "pymod:yaml" in packages and "pymod:checks" not in packages
    assert layers.module_package("yaml") == "python3-yaml"
