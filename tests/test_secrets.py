"""--env values: taken from the environment or a file, and masked in every output."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from extractor.errors import UsageError
from extractor.options import parse_env
from extractor.results import ArticleResult, StepResult
from extractor.secrets import MASK, Masker, mask_result
from extractor.vocab import ArticleStatus, StepStatus

ROOT = Path(__file__).resolve().parents[1]
FEED = ROOT / "tests" / "data" / "hostile" / "secrets"
SECRET = "S3cr3t-Value_42/xyz+"


def printed_forms(value: str) -> list[str]:
    """How a step may print the value, computed here independently of the masker."""
    raw = value.encode()
    return [value, value[::-1], base64.b64encode(raw).decode(), base64.b64encode(raw + b"\n").decode()[:-4],
            raw.hex(), quote(value, safe="")]


def test_env_takes_values_from_the_command_line_the_environment_and_a_file(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    env_file.write_text("# comment\nFROM_FILE=a=b\nFROM_ENV\n\n", encoding="utf-8")
    environ = {"FROM_ENV": "e", "ALSO": "x"}
    got = parse_env(["ALSO", "LITERAL=v"], [str(env_file)], environ)
    assert got == {"FROM_FILE": "a=b", "FROM_ENV": "e", "ALSO": "x", "LITERAL": "v"}
    with pytest.raises(UsageError, match="MISSING is not set"):
        parse_env(["MISSING"], environ={})
    with pytest.raises(UsageError, match="line 1"):
        (tmp_path / "bad").write_text("not a name=1\n", encoding="utf-8")
        parse_env([], [str(tmp_path / "bad")], environ={})


def test_every_printed_form_is_masked_and_short_values_are_left_alone() -> None:
    mask = Masker([SECRET, "on"])
    for form in printed_forms(SECRET):
        assert mask(f"before {form} after") == f"before {MASK} after", form
    wrapped = base64.b64encode(b"user:" + SECRET.encode()).decode()
    assert SECRET not in base64.b64decode(mask(wrapped).replace(MASK, "") + "==", validate=False).decode("latin-1")
    assert mask("turn it on") == "turn it on"


def test_a_result_is_masked_in_every_text_field_and_keeps_its_types() -> None:
    step = StepResult(block=0, step=0, command=f"echo {SECRET}", status=StepStatus.FAILED, output=SECRET + "\n",
                      diff=f"-x\n+{SECRET}\n", reason=f"saw {SECRET}")
    result = mask_result(ArticleResult("s", ArticleStatus.FAILED, steps=(step,), reason=SECRET), [SECRET])
    assert SECRET not in repr(result)
    assert result.steps[0].status is StepStatus.FAILED and result.status is ArticleStatus.FAILED


@pytest.mark.docker
def test_a_step_printing_a_secret_leaves_it_in_no_output(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    run = [sys.executable, "-m", "extractor.cli"]
    assert subprocess.run([*run, "extract", str(FEED), "-o", str(gen)], capture_output=True, cwd=ROOT).returncode == 0
    (tmp_path / "env").write_text("API_TOKEN\n", encoding="utf-8")
    done = subprocess.run(
        [*run, "check", str(gen), "--env-file", str(tmp_path / "env"), "--json", str(tmp_path / "r.json"),
         "--junit", str(tmp_path / "j.xml"), "--report", str(tmp_path / "r.md"), "--cache-dir", str(tmp_path / "c")],
        capture_output=True, text=True, cwd=ROOT, timeout=600, env={**os.environ, "API_TOKEN": SECRET})
    assert done.returncode == 1, done.stderr  # the one step comparing the token with 'wrong' fails
    assert f"token: {MASK}" in (tmp_path / "r.json").read_text(encoding="utf-8")  # the steps really ran
    texts = [done.stdout, done.stderr] + [p.read_text(encoding="utf-8", errors="replace")
                                          for p in tmp_path.rglob("*") if p.is_file() and gen not in p.parents]
    assert len(texts) >= 6  # stdout, stderr, JSON, JUnit, Markdown, the cache (and partial results)
    for form in printed_forms(SECRET):
        assert not [t for t in texts if form in t], form
