"""Hostile snippets and faults against the real sandbox (tests/data/hostile/snippets/).

Each snippet file is one sample article, run in one container, all of them in one run
(``run_articles``, two at a time) next to a well-behaved sample article. For every snippet: its
verdict, its time (the step limit + 1 s at most), and after the run: no container, no process
on the host, no file outside the container, the host canary untouched, no container log on the
host, the listeners on this host never reached, and the well-behaved article still passing.
Then the faults: SIGKILL, Ctrl-C, a paused container, an engine that never answers, orphans
reaped by a fully cached run and by ``sandbox prune``.

These tests need the engine and FAIL when it is missing.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.harness import run_articles
from extractor.model import Tutorial, tutorial_from_json
from extractor.options import RunOptions
from extractor.pipeline import render_article
from extractor.results import ArticleResult
from extractor.sandbox import commands, images
from extractor.sandbox.commands import sandbox_command
from extractor.sandbox.egress import host_addresses
from extractor.sandbox.reaper import DEADLINE_LABEL, HOST_LABEL, LABEL, OWNER_LABEL
from extractor.sandbox.runner import check_tutorial

pytestmark = pytest.mark.docker
DATA = Path(__file__).resolve().parent / "data"
SNIPPETS = DATA / "hostile" / "snippets"
TUTORCHECK = [sys.executable, "-m", "extractor.cli"]
GRACE_S = 1.0  # a step may overrun its limit by at most this much
MARKER = "98765"  # the orphan snippets sleep 98765x seconds: findable in the host's process table


@dataclass(frozen=True)
class Snippet:
    run: str
    expect: tuple[str, ...]
    cls: str = ""  # empty: a probe step, not a hostile snippet
    lang: str = "shell"
    want: str | None = None
    has: str = ""
    not_has: str = ""
    truncated: bool = False
    blocked: bool = False


@dataclass
class Article:
    slug: str
    tutorial: Tutorial
    snippets: list[Snippet]
    options: RunOptions


def _block(index: int, lang: str, steps: list[Snippet]) -> dict[str, Any]:
    return {"type": "code", "index": index, "label": lang, "lang": lang, "kind": "session",
            "prompt": ">>> " if lang == "python" else "$ ", "text": "\n".join(s.run for s in steps),
            "needs": [], "defects": [], "checks": [], "filename": None,
            "steps": [{"command": s.run, "expected_output": s.want, "lang": lang, "needs": []} for s in steps]}


def tutorial_json(slug: str, snippets: list[Snippet]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    group: list[Snippet] = []
    for s in snippets:
        if group and group[-1].lang != s.lang:
            blocks.append(_block(len(blocks), group[-1].lang, group))
            group = []
        group.append(s)
    if group:
        blocks.append(_block(len(blocks), group[-1].lang, group))
    return {"schema": 1, "slug": slug, "title": slug, "url": "", "aliases": [], "author": "", "tags": [],
            "source": {"feed": "tests/data/hostile", "format": "json"}, "blocks": blocks}


def load(path: Path, subs: dict[str, str]) -> Article:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    snippets = []
    for raw in doc["steps"]:
        run = str(raw["run"])
        for key, value in subs.items():
            run = run.replace("{" + key + "}", value)
        snippets.append(Snippet(run=run, expect=tuple(raw["expect"]), cls=str(raw.get("class", "")),
                                lang=str(raw.get("lang", "shell")), want=raw.get("want"), has=str(raw.get("has", "")),
                                not_has=str(raw.get("not_has", "")), truncated=bool(raw.get("truncated")),
                                blocked=bool(raw.get("blocked"))))
    options = RunOptions(step_timeout=float(doc["step_timeout"]), article_timeout=600.0,
                         allow_network=bool(doc.get("allow_network")), private_network=bool(doc.get("private")))
    return Article(doc["slug"], tutorial_from_json(tutorial_json(doc["slug"], snippets)), snippets, options)


# -- the host side: engine, canary, listeners, watchers -----------------------------------------


@pytest.fixture()
def canary() -> Iterator[Path]:
    path = Path("/tmp") / f"tutorcheck-canary-{uuid.uuid4().hex[:8]}"
    path.write_text("untouched\n", encoding="utf-8")
    yield path
    path.unlink(missing_ok=True)


class Listener:
    """A tiny HTTP server on one of this host's addresses, counting who reached it."""

    def __init__(self, host: str) -> None:
        self.sock = socket.create_server((host, 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")

    def close(self) -> None:
        self.sock.close()


def bridge_gateway(c: Any) -> str:
    config = c.api.inspect_network("bridge")["IPAM"]["Config"]
    return str(config[0].get("Gateway") or "172.17.0.1")


def own_address(gateway: str) -> str:
    """An address of this host other than the bridge's, if it has one (else the gateway)."""
    for a in host_addresses():
        ip = ipaddress.ip_address(a)
        if ip.version == 4 and not ip.is_link_local and a != gateway:
            return a
    return gateway


class Watcher:
    """Polls the run's containers: their log driver, log file and user, while they run."""

    def __init__(self, c: Any, slugs: set[str]) -> None:
        self.c, self.slugs = c, slugs
        self.seen: dict[str, dict[str, Any]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.stop.is_set():
            mine = {"label": [LABEL, f"{OWNER_LABEL}={os.getpid()}"]}  # other runs share the engine
            for ct in self.c.api.containers(filters=mine):
                article = (ct.get("Labels") or {}).get("tutorcheck.article", "")
                if article not in self.slugs:
                    continue
                try:
                    info = self.c.api.inspect_container(ct["Id"])
                except Exception:  # noqa: BLE001 - removed meanwhile
                    continue
                log_path = info.get("LogPath") or ""
                size = os.path.getsize(log_path) if log_path and os.path.exists(log_path) else 0
                seen = self.seen.setdefault(ct["Id"], {"article": article, "log_bytes": 0})
                seen.update(log_driver=info["HostConfig"]["LogConfig"]["Type"], log_path=log_path,
                            user=info["Config"]["User"], caps=info["HostConfig"]["CapAdd"])
                seen["log_bytes"] = max(seen["log_bytes"], size)
            self.stop.wait(0.3)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def host_processes(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmd and "pytest" not in cmd:
                found.append(f"{pid}: {cmd.strip()}")
    return found


def wait_until(predicate: Any, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return bool(predicate())


def containers_of(c: Any, slugs: set[str]) -> list[str]:
    mine = {"label": [LABEL, f"{OWNER_LABEL}={os.getpid()}"]}
    return [ct["Id"] for ct in c.api.containers(all=True, filters=mine)
            if (ct.get("Labels") or {}).get("tutorcheck.article", "") in slugs]


# -- the suite -------------------------------------------------------------------------------

@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    hostile: int = 0
    worst_overrun_s: float = 0.0
    worst: str = ""

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(what)


def judge_article(article: Article, result: ArticleResult, findings: Findings) -> None:
    assert len(result.steps) == len(article.snippets), f"{article.slug}: steps lost"
    limit = article.options.step_timeout
    for snippet, step in zip(article.snippets, result.steps, strict=True):
        name = f"{article.slug}: {snippet.cls or 'probe'}: {snippet.run[:60]!r}"
        findings.hostile += bool(snippet.cls)
        findings.check(step.status in snippet.expect,
                       f"{name}: {step.status} (expected {'/'.join(snippet.expect)}); {step.reason}; "
                       f"{step.output[:300]!r}")
        findings.check(step.duration_s <= limit + GRACE_S, f"{name}: took {step.duration_s:.2f}s, limit {limit:g}s")
        if step.status == "timeout" and step.duration_s - limit > findings.worst_overrun_s:
            findings.worst_overrun_s, findings.worst = step.duration_s - limit, name
        findings.check(snippet.has in step.output + step.reason, f"{name}: no {snippet.has!r} in {step.output[:300]!r}")
        findings.check(not snippet.not_has or snippet.not_has not in step.output,
                       f"{name}: {snippet.not_has!r} in {step.output[:300]!r}")
        findings.check(not snippet.truncated or (step.truncated and len(step.output.encode()) <= 64 * 1024 + 4),
                       f"{name}: output not capped")
        if snippet.blocked:
            findings.check("blocked" in step.reason, f"{name}: the reason does not say blocked: {step.reason!r}")
            findings.check(step.duration_s < 2.0, f"{name}: a blocked connection took {step.duration_s:.2f}s")


@dataclass
class Outcome:
    """What one run of every hostile snippet showed (the test asserts it; the benchmark prints it)."""

    findings: Findings
    articles: list[str]  # the snippet files' articles
    results: dict[str, ArticleResult]
    private_slug: str
    sample_slug: str
    reached: dict[str, int]  # listener → connections it accepted
    containers_left: list[str]
    processes_left: list[str]
    canary_intact: bool
    files_left: list[str]
    logs: list[dict[str, Any]]  # per container seen: its log driver, log file and the file's size
    took_s: float


def run_suite(engine: Any, canary: Path) -> Outcome:
    """Every snippet file as one sample article, all in one run (two at a time) with a well-behaved
    sample article and the opt-in article, while a watcher polls the containers' log settings."""
    gateway = bridge_gateway(engine)
    closed, opened = Listener(gateway), Listener(gateway)
    own = own_address(gateway)
    own_listener = Listener(own) if own != gateway else closed
    subs = {"canary": canary.name, "gateway": gateway, "port": str(closed.port), "host_ip": own,
            "host_port": str(own_listener.port)}
    articles = [load(p, subs) for p in sorted(SNIPPETS.glob("*.yaml"))]
    # the opt-in: with --allow-network=private the same listener is reachable (the filter is no accident)
    private = Article("hostile-network-private", tutorial_from_json(tutorial_json("hostile-network-private", [
        Snippet(run=f"curl -sS --max-time 3 http://{gateway}:{opened.port}/", expect=("passed",), want="ok\n")])),
        [Snippet(run="", expect=("passed",))], RunOptions(step_timeout=4, allow_network=True, private_network=True))
    sample = tutorial_from_json(json.loads((DATA / "sandbox" / "sandbox-sample.json").read_text(encoding="utf-8")))
    everything = [*articles, private]
    options = {a.slug: a.options for a in everything}
    slugs = {*options, sample.slug}
    assert host_processes(MARKER) == [], "processes with the marker ran before the test"
    before = canary.stat().st_mtime_ns

    watcher = Watcher(engine, slugs)
    t0 = time.monotonic()
    try:
        results = run_articles([*(a.tutorial for a in everything), sample],
                               lambda t: check_tutorial(t, options.get(t.slug, RunOptions(step_timeout=20))), jobs=2)
    finally:
        took = time.monotonic() - t0
        watcher.close()
        for listener in {closed, opened, own_listener}:
            listener.close()
    by_slug = {r.slug: r for r in results}
    findings = Findings()
    for article in articles:
        judge_article(article, by_slug[article.slug], findings)
    wait_until(lambda: not containers_of(engine, slugs) and not host_processes(MARKER), 15)
    files = [str(where / name) for name in ("big", "fill", "notes.txt", "many", "work", "nohup.out", "evil")
             for where in (Path("/tmp"), Path.cwd(), Path.home())
             if (where / name).exists() and (where / name).stat().st_mtime >= time.time() - 3600]
    return Outcome(
        findings=findings, articles=[a.slug for a in articles], results=by_slug, private_slug=private.slug,
        sample_slug=sample.slug,
        reached={"gateway (filtered)": closed.accepted, "own address (filtered)": own_listener.accepted
                 if own_listener is not closed else 0, "gateway (--allow-network=private)": opened.accepted},
        containers_left=containers_of(engine, slugs), processes_left=host_processes(MARKER),
        canary_intact=canary.read_text(encoding="utf-8") == "untouched\n" and canary.stat().st_mtime_ns == before,
        files_left=files, logs=[{"article": v["article"], "log_driver": v.get("log_driver"), "log_path":
                                 v.get("log_path"), "log_bytes": v["log_bytes"]} for v in watcher.seen.values()],
        took_s=took)


def test_hostile_snippets_end_with_their_verdicts_in_bounded_time_and_leave_nothing(engine: Any,
                                                                                    canary: Path) -> None:
    out = run_suite(engine, canary)
    findings = out.findings
    assert findings.problems == [], "\n".join(findings.problems)
    assert findings.hostile >= 40
    private = out.results[out.private_slug].steps[0]
    assert private.status == "passed", private.reason
    assert out.reached["gateway (--allow-network=private)"] >= 1
    # nothing of the filtered articles reached this host
    assert out.reached["gateway (filtered)"] == 0 and out.reached["own address (filtered)"] == 0
    # the well-behaved article of the same run is intact
    kept = out.results[out.sample_slug]
    assert kept.status == "passed", [(s.command, s.status, s.reason) for s in kept.steps]
    # nothing left: containers, host processes, host files; the canary untouched
    assert out.containers_left == [] and out.processes_left == [], (out.containers_left, out.processes_left)
    assert out.canary_intact and out.files_left == [], out.files_left
    # no container log on the host: every container of the run was seen, none had one
    assert {s["article"] for s in out.logs} >= set(out.articles)
    assert {(s["log_driver"], s["log_path"], s["log_bytes"]) for s in out.logs} == {("none", "", 0)}
    print(f"\nhostile snippets: {findings.hostile}, escapes 0, leftovers 0, "
          f"worst time past a limit {findings.worst_overrun_s:.2f}s ({findings.worst}), "
          "container log bytes on the host 0")


# -- faults ----------------------------------------------------------------------------------

def write_generated(folder: Path, articles: dict[str, list[Snippet]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    index = {"schema": 1, "articles": []}
    for slug, snippets in articles.items():
        (folder / slug).mkdir(exist_ok=True)
        (folder / slug / "tutorial.json").write_text(json.dumps(tutorial_json(slug, snippets)), encoding="utf-8")
        index["articles"].append({"slug": slug, "title": slug, "url": "", "blocks": 1, "steps": len(snippets)})
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    return folder


def owned_by(c: Any, pid: int) -> list[str]:
    return [ct["Id"] for ct in c.api.containers(all=True, filters={"label": [LABEL, f"{OWNER_LABEL}={pid}"]})]


def orphan(c: Any) -> str:
    """A labelled container whose owner is dead (as a SIGKILLed run that could not clean up leaves).
    The owner is alive while the container starts (other runs on this engine reap dead owners')."""
    owner = subprocess.Popen(["sleep", "600"])
    labels = {LABEL: "1", OWNER_LABEL: str(owner.pid), HOST_LABEL: socket.gethostname(),
              DEADLINE_LABEL: f"{time.time() + 3600:.0f}", "tutorcheck.article": "orphan"}
    ct = c.containers.create(images.toolbox_tag(), command=["sleep", "600"], labels=labels, user="60999:60999")
    ct.start()
    owner.kill()
    owner.wait()
    return str(ct.id)


def gone(c: Any, cid: str) -> bool:
    return not c.api.containers(all=True, filters={"id": cid})


def start_check(folder: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([*TUTORCHECK, "check", str(folder), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


SLOW = {"slow": [Snippet(run="sleep 60", expect=("timeout",))]}
QUICK = {"quick": [Snippet(run="echo quick", expect=("passed",), want="quick\n")]}


def test_when_a_run_is_sigkilled_then_its_container_ends_itself(engine: Any, tmp_path: Path) -> None:
    proc = start_check(write_generated(tmp_path / "gen", SLOW), "--no-cache", "--cache-dir", str(tmp_path / "c"))
    assert wait_until(lambda: owned_by(engine, proc.pid), 60), "the run never started its container"
    cid = owned_by(engine, proc.pid)[0]
    proc.kill()
    proc.wait(timeout=10)
    # the attach stream closes with the process: the driver reads end of file, the container ends
    assert wait_until(lambda: gone(engine, cid), 15), "the container outlived its SIGKILLed owner"


def test_when_every_article_is_cached_then_the_run_and_prune_still_reap_orphans(
        engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_generated(tmp_path / "gen", QUICK)
    cache = ["--cache-dir", str(tmp_path / "c")]
    first = subprocess.run([*TUTORCHECK, "check", str(folder), *cache], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    left = orphan(engine)
    second = subprocess.run([*TUTORCHECK, "check", str(folder), *cache], capture_output=True, text=True, timeout=60)
    assert second.returncode == 0 and "(0 run, 1 cached)" in second.stderr, second.stdout + second.stderr
    assert wait_until(lambda: gone(engine, left), 15), "a fully cached run left the orphan"
    # `tutorcheck sandbox prune`, the command itself, with every article cached. Its other half removes
    # the images of other recipes, which other checkouts sharing this engine still use: left out here.
    left = orphan(engine)
    monkeypatch.setattr(commands, "stale_images", lambda _c: [])
    assert sandbox_command("prune") == 0
    assert f"removed container {left[:12]}" in capsys.readouterr().out
    assert wait_until(lambda: gone(engine, left), 15)


def test_when_a_run_gets_ctrl_c_then_it_stops_and_leaves_nothing(engine: Any, tmp_path: Path) -> None:
    proc = start_check(write_generated(tmp_path / "gen", {**QUICK, **SLOW}), "--no-cache",
                       "--json", str(tmp_path / "out.json"))
    assert wait_until(lambda: any(  # the slow article is running: the quick one is done
        ct.get("Labels", {}).get("tutorcheck.article") == "slow" for ct in engine.api.containers(
            filters={"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]})), 60)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert time.monotonic() - t0 < 15
    assert proc.returncode != 0
    assert wait_until(lambda: not owned_by(engine, proc.pid), 15), "Ctrl-C left a container"
    partial = tmp_path / "out.json.partial.jsonl"
    assert partial.exists() and '"quick"' in partial.read_text(encoding="utf-8"), out + err


def test_when_the_container_freezes_mid_step_then_the_host_kills_it_in_bounded_time(engine: Any) -> None:
    t = tutorial_from_json(tutorial_json("frozen", [Snippet(run="sleep 30", expect=("timeout",)),
                                                    Snippet(run="echo after", expect=("error",))]))
    box: dict[str, ArticleResult] = {}
    runner = threading.Thread(target=lambda: box.update(r=check_tutorial(t, RunOptions(step_timeout=2))))
    t0 = time.monotonic()
    runner.start()
    assert wait_until(lambda: containers_of(engine, {"frozen"}), 60)
    cid = containers_of(engine, {"frozen"})[0]
    assert wait_until(lambda: "sleep 30" in json.dumps(engine.api.top(cid)), 60), "the step never started"
    engine.api.pause(cid)  # the engine stops answering for this container: the driver never replies
    runner.join(timeout=60)
    assert not runner.is_alive()
    result = box["r"]
    assert [s.status for s in result.steps] == ["timeout", "error"]
    assert result.steps[0].duration_s <= 2 + 5 + GRACE_S + 1  # the step limit + the host's kill grace
    assert time.monotonic() - t0 < 60
    assert wait_until(lambda: not containers_of(engine, {"frozen"}), 15), "the frozen container was left"


def test_when_the_engine_accepts_and_never_answers_then_the_run_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "hang.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # and never answer
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    folder = write_generated(tmp_path / "gen", {**QUICK, "quick2": QUICK["quick"]})
    t0 = time.monotonic()
    try:
        done = subprocess.run([*TUTORCHECK, "check", str(folder), "--no-cache"], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "DOCKER_HOST": f"unix://{path}"})
    finally:
        stop.set()
        server.close()
        for conn in held:
            conn.close()
    took = time.monotonic() - t0
    assert done.returncode != 0
    assert "engine" in (done.stdout + done.stderr).lower()
    assert took < 40, f"{took:.0f}s for two articles against a silent engine"


class EngineProxy:
    """A socket in front of the real engine that can vanish mid-run, as an engine that dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.target = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").removeprefix("unix://")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(64)
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                down, _ = self.server.accept()
            except OSError:
                return
            up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            up.connect(self.target)
            self.conns += [down, up]
            for a, b in ((down, up), (up, down)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def vanish(self) -> None:
        self.server.close()
        self.path.unlink(missing_ok=True)
        for conn in self.conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


def test_when_the_engine_goes_away_mid_run_then_the_run_ends_and_keeps_what_it_finished(
        engine: Any, tmp_path: Path, canary: Path) -> None:
    proxy = EngineProxy(tmp_path / "engine.sock")
    stuck = {"stuck": [Snippet(run=f"sleep {MARKER}9", expect=("error",))]}
    folder = write_generated(tmp_path / "gen", {**QUICK, **stuck})
    before = canary.stat().st_mtime_ns
    proc = start_check(folder, "--no-cache", "--timeout", "60", "--json", str(tmp_path / "out.json"),
                       env={"DOCKER_HOST": f"unix://{proxy.path}"})
    try:
        assert wait_until(lambda: any(  # the stuck article is running: the quick one is done
            ct.get("Labels", {}).get("tutorcheck.article") == "stuck" for ct in engine.api.containers(
                filters={"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]})), 90)
        assert wait_until(lambda: bool(host_processes(MARKER)), 30), "the step never started"
        t0 = time.monotonic()
        proxy.vanish()
        out, err = proc.communicate(timeout=120)
        took = time.monotonic() - t0
    finally:
        proc.kill()
        proxy.vanish()
    assert took < 15, f"{took:.1f}s after the engine went away"  # the step's own limit is 60 s
    assert proc.returncode != 0
    results = {a["slug"]: a for a in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["articles"]}
    assert results["quick"]["status"] == "passed", results["quick"]
    assert results["stuck"]["status"] == "error", results["stuck"]  # the sandbox's fault, not the tutorial's
    # the container ends by itself (its stdin closed with the engine's connection), nothing is left
    assert wait_until(lambda: not owned_by(engine, proc.pid), 15), "the container outlived its engine connection"
    assert wait_until(lambda: not host_processes(MARKER), 15), host_processes(MARKER)
    assert canary.read_text(encoding="utf-8") == "untouched\n" and canary.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen", "out.json"], (out, err)  # nothing else written
    assert results["stuck"]["steps"][0]["reason"] == "the sandbox session ended during this step"


def test_check_sh_stops_fork_bombs_and_shell_loops_and_goes_on(engine: Any, tmp_path: Path, canary: Path) -> None:
    # a bomb named so that the later loops' `:` stays the builtin; it backgrounds itself: the step's own exit is 0
    loops = [Snippet(run="b(){ b|b& };b", expect=("failed",)),
             Snippet(run="sleep 300 & echo started", expect=("passed",), want="started\n"),  # a job is no swarm
             Snippet(run="while true; do date; sleep 1; done", expect=("timeout",)),
             Snippet(run="for i in $(seq 1000); do sleep 1; done", expect=("timeout",)),
             Snippet(run="trap '' TERM INT HUP; while :; do :; done", expect=("timeout",)),
             Snippet(run="echo after", expect=("passed",), want="after\n")]
    files = render_article(tutorial_from_json(tutorial_json("loops", loops)))
    (tmp_path / "loops").mkdir()
    (tmp_path / "loops" / "check.sh").write_text(files.check_sh, encoding="utf-8")
    (tmp_path / "loops" / "Dockerfile").write_text(files.dockerfile, encoding="utf-8")
    before = canary.stat().st_mtime_ns
    t0 = time.monotonic()
    done = subprocess.run(["bash", str(tmp_path / "loops" / "check.sh")], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "STEP_TIMEOUT": "3", "ARTICLE_TIMEOUT": "240"})
    took = time.monotonic() - t0
    verdicts = [ln.split(":")[0] for ln in done.stdout.splitlines() if ln.startswith(("PASS", "FAIL", "TIMEOUT"))]
    assert verdicts == ["FAIL     block 0 step 0", "PASS     block 0 step 1", "TIMEOUT  block 0 step 2",
                        "TIMEOUT  block 0 step 3", "TIMEOUT  block 0 step 4",
                        "PASS     block 0 step 5"], done.stdout + done.stderr
    assert "processes running (the limit is" in next(ln for ln in done.stdout.splitlines() if ln.startswith("FAIL"))
    assert done.returncode == 1
    # three step limits (and the image build and container start), far from the article's 240 s
    assert took < 3 * (3 + GRACE_S) + 60, f"{took:.0f}s"
    # a loop that ignores the signal check.sh stops loops with: the check stops there, soon after the limit
    stubborn = [Snippet(run="echo before", expect=("passed",), want="before\n"),
                Snippet(run="trap '' USR1 TERM INT HUP; while :; do :; done", expect=("timeout",)),
                Snippet(run="echo after", expect=("passed",), want="after\n")]
    files = render_article(tutorial_from_json(tutorial_json("stubborn", stubborn)))
    (tmp_path / "stubborn").mkdir()
    (tmp_path / "stubborn" / "check.sh").write_text(files.check_sh, encoding="utf-8")
    (tmp_path / "stubborn" / "Dockerfile").write_text(files.dockerfile, encoding="utf-8")
    t0 = time.monotonic()
    done = subprocess.run(["bash", str(tmp_path / "stubborn" / "check.sh")], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "STEP_TIMEOUT": "3", "ARTICLE_TIMEOUT": "240"})
    took = time.monotonic() - t0
    verdicts = [ln for ln in done.stdout.splitlines() if ln.startswith(("PASS", "FAIL", "TIMEOUT"))]
    assert [ln.split(":")[0] for ln in verdicts] == ["PASS     block 0 step 0", "TIMEOUT  block 0 step 1"], done.stdout
    assert "the check stops here" in verdicts[1] and "(the later steps did not run)" in done.stdout
    assert done.returncode == 1
    assert took < (3 + 2 + GRACE_S) + 60, f"{took:.0f}s"  # the limit, 2 s of signals, build and start
    assert canary.read_text(encoding="utf-8") == "untouched\n" and canary.stat().st_mtime_ns == before
    assert not [ct for ct in engine.api.containers(all=True, filters={"label": LABEL})
                if "tutorcheck-check-" in str(ct.get("Names"))
                and (ct.get("Labels") or {}).get(OWNER_LABEL) == str(os.getpid())]


def test_a_local_user_of_this_machine_cannot_read_a_steps_secrets(engine: Any) -> None:
    """Container processes are host processes: the steps' uid is no account of this host, so the
    first login account (uid 1000) cannot read a step's environment (its --env values) in /proc."""
    import pwd

    for uid in (60999, 60998):  # tutor and tcdriver
        with pytest.raises(KeyError):
            pwd.getpwuid(uid)
    secret = f"s3cret-{uuid.uuid4().hex}"
    t = tutorial_from_json(tutorial_json("environ", [Snippet(run=f"sleep {MARKER}8", expect=("timeout",))]))
    runner = threading.Thread(target=lambda: check_tutorial(t, RunOptions(step_timeout=10, env={"API_TOKEN": secret})))
    runner.start()
    try:
        assert wait_until(lambda: bool(host_processes(f"{MARKER}8")), 60), "the step never started"
        pid = host_processes(f"{MARKER}8")[0].split(":")[0]
        assert Path(f"/proc/{pid}").stat().st_uid == 60999
        assert secret.encode() in Path(f"/proc/{pid}/environ").read_bytes()  # there, for root
        peek = subprocess.run(["cat", f"/proc/{pid}/environ"], user=1000, group=1000, capture_output=True, timeout=10)
        assert peek.returncode != 0 and secret.encode() not in peek.stdout, peek
    finally:
        runner.join(timeout=60)
    assert not runner.is_alive()
    assert wait_until(lambda: not containers_of(engine, {"environ"}), 15)
