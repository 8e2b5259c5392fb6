#!/usr/bin/env python3
"""Run one notebook top to bottom inside the sandbox (the notebook image's main process).

Speaks the driver's protocol: prints {"ready": true, "cwd"} and reads ONE request line
{"id", "op": "notebook", "ipynb": <notebook JSON text>, "cell_timeout": <seconds per cell>}. Executes it
with nbclient in the working directory, as "Run All" in Jupyter would: cells tagged
``skip-execution`` are left alone, the first failing cell stops the run. Answers
{"id", "status": "ok"|"error", "notebook": <executed JSON text>, "failed": {cell, ename, evalue}|null,
"executed": N, "duration"}.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time


def main() -> int:
    signal.alarm(int(os.environ.get("TUTORCHECK_LIFETIME", "3600")))  # the in-container backstop
    out = sys.stdout
    out.write(json.dumps({"ready": True, "cwd": os.getcwd(), "pid": os.getpid()}) + "\n")
    out.flush()
    line = sys.stdin.readline()
    req = json.loads(line) if line.strip() else {}
    while req.get("op") == "env":  # values for the kernels (--env), kept out of the container's config
        os.environ.update({str(k): str(v) for k, v in dict(req.get("vars") or {}).items()})
        out.write(json.dumps({"id": req.get("id"), "status": "ok", "exit": 0}) + "\n")
        out.flush()
        line = sys.stdin.readline()
        req = json.loads(line) if line.strip() else {}
    if not req:
        return 0
    t0 = time.monotonic()
    answer: dict[str, object] = {"id": req.get("id"), "status": "ok", "failed": None}
    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        nb = nbformat.reads(req["ipynb"], as_version=4)
        default = int(req.get("cell_timeout", 60))
        # a cell's own timeout: the author's (a timeout= directive, in the cell's metadata)
        client = NotebookClient(nb, timeout=default, startup_timeout=60,
                                timeout_func=lambda cell: int(cell.metadata.get("tutorcheck", {}).get("timeout")
                                                              or default),
                                kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
                                skip_cells_with_tag="skip-execution",
                                resources={"metadata": {"path": os.getcwd()}})
        try:
            client.execute()
        except CellExecutionError as e:
            answer["status"] = "error"
            failed = next((c for c in nb.cells if c.cell_type == "code" and any(
                o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            answer["failed"] = {"cell": failed.get("id") if failed else None,
                                "ename": getattr(e, "ename", ""), "evalue": str(getattr(e, "evalue", ""))[:2000]}
        except Exception as e:  # a cell timeout, a dead kernel: the run ends here
            answer["status"] = "error"
            answer["failed"] = {"cell": None, "ename": type(e).__name__, "evalue": str(e)[:2000]}
        answer["executed"] = sum(1 for c in nb.cells if c.cell_type == "code" and c.get("execution_count"))
        answer["notebook"] = nbformat.writes(nb)
    except Exception as e:
        answer["status"] = "error"
        answer["failed"] = {"cell": None, "ename": type(e).__name__, "evalue": str(e)[:2000]}
    answer["duration"] = round(time.monotonic() - t0, 3)
    out.write(json.dumps(answer) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
