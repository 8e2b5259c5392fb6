"""check.sh and Dockerfile rendering (pure): deterministic, standalone, same policy."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from extractor.model import tutorial_from_json
from extractor.pipeline import render_article
from extractor.sandbox.images import TOOLBOX
from extractor.sandbox.policy import Policy

DATA = Path(__file__).resolve().parent / "data" / "sandbox"


def load(slug: str):  # type: ignore[no-untyped-def]
    return tutorial_from_json(json.loads((DATA / f"{slug}.json").read_text(encoding="utf-8")))


def test_when_rendered_twice_then_the_text_is_identical() -> None:
    t = load("sandbox-sample")
    assert render_article(t).check_sh == render_article(t).check_sh
    assert render_article(t).dockerfile == render_article(t).dockerfile


def test_check_sh_is_valid_bash_and_carries_the_policy(tmp_path: Path) -> None:
    script = render_article(load("sandbox-hostile")).check_sh
    path = tmp_path / "check.sh"
    path.write_text(script, encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
    for flag in Policy().cli_args():
        if not flag.startswith("--network"):
            assert flag in script
    assert "--label tutorcheck=1" in script
    assert "needs the network" in script  # the skip is decided when rendering, as in the runner


def test_dockerfile_is_the_toolbox_plus_the_packages_the_steps_name() -> None:
    from extractor.model import CodeBlock, SourceRef, Step, Tutorial

    t = Tutorial(slug="k", title="k", url="", source=SourceRef("t", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session",
                  steps=(Step("yq . a.yaml", needs=("tool:yq",)),)),))
    text = render_article(t).dockerfile
    assert f"ARG TOOLBOX={TOOLBOX}\nFROM ${{TOOLBOX}}\n" in text and "apt-get install" in text and " yq " in text
    assert "apt-get" not in render_article(load("sandbox-sample")).dockerfile
