"""Article text never becomes code in a generated script (check.sh, Dockerfile, notebook cells).

``tests/data/hostile/inject/`` holds an RSS feed, an Atom feed and an HTML page whose every
field (titles, links, ids, authors, tags, dates, file names, commands, recorded output) carries
a payload: newlines, CR, U+2028, quotes, ``$()``, backticks, NULs and lines equal to the
writers' own heredoc delimiters, each followed by ``echo pwned-... >>"$tc_canary"``. The tests
extract them, run the generated ``check.sh`` for real with ``tc_canary`` pointing at a canary
file on the host, and show the canary untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from extractor.model import CodeBlock, SourceRef, Step, Tutorial
from extractor.pipeline import extract_command, render_article
from extractor.quoting import comment, commented_out, delimiter, heredoc, lines, sh_path, sh_word
from extractor.render.cells import write_file_shell

INJECT = Path(__file__).resolve().parent / "data" / "hostile" / "inject"
UNTOUCHED = "untouched\n"
PAYLOAD = (
    "x\necho pwned-nl >>\"$tc_canary\"\nx\recho pwned-cr >>\"$tc_canary\"\r\n"
    "'\"$(echo pwned-sub >>\"$tc_canary\")`echo pwned-tick >>\"$tc_canary\"`\n"
    "TUTORCHECK_INNER\nEOF\nTUTORCHECK_EOF\nTC_0_0\nTC_0_0_WANT\necho pwned-delim >>\"$tc_canary\"\n"
    "\u2028echo pwned-ls >>\"$tc_canary\"\n\x00echo pwned-nul >>\"$tc_canary\"\n"
)


def _canary(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    canary = tmp_path / "canary"
    canary.write_text(UNTOUCHED, encoding="utf-8")
    return canary, {**os.environ, "tc_canary": str(canary)}


def _bash(script: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "script.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", str(path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)


def test_the_payload_is_live_when_pasted_by_hand(tmp_path: Path) -> None:
    # The control: the same text in a comment written the old way runs on the host.
    canary, env = _canary(tmp_path)
    _bash(f"# {PAYLOAD.replace(chr(0), '')}\ntrue\n", tmp_path, env)
    assert "pwned-nl" in canary.read_text(encoding="utf-8")


def test_quoted_pieces_are_inert_in_bash(tmp_path: Path) -> None:
    canary, env = _canary(tmp_path)
    body = heredoc("cat >out.txt", PAYLOAD, "EOF")
    script = "\n".join([f"# {comment(PAYLOAD)}", f"printf '%s' {sh_word(PAYLOAD)} >word.txt", *body, ""])
    assert len(f"# {comment(PAYLOAD)}".splitlines()) == 1
    done = _bash(script, tmp_path, env)
    assert done.returncode == 0, done.stderr
    shown = PAYLOAD.replace("\0", "\ufffd")
    assert (tmp_path / "word.txt").read_bytes().decode() == shown
    assert (tmp_path / "out.txt").read_bytes().decode() == shown
    assert canary.read_text(encoding="utf-8") == UNTOUCHED


def test_a_home_path_expands_only_its_tilde(tmp_path: Path) -> None:
    canary, env = _canary(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    name = "~/" + PAYLOAD.replace("\0", "").replace("/", "_").replace("\n", "_")[:80]
    done = _bash(f"printf x > {sh_path(name)}\nprintf y > {sh_path('~x')}\n", tmp_path, {**env, "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert [p.name for p in home.iterdir()] == [name[2:]]  # in the home, under the article's name
    assert (tmp_path / "~x").read_text() == "y"  # not ~/: a name like any other
    assert canary.read_text(encoding="utf-8") == UNTOUCHED


def test_a_delimiter_never_occurs_in_its_payload() -> None:
    assert delimiter("EOF\nEOF_\n", "EOF") == "EOF__"
    assert delimiter("x EOFx\n", "EOF") == "EOF_"
    with pytest.raises(ValueError):
        delimiter("", "E'OF")


def test_commented_out_code_is_comments_for_python_ipython_and_bash() -> None:
    for ln in lines(commented_out(PAYLOAD)):
        assert ln.startswith("#"), ln
    assert "\x00" not in commented_out(PAYLOAD)


def test_a_file_name_from_an_article_is_one_word_in_the_notebook(tmp_path: Path) -> None:
    canary, env = _canary(tmp_path)
    name = "it's $(echo pwned-name >>\"$tc_canary\")`x`.txt"
    done = _bash(write_file_shell(name, PAYLOAD), tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).read_bytes().decode() == PAYLOAD.replace("\0", "\ufffd")
    assert canary.read_text(encoding="utf-8") == UNTOUCHED


def _hostile_tutorial() -> Tutorial:
    return Tutorial(
        slug="hostile", title=PAYLOAD, url="https://x.invalid/" + PAYLOAD,
        source=SourceRef("t", "json"), blocks=(
            CodeBlock(index=0, text=PAYLOAD, lang="text", kind="file", filename="a'$(b)`c`.txt"),
            CodeBlock(index=1, text="", lang="shell", kind="session", steps=(
                Step("cat \"a'\\$(b)\\`c\\`.txt\"", expected_output=PAYLOAD),
                Step("echo '$(echo pwned-cmd >>\"$tc_canary\")'\nTUTORCHECK_INNER\nTC_1_1\n"),
            )),
        ))


def test_check_sh_of_a_hostile_model_is_valid_bash_with_one_line_comments(tmp_path: Path) -> None:
    t = _hostile_tutorial()
    script = render_article(t).check_sh
    (tmp_path / "check.sh").write_text(script, encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(tmp_path / "check.sh")]).returncode == 0
    head = script.split("set -euo pipefail", 1)[0]
    assert all(ln.startswith("#") for ln in head.splitlines()), head
    assert "\x00" not in script
    assert "\x00" not in render_article(t).dockerfile


def test_skipped_notebook_cells_are_comments_only() -> None:
    t = _hostile_tutorial()
    nb = json.loads(render_article(t).ipynb)
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if "skip-execution" in cell.get("metadata", {}).get("tags", []):
            assert all(ln.startswith("#") for ln in lines(source)), source


@pytest.mark.docker
def test_generated_check_sh_never_runs_article_text_on_the_host(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert extract_command([str(INJECT)], out) == 0
    scripts = sorted(out.glob("*/check.sh"))
    assert len(scripts) == 3  # the RSS item, the Atom entry, the page
    canary, env = _canary(tmp_path)
    env.update(STEP_TIMEOUT="20", ARTICLE_TIMEOUT="180")
    for script in scripts:
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0, script
        head = script.read_text(encoding="utf-8").split("set -euo pipefail", 1)[0]
        assert all(ln.startswith("#") for ln in head.splitlines()), head
        done = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)
        # It really ran in the sandbox: the file with the delimiter lines round-tripped.
        assert done.returncode in (0, 1), done.stderr
        assert "PASS     block 0 step 0: write notes.txt" in done.stdout, done.stdout
        assert "PASS     block 1 step 0: cat notes.txt" in done.stdout, done.stdout
    assert canary.read_text(encoding="utf-8") == UNTOUCHED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canary", "out"]  # nothing written beside
