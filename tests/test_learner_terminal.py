"""``tutorcheck step`` driven through a real terminal (tmux: send-keys, capture-pane) over a
sample of our own (tests/data/learner/garden-walk.md), in the real sandbox.

The learner runs two steps, edits the third (the prefilled line, changed), opens a shell in
the sandbox and creates a file, skips the step that needs a cluster, runs the next (which
sees the file), goes back (the checkpoint is from before the shell: the file is gone), quits,
comes back (offered to continue where they were), and finishes. The screen must show each of
those; afterwards no container of the walk and no saved walk is left.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent / "data" / "learner" / "garden-walk.md"
SLUG = "garden-walk"
DEADLINE_S = 240.0  # per screen: a loaded machine may build the article's image first
PROMPT = "[q]uit / ?"


class Screen:
    """One tmux server of our own (its own socket), one window of 120×50."""

    def __init__(self, env: dict[str, str]) -> None:
        self.name = f"tc-step-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-u", "-L", self.name, "-f", "/dev/null"]
        setenv = [x for k, v in env.items() for x in ("-e", f"{k}={v}")]
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "walk", "-x", "120", "-y", "50", *setenv,
                        "bash --norc --noprofile"], check=True, timeout=30)

    def send(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "walk", *keys], check=True, timeout=30)

    def type(self, line: str) -> None:
        self.send("-l", line)
        self.send("Enter")

    def text(self) -> str:
        done = subprocess.run([*self.tmux, "capture-pane", "-p", "-J", "-S", "-5000", "-t", "walk"],
                              capture_output=True, text=True, check=True, timeout=30)
        return done.stdout

    def wait(self, what: str, count: int = 1) -> str:
        """The screen once ``what`` shows (``count`` times): polled, never a fixed sleep."""
        until = time.monotonic() + DEADLINE_S
        while True:
            screen = self.text()
            if screen.count(what) >= count:
                return screen
            if time.monotonic() > until:
                raise AssertionError(f"the screen never showed {what!r} ×{count}:\n{screen[-3000:]}")
            time.sleep(0.3)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, timeout=30)


@pytest.mark.docker
def test_a_learner_walks_edits_opens_a_shell_goes_back_quits_and_comes_back(tmp_path: Path) -> None:
    assert shutil.which("tmux"), "tmux is needed for this test: bash scripts/test-tools.sh installs it"
    import docker

    generated = tmp_path / "generated"
    subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(SAMPLE), "-o", str(generated)],
                   check=True, capture_output=True, timeout=300)
    cache = tmp_path / "cache"
    root = Path(__file__).resolve().parent.parent
    screen = Screen({"XDG_CACHE_HOME": str(cache), "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8"})
    step = f"cd {root} && {sys.executable} -m extractor.cli step {generated / SLUG}; echo walk-exit=$?"
    try:
        screen.type(step)
        screen.wait(PROMPT, 1)
        screen.send("Enter")  # 1: mkdir -p garden && cd garden
        screen.wait(PROMPT, 2)
        screen.send("Enter")  # 2: export NAME=world
        screen.wait(PROMPT, 3)
        screen.type("e")  # 3: edit echo "hello, $NAME" on its prefilled line
        screen.wait('edit> echo "hello, $NAME"')
        screen.send("End", *["BSpace"] * 8)
        screen.type(' there, $NAME"')
        shown = screen.wait("needs a Kubernetes cluster: [s]kip (Enter), or run [a]nyway")
        assert "(your edit ran; compared with what the article shows)" in shown
        assert "the article shows" in shown and "this run printed" in shown  # side by side
        assert "hello, world" in shown and "hello there, world" in shown
        assert "✓ exit 0; output differs from the article" in shown

        screen.type("t")  # 4 (needs a cluster): first, a shell in the sandbox
        screen.wait("(sandbox) ~/garden$")
        screen.type("touch notes.txt && ls")
        screen.wait("notes.txt", 2)
        screen.type("exit")
        screen.wait("back from the sandbox shell; working in /home/tutor/garden")
        screen.type("s")  # then skip the cluster step
        screen.wait(PROMPT, 6)
        screen.send("Enter")  # 5: ls -A | wc -l sees the learner's file
        shown = screen.wait(PROMPT, 7)
        assert "✓ exit 0; output differs from the article" in shown.split("5/6")[-1]
        screen.type("b")  # back: the checkpoint after step 3, from before the shell
        screen.wait("↺ back to step 5: the checkpoint after step 3")
        screen.wait(PROMPT, 8)
        screen.type("q")
        shown = screen.wait("walk-exit=0")
        assert "stopped: 3 run, 1 skipped" in shown
        assert "continues at step 5" in shown

        screen.type(step)  # the next day
        screen.wait("You stopped at step 5 of 6. [c]ontinue (Enter) or start [o]ver?")
        screen.send("Enter")
        screen.wait("↺ continuing at step 5, as you left it")
        screen.wait(PROMPT, 9)
        screen.send("Enter")  # 5 again: the file is gone
        screen.wait(PROMPT, 10)
        screen.send("Enter")  # 6: the name and the folder came back with the checkpoint
        shown = screen.wait("walk-exit=0", 2).split("↺ continuing at step 5")[-1]
        after = shown.split("5/6")[-1]
        assert after.count("✓ exit 0; output matches the article") == 2
        assert "world lives in garden" in after
        assert "of the steps run: 2 matched the article, 1 differed, 0 failed, 2 ran" in shown
        assert "done: 5 run, 1 skipped" in shown
    finally:
        screen.close()
    engine = docker.from_env()
    left = engine.containers.list(all=True, filters={"label": f"tutorcheck.article={SLUG}"})
    assert not left, f"containers left behind: {[c.short_id for c in left]}"
    assert not any((cache / "tutorcheck" / "step").glob("*")), "a finished walk keeps nothing"
