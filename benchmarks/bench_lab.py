"""``tutorcheck lab``: how long until its URL answers, and what the relay costs (every byte to
JupyterLab goes over the container's attach socket, base64 in JSON lines): a file sent up and
fetched back through it, and a kernel round trip (an empty bash cell over the websocket).

Prints one JSON object. Usage: python benchmarks/bench_lab.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, child_env, emit, fail, median, preflight, r3, tutorcheck_bin  # noqa: E402

NAME = "bench_lab"
SAMPLE = ROOT / "tests" / "data" / "lab"
FILE_BYTES = 8 * 1000 * 1000
# a learner waits for the lab once, and for a cell every time: bash_kernel's own prompt wait is most of the latter
TARGETS = {"lab_start_s_max": 30.0, "relay_mb_per_s_min": 5.0, "kernel_round_trip_ms_max": 250.0}


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as r:  # noqa: S310 - our own 127.0.0.1 server
        return bytes(r.read())


def one_round(article: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([tutorcheck_bin(), "lab", str(article)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env())
    starting: list[float] = []  # when the image was ready and the container about to start

    def watch() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "starting JupyterLab" in line:
                starting.append(time.perf_counter())

    threading.Thread(target=watch, daemon=True).start()
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url or not starting:
            raise fail(NAME, "tutorcheck lab printed no URL")
        base, token = url.split("/lab/")[0], url.split("token=")[1]
        _get(url)
        answered = time.perf_counter()
        up, down = _file_through_relay(base, token)
        return {"start_s": answered - t0, "lab_start_s": answered - starting[0], "upload_s": up, "download_s": down,
                "kernel_ms": _kernel_round_trips(base, token)}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)


def _file_through_relay(base: str, token: str) -> tuple[float, float]:
    """FILE_BYTES into the lab's home with the contents API, then back from /files (medians of 3)."""
    body = json.dumps({"type": "file", "format": "text", "content": "x" * FILE_BYTES}).encode()
    ups, downs = [], []
    for _ in range(3):
        req = urllib.request.Request(f"{base}/api/contents/bench.txt?token={token}", data=body, method="PUT",
                                     headers={"Content-Type": "application/json"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310 - our own 127.0.0.1 server
            r.read()
        ups.append(time.perf_counter() - t)
        t = time.perf_counter()
        got = _get(f"{base}/files/bench.txt?token={token}")
        downs.append(time.perf_counter() - t)
        if len(got) != FILE_BYTES:
            raise fail(NAME, f"/files gave {len(got)} bytes, not {FILE_BYTES}")
    return median(ups), median(downs)


def _kernel_round_trips(base: str, token: str) -> float:
    import websocket

    body = json.dumps({"path": "bench.ipynb", "type": "notebook", "name": "", "kernel": {"name": "bash"}}).encode()
    req = urllib.request.Request(f"{base}/api/sessions?token={token}", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310
        kernel = json.loads(r.read())["kernel"]["id"]
    ws = websocket.create_connection(base.replace("http", "ws") + f"/api/kernels/{kernel}/channels?token={token}",
                                     timeout=120)
    times = []
    try:
        for _ in range(11):
            msg_id = uuid.uuid4().hex
            t = time.perf_counter()
            ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "bench",
                                           "session": msg_id, "version": "5.3"}, "parent_header": {},
                                "metadata": {}, "channel": "shell", "buffers": [],
                                "content": {"code": "true", "silent": False, "store_history": False,
                                            "user_expressions": {}, "allow_stdin": False}}))
            while True:
                m = json.loads(ws.recv())
                if (m.get("parent_header", {}).get("msg_id") == msg_id and m["msg_type"] == "status"
                        and m["content"]["execution_state"] == "idle"):
                    break
            times.append(time.perf_counter() - t)
    finally:
        ws.close()
    return median(times[1:]) * 1000  # the first one warms the kernel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    preflight(NAME)
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        r = subprocess.run([tutorcheck_bin(), "extract", str(SAMPLE), "-o", tmp], capture_output=True, text=True,
                           env=child_env(), cwd=ROOT)
        if r.returncode != 0:
            raise fail(NAME, f"extract failed: {r.stderr.strip()[-500:]}")
        article = next(p for p in Path(tmp).iterdir() if p.is_dir())
        rounds = [one_round(article) for _ in range(args.rounds)]
    start = median([x["start_s"] for x in rounds])
    lab_start = median([x["lab_start_s"] for x in rounds])
    mb_s = median([FILE_BYTES / x["download_s"] / 1e6 for x in rounds])
    up_mb_s = median([FILE_BYTES / x["upload_s"] / 1e6 for x in rounds])
    rtt = median([x["kernel_ms"] for x in rounds])
    emit({
        "benchmark": "lab",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "measured": "tutorcheck lab on tests/data/lab: command start → its URL answers (start_s: with the image check, "
                    "which waits for any other image build on the engine; lab_start_s: container and JupyterLab); "
                    "8 MB into the lab's home (contents API) and back (/files) through the relay; an empty bash cell's "
                    "round trip "
                    "over the kernel websocket (median of 10)",
        "rounds": [{k: r3(v) for k, v in x.items()} for x in rounds],
        "median": {"start_s": r3(start), "lab_start_s": r3(lab_start), "relay_mb_per_s": r3(mb_s),
                   "relay_upload_mb_per_s": r3(up_mb_s),
                   "kernel_round_trip_ms": r3(rtt)},
        "targets": TARGETS,
        "met": lab_start <= TARGETS["lab_start_s_max"] and mb_s >= TARGETS["relay_mb_per_s_min"]
        and rtt <= TARGETS["kernel_round_trip_ms_max"],
    })


if __name__ == "__main__":
    main()
