"""Host-side faults: outputs that cannot be written, a full disk, a corrupted cache.

Each ends with a clear message naming what could not be written (exit 2, no traceback),
never a half-written file or line, and every article that could be done is done.
A full disk is a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from extractor.cache import VerdictCache
from extractor.results import ArticleResult, StepResult
from extractor.vocab import ArticleStatus, StepStatus

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "feeds"
CLI = [sys.executable, "-m", "extractor.cli"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def _with_file_limit(limit: int, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with files capped at ``limit`` bytes: a write past it fails as on a full disk."""
    prelude = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_an_output_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    done = _cli("extract", str(FEEDS / "tutorcheck-examples.atom.xml"), "-o", str(blocker / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"-o {blocker / 'out'}: cannot write there" in done.stderr


@pytest.mark.parametrize("flag", ["--cache-dir", "--json", "--report", "--junit"])
def test_a_check_output_that_cannot_be_written_stops_before_any_run(flag: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x\n", encoding="utf-8")
    target = blocker / "sub" if flag == "--cache-dir" else blocker / "sub" / "out.txt"
    done = _cli("check", str(ROOT / "tests" / "data" / "hostile" / "secrets"), flag, str(target))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{flag} " in done.stderr and "cannot write there" in done.stderr


def _three_articles(path: Path) -> None:
    """A small article, one whose files are ~60 KB (its 30 KB output is in the model twice), a small one."""
    def item(slug: str, lines: int) -> str:
        output = "".join(f"line {n} of the output\n" for n in range(lines))
        body = f"<pre><code class='language-bash'>$ seq {lines}\n{output}</code></pre>"
        return (f"<item><title>{slug}</title><link>https://f.invalid/{slug}</link>"
                f"<description>{body.replace('&', '&amp;').replace('<', '&lt;')}</description></item>")
    items = item("first", 3) + item("big", 1400) + item("last", 3)
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>'
                    f"<link>https://f.invalid/</link>{items}</channel></rss>\n", encoding="utf-8")


def test_a_full_disk_during_extract_loses_only_what_did_not_fit(tmp_path: Path) -> None:
    out, feed = tmp_path / "out", tmp_path / "three.rss.xml"
    _three_articles(feed)
    done = _with_file_limit(48 * 1024, f"""
        from extractor.cli import main
        sys.exit(main(["extract", {str(feed)!r}, "-o", {str(out)!r}, "--jobs", "1"]))
    """)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    failed = [ln for ln in done.stderr.splitlines() if "cannot write" in ln]
    assert len(failed) == 1 and "'big'" in failed[0], done.stderr
    assert sorted(p.parent.name for p in out.glob("*/tutorial.json")) == ["first", "last"]  # before and after
    assert [a["slug"] for a in json.loads((out / "index.json").read_text(encoding="utf-8"))["articles"]] == [
        "first", "last"]
    for path in out.rglob("*"):
        assert not path.name.endswith(".tmp"), path  # no half-written file left behind
        if path.suffix in (".json", ".ipynb"):
            json.loads(path.read_text(encoding="utf-8"))


def test_a_full_disk_while_recording_verdicts_keeps_running_and_leaves_whole_lines(tmp_path: Path) -> None:
    done = _with_file_limit(8 * 1024, f"""
        from pathlib import Path
        from extractor.errors import ExtractorError
        from extractor.harness import CheckSetup, run_check
        from extractor.model import SourceRef, Tutorial
        from extractor.reports import ReportPaths
        from extractor.results import ArticleResult, StepResult
        from extractor.vocab import ArticleStatus, StepStatus

        ran = []
        def runner(t):
            ran.append(t.slug)
            big = "x" * (9000 if t.slug == "a-2" else 10)
            step = StepResult(block=0, step=0, command="echo", status=StepStatus.PASSED, output=big)
            return ArticleResult(t.slug, ArticleStatus.PASSED, steps=(step,))
        tutorials = [Tutorial(slug=f"a-{{n}}", title="t", url="", source=SourceRef("f", "rss20"), blocks=())
                     for n in range(5)]
        out = Path({str(tmp_path)!r})
        setup = CheckSetup(cache_dir=None, partial=out / "partial.jsonl",
                           reports=ReportPaths(json=out / "results.json"))
        try:
            run_check(tutorials, runner, setup)
        except ExtractorError as e:
            print("ERROR", e)
        print("RAN", ",".join(ran))
    """)
    assert "Traceback" not in done.stderr, done.stderr
    assert "RAN a-0,a-1,a-2,a-3,a-4" in done.stdout  # the run did not stop at the first failed write
    assert "ERROR tutorcheck check: cannot write" in done.stdout
    assert "cannot write the reports" in done.stderr
    lines = (tmp_path / "partial.jsonl").read_text(encoding="utf-8").splitlines()
    # a-2 did not fit: its line is not there at all; the lines after it are whole
    assert [json.loads(ln)["slug"] for ln in lines] == ["a-0", "a-1", "a-3", "a-4"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_cache_entry_with_a_wrong_typed_field_is_a_miss_said_on_stderr(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    cache = VerdictCache(tmp_path)
    step = StepResult(block=0, step=0, command="true", status=StepStatus.PASSED)
    cache.put("ab" * 32, ArticleResult("s", ArticleStatus.PASSED, steps=(step,)))
    assert cache.get("ab" * 32) is not None
    path = next(tmp_path.rglob("*.json"))
    for corrupt in ({"duration_s": "fast"}, {"steps": "none"}, {"steps": [{"block": "0"}]}, {"status": 7}):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["result"].update(corrupt)
        path.write_text(json.dumps(data), encoding="utf-8")
        assert cache.get("ab" * 32) is None, corrupt
        assert "unreadable cache entry" in capsys.readouterr().err


def test_an_engine_that_accepts_and_never_answers_costs_one_ping_not_minutes_per_article(tmp_path: Path) -> None:
    import json as json_
    import socket
    import threading

    path = tmp_path / "silent.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:  # accept every connection, answer nothing
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        gen = tmp_path / "gen"
        assert _cli("extract", str(FEEDS / "tutorcheck-examples.atom.xml"), "-o", str(gen)).returncode == 0
        done = subprocess.run([*CLI, "check", str(gen), "--no-cache", "--json", str(tmp_path / "r.json")],
                              capture_output=True, text=True, cwd=ROOT, timeout=300,
                              env={**__import__("os").environ, "DOCKER_HOST": f"unix://{path}"})
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
    assert done.returncode == 1, done.stderr
    articles = json_.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["articles"]
    assert len(articles) == 3 and {a["status"] for a in articles} == {"error"}
    assert all("no Docker engine answers within" in a.get("reason", "") for a in articles), articles
    assert articles[0]["duration_s"] > 0  # the wait is reported as it was, not as 0.0s


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "0", "ten"])
def test_a_time_limit_must_be_a_positive_finite_number(value: str) -> None:
    done = _cli("check", str(ROOT / "tests" / "data" / "hostile" / "secrets"), f"--timeout={value}")
    assert done.returncode == 2
    assert f"expected a positive number of seconds, got {value!r}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_dribbling_bytes_cannot_hold_a_fetch_past_its_total_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import threading
    import time

    from extractor import feeds
    from extractor.errors import SourceError

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def dribble() -> None:  # a byte every half second: each read is quick, the whole never ends
        conn, _ = server.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b"<")
            except OSError:
                break
            time.sleep(0.5)
        conn.close()

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    monkeypatch.setattr(feeds, "FETCH_TIMEOUT_S", 2.0)
    try:
        with pytest.raises(SourceError, match="no complete answer within 2s"):
            feeds.fetch(f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml")
    finally:
        stop.set()
        server.close()


def test_one_corrupted_tutorial_json_in_a_generated_folder_loses_only_that_article(tmp_path: Path) -> None:
    from extractor.targets import load_targets

    gen = tmp_path / "gen"
    assert _cli("extract", str(FEEDS / "tutorcheck-examples.atom.xml"), "-o", str(gen)).returncode == 0
    broken = sorted(gen.glob("*/tutorial.json"))[0]
    broken.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # nested past what json reads
    tutorials, errors = load_targets([str(gen)])
    assert len(tutorials) == 2
    assert len(errors) == 1 and str(broken) in str(errors[0]) and "not valid JSON" in str(errors[0])
