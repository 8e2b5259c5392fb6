"""``tutorcheck lab`` on the real engine: JupyterLab served from the sandbox, seen by a real
headless Chromium, its notebook's cells run through Jupyter's own API (REST + the kernel's
websocket), no way out for the kernel, and no container left after Ctrl-C.

One lab per test run (a JupyterLab start is the expensive part): everything is asked of it in
one test. Set TUTORCHECK_LAB_SCREENSHOT=FILE.png to keep the screenshot (docs/lab.png is made so).
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import engine_with

from extractor.cli import main
from extractor.matching import compare
from extractor.sandbox import images
from extractor.sandbox.reaper import LABEL, OWNER_LABEL

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "lab" / "a-garden-of-files.md"
SLUG = "a-garden-of-files"
DEADLINE_S = 600.0  # a loaded 2-core machine: generous, never a timing assertion


@pytest.fixture(scope="module")
def engine() -> Any:
    """The engine with the notebook image (the step images are not needed here)."""
    return engine_with(images.ensure_notebook, "the notebook image")


def _websocket() -> Any:
    """websocket-client (a dev dependency), imported here so that a venv made before it was added
    fails this test with the remedy instead of stopping the whole suite's collection."""
    try:
        import websocket
    except ImportError:
        pytest.fail("websocket-client is missing from this venv: run scripts/setup.sh (it installs .[dev])")
    return websocket


def _until(what: str, probe: Any, deadline_s: float = DEADLINE_S, every_s: float = 0.5) -> Any:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        got = probe()
        if got:
            return got
        time.sleep(every_s)
    raise AssertionError(f"gave up waiting for {what} after {deadline_s:g}s")


def _host_user(uid: int) -> str:
    """The name ``ps`` on this host shows for ``uid`` (container processes are host processes)."""
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _start_lab(article: Path, log: Path, *flags: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "lab", str(article), *flags],
                            stdout=subprocess.PIPE, stderr=log.open("w"), text=True, cwd=ROOT)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        url = lines.get(timeout=DEADLINE_S).strip()
    except queue.Empty:
        proc.kill()
        raise AssertionError(f"tutorcheck lab printed no URL: {log.read_text()}") from None
    return proc, url


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


def _post(url: str, body: dict[str, Any]) -> Any:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


class Cdp:
    """Just enough of the Chrome DevTools Protocol to load a page, read its DOM and take a picture."""

    def __init__(self, ws_url: str) -> None:
        self.ws = _websocket().create_connection(ws_url, timeout=120, suppress_origin=True)
        self.n = 0

    def call(self, method: str, **params: Any) -> Any:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                assert "error" not in msg, msg
                return msg.get("result", {})

    def text(self, expression: str) -> str:
        return str(self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value", ""))


def _screenshot(url: str, profile: Path) -> tuple[str, bytes]:
    """Open ``url`` in headless Chromium; once the notebook's cells are on screen: its text and a PNG."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is needed for this test: `make test` installs it (scripts/test-tools.sh)"
    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-dev-shm-usage", "--remote-debugging-port=0",
                                f"--user-data-dir={profile}", "--window-size=1280,800", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        active = profile / "DevToolsActivePort"
        port = _until("Chromium's debugging port", lambda: active.is_file() and active.read_text().split("\n")[0])
        pages = _until("a page in Chromium", lambda: [p for p in _get(f"http://127.0.0.1:{port}/json/list")
                                                      if p.get("type") == "page"])
        cdp = Cdp(pages[0]["webSocketDebuggerUrl"])
        cdp.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        cdp.call("Page.navigate", url=url)
        cells = "document.querySelectorAll('.jp-Notebook .jp-Cell').length"
        _until("the notebook's cells in JupyterLab", lambda: int(cdp.text(cells) or 0) >= 3)
        idle = "document.querySelector('.jp-Notebook .jp-OutputArea-output') ? 'yes' : ''"
        _until("the recorded outputs on screen", lambda: cdp.text(idle))
        time.sleep(2)  # let the fonts and the kernel indicator settle: the picture is for people
        text = cdp.text("document.querySelector('.jp-Notebook').innerText")
        png = base64.b64decode(cdp.call("Page.captureScreenshot", format="png")["data"])
        return text, png
    finally:
        browser.kill()
        browser.wait(timeout=60)


def _run_cell(ws: Any, code: str) -> str:
    """Execute ``code`` on the kernel's websocket; the text it printed (streams and displays)."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                                   "session": uuid.uuid4().hex, "version": "5.3"},
                        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True}}))
    out: list[str] = []
    while True:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind in ("display_data", "execute_result"):
            out.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            out.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out)


def _kernel(base: str, token: str, kernel: str) -> Any:
    """A new kernel of ``kernel``'s kind through the REST API, and its websocket."""
    session = _post(f"{base}/api/sessions?token={token}",
                    {"path": f"api-run-{kernel}.ipynb", "type": "notebook", "name": "", "kernel": {"name": kernel}})
    ws_url = base.replace("http://", "ws://") + f"/api/kernels/{session['kernel']['id']}/channels?token={token}"
    return _websocket().create_connection(ws_url, timeout=300)


def _outside(engine: Any) -> tuple[socket.socket, str]:
    """A port open on the host, and the address the sandbox would reach the host at (the bridge's gateway)."""
    listener = socket.create_server(("0.0.0.0", 0))
    listener.settimeout(0.1)
    return listener, engine.networks.get("bridge").attrs["IPAM"]["Config"][0]["Gateway"]


def _probe(gateway: str, outside: socket.socket) -> str:
    """Bash for the kernel: connect to the host's open port; REACHED or UNREACHABLE."""
    return (f"python3 -c \"import socket; socket.create_connection(('{gateway}', {outside.getsockname()[1]}), "
            "timeout=10)\" 2>&1 && echo REACHED || echo UNREACHABLE")


def _recorded(cell: Any) -> str | None:
    outs = [o for o in cell.get("outputs", []) if o.get("metadata", {}).get("tutorcheck", {}).get("recorded")]
    return "".join(o.get("text") or o.get("data", {}).get("text/plain", "") for o in outs) if outs else None


def test_when_the_lab_runs_then_the_notebook_is_served_from_the_sandbox_and_ctrl_c_removes_it(
        engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the notebook names its source as the repository does, not this machine's path
    assert main(["extract", str(SAMPLE.relative_to(ROOT)), "-o", str(tmp_path / "gen")]) == 0
    article = tmp_path / "gen" / SLUG
    outside, gateway = _outside(engine)  # something on the host for the kernel to try to reach

    proc, url = _start_lab(article, tmp_path / "lab.log")
    try:
        assert url.startswith("http://127.0.0.1:") and f"/lab/tree/{SLUG}.ipynb?token=" in url, url
        base, token = url.split("/lab/")[0], url.split("token=")[1]
        assert len(token) >= 24
        with pytest.raises(OSError):  # served on 127.0.0.1 only: not on the host's other addresses
            socket.create_connection((gateway, int(base.rsplit(":", 1)[1])), timeout=10).close()

        # the sandbox: the check policy, no mount, no network, the token nowhere in its config
        mine = engine.api.containers(filters={"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]})
        assert len(mine) == 1, mine
        info = engine.api.inspect_container(mine[0]["Id"])
        host = info["HostConfig"]
        assert host["NetworkMode"] == "none" and host["ReadonlyRootfs"] and host["CapDrop"] == ["ALL"]
        assert not host["PortBindings"] and not info["Mounts"], (host["PortBindings"], info["Mounts"])
        # the container starts as root only for the launcher, which drops every process of the lab to tutor
        assert info["Config"]["User"] == "0:0" and set(host["CapAdd"]) <= {"KILL", "SETGID", "SETUID"}
        assert host["Memory"] > 0 and host["PidsLimit"] > 0
        users = {row[1] for row in engine.api.top(mine[0]["Id"], ps_args="-o pid,user:20,args")["Processes"]
                 if ("labrelay" in row[-1] or "jupyter" in row[-1]) and "launch.py" not in row[-1]}  # not init
        assert users and all(u in ("60999", "tutor") or u == _host_user(60999) for u in users), users
        assert token not in json.dumps(info["Config"]) and token not in json.dumps(host)

        # the article's files, copied in; nobody without the token gets in
        listing = {f["name"] for f in _get(f"{base}/api/contents?token={token}")["content"]}
        assert {f"{SLUG}.ipynb", f"{SLUG}.md", "tutorial.json"} <= listing, listing
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(f"{base}/api/contents?token=not-{token}")
        assert refused.value.code == 403

        # a real browser shows the notebook
        text, png = _screenshot(url, tmp_path / "chromium")
        assert "A garden of files" in text and "export GARDENER=learner" in text, text[:2000]
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
        if os.environ.get("TUTORCHECK_LAB_SCREENSHOT"):
            Path(os.environ["TUTORCHECK_LAB_SCREENSHOT"]).write_bytes(png)

        # Run All through Jupyter's own API: a kernel of the notebook's kind, its cells in order
        nb = nbformat.read(article / f"{SLUG}.ipynb", as_version=4)
        kernel = nb.metadata["kernelspec"]["name"]
        ws = _kernel(base, token, kernel)
        try:
            matched = 0
            for cell in nb.cells:
                if cell.cell_type != "code" or "skip-execution" in cell.metadata.get("tags", []):
                    continue
                got = _run_cell(ws, cell.source)
                expected = _recorded(cell)
                if expected is not None:
                    assert compare(expected, got).ok, (cell.source, expected, got)
                    matched += 1
            assert matched == 4  # every recorded output, each needing the cells before it (cd, export, a file)

            # the kernel has no way out, not even to the host it runs on
            got = _run_cell(ws, _probe(gateway, outside))
            assert "UNREACHABLE" in got and "REACHED\n" not in got.replace("UNREACHABLE", ""), got
            with pytest.raises(TimeoutError):
                outside.accept()
        finally:
            ws.close()

        # the Python kernel is the image's own (Debian's ipykernel), as `tutorcheck notebook` runs it
        ws = _kernel(base, token, "python3")
        try:
            _run_cell(ws, "import sys\nanswer = 41")
            assert _run_cell(ws, "print(sys.executable, answer + 1)") == "/usr/bin/python3 42\n"
        finally:
            ws.close()
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        code = proc.wait(timeout=DEADLINE_S)
        outside.close()
    assert code == 0, (tmp_path / "lab.log").read_text()
    assert not engine.api.containers(all=True, filters={"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]})
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10).close()


def test_when_the_network_is_allowed_then_the_same_probe_gets_out_and_sigterm_removes_it(engine: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The counterpart of the probe above: with --allow-network=private it does reach the host, so
    the refusal without it is the sandbox's doing, not the probe's (plain --allow-network opens
    public addresses only: this host stays closed, as tests/test_hostile_sandbox.py shows)."""
    monkeypatch.chdir(ROOT)
    assert main(["extract", str(SAMPLE.relative_to(ROOT)), "-o", str(tmp_path / "gen")]) == 0
    outside, gateway = _outside(engine)
    proc, url = _start_lab(tmp_path / "gen" / SLUG, tmp_path / "lab.log", "--allow-network=private")
    try:
        mine = engine.api.containers(filters={"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]})
        assert engine.api.inspect_container(mine[0]["Id"])["HostConfig"]["NetworkMode"] == "bridge"
        ws = _kernel(url.split("/lab/")[0], url.split("token=")[1], "bash")
        try:
            assert "REACHED" in _run_cell(ws, _probe(gateway, outside)).replace("UNREACHABLE", "")
        finally:
            ws.close()
        outside.accept()[0].close()
    finally:
        proc.send_signal(signal.SIGTERM)  # as a service manager or `kill` stops it
        code = proc.wait(timeout=DEADLINE_S)
        outside.close()
    assert code == -signal.SIGTERM, (code, (tmp_path / "lab.log").read_text())
    assert not engine.api.containers(all=True, filters={"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]})
