"""The walk's answers that need checkpoints (back, jump, reset, resume) and the saved walk.

The session is a local bash in a temporary folder whose checkpoints are copies of that folder
(the sandbox's own checkpoints are driven through a real terminal in test_learner_terminal.py).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from test_learner import DATA, LocalBash

from extractor.learn.judge import Outcome
from extractor.learn.store import Store
from extractor.learn.view import View
from extractor.learn.walk import Progress, Walk, units
from extractor.learn.workspace import Ran, Request
from extractor.learner import learner_plan
from extractor.model import Tutorial, tutorial_from_json


class CopyingBash:
    """A local bash whose checkpoint is a copy of its folder; restoring starts a new bash there."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "work"
        self.work.mkdir()
        self.bash = LocalBash(self.work)
        self.restored: list[int | None] = []
        self.ran: list[Request] = []

    def run(self, request: Request) -> Ran:
        self.ran.append(request)
        return self.bash.run(request)

    def checkpoint(self, position: int) -> bool:
        shutil.rmtree(self.root / f"ck-{position}", ignore_errors=True)
        shutil.copytree(self.work, self.root / f"ck-{position}")
        return True

    def restore(self, position: int | None) -> None:
        self.bash.close()
        shutil.rmtree(self.work)
        if position is None:
            self.work.mkdir()
        else:
            shutil.copytree(self.root / f"ck-{position}", self.work)
        self.bash = LocalBash(self.work)
        self.restored.append(position)

    def close(self) -> None:
        self.bash.close()


def shell_state() -> Tutorial:
    return tutorial_from_json(json.loads((DATA / "shell-state.json").read_text(encoding="utf-8")))


def walk(session: CopyingBash, said: list[str]) -> tuple[Walk, io.StringIO]:
    t = shell_state()
    out = io.StringIO()
    return Walk(t, learner_plan(t), session, lambda _p: said.pop(0) if said else "q", View(out)), out


def test_back_restores_the_checkpoint_before_the_step_and_forgets_what_followed(tmp_path: Path) -> None:
    session = CopyingBash(tmp_path)
    # 1: mkdir workspace/notes && cd workspace (its checkpoint is taken at position 1), 2: export; then back
    w, out = walk(session, ["", "", "b", "q"])
    try:
        assert w.run() is False
    finally:
        session.close()
    assert "↺ back to step 2: the checkpoint after step 1" in out.getvalue()
    assert session.restored == [1]
    assert w.position == 1 and w.outcomes == {0: Outcome.RAN}
    assert (session.work / "workspace" / "notes").is_dir()  # what step 1 made is in its checkpoint


def test_jump_forward_skips_back_restores_and_reset_is_clean(tmp_path: Path) -> None:
    session = CopyingBash(tmp_path)
    w, out = walk(session, ["", "jump 5", "jump 1", "reset", "jump", "jump 99", "q"])
    try:
        assert w.run() is False
    finally:
        session.close()
    text = out.getvalue()
    assert "↺ back to step 1: a clean sandbox" in text
    assert "there is no step 99: 1 to 14" in text
    assert "jump to which step? jump N, N from 1 to 14" in text
    # jump 5 skipped 2-4; jump 1 went back to the start (no checkpoint before step 1); reset: clean again
    assert session.restored == [None, None]
    assert w.position == 0 and w.outcomes == {} and not any(session.work.iterdir())


def test_a_saved_walk_comes_back_only_for_the_same_steps(tmp_path: Path) -> None:
    t = shell_state()
    steps = units(learner_plan(t))
    store = Store.of(tmp_path / "article", t.slug, steps, root=tmp_path / "cache")
    saved = Progress(4, ((0, Outcome.RAN), (1, Outcome.MATCHED), (2, Outcome.DIFFERED), (3, Outcome.SKIPPED)),
                     ((2, "python", "x = 1"),), (1, 3))
    store.folder.mkdir(parents=True)
    for p in (1, 2, 3):
        store.checkpoint(p).write_bytes(b"tar")
    store.save(saved)
    assert store.load() == saved
    assert not store.checkpoint(2).exists()  # a checkpoint the walk no longer names is removed
    assert Store.of(tmp_path / "article", t.slug, steps[:-1], root=tmp_path / "cache").load() is None  # other steps
    store.checkpoint(3).unlink()
    assert store.load() is None  # a checkpoint is missing: nothing to continue from
    store.clear()
    assert not store.folder.exists()


def test_prune_removes_the_walks_of_articles_that_are_gone(tmp_path: Path) -> None:
    from extractor.learn.store import prune_walks

    t = shell_state()
    steps = units(learner_plan(t))
    (tmp_path / "kept").mkdir()
    kept = Store.of(tmp_path / "kept", t.slug, steps, root=tmp_path / "cache")
    gone = Store.of(tmp_path / "gone", t.slug, steps, root=tmp_path / "cache")
    for store in (kept, gone):
        store.save(Progress(1))
    (tmp_path / "cache" / "half-written").mkdir()
    assert prune_walks(tmp_path / "cache") == sorted([gone.folder, tmp_path / "cache" / "half-written"])
    assert kept.load() == Progress(1)


def test_resume_continues_at_the_saved_position_with_its_checkpoint(tmp_path: Path) -> None:
    session = CopyingBash(tmp_path)
    session.checkpoint(3)
    w, out = walk(session, ["q"])
    w.resume(Progress(3, ((0, Outcome.RAN), (1, Outcome.RAN), (2, Outcome.MATCHED)), ((1, "python", "y = 2"),), (1, 3)))
    try:
        assert w.run() is False
    finally:
        session.close()
    assert session.restored == [3]
    assert session.ran[0] == Request("python", src="y = 2")  # the Python steps before it, replayed
    text = out.getvalue()
    assert text.index("↺ continuing at step 4, as you left it") < text.index("── 4/14")
    assert "── 1/14" not in text
