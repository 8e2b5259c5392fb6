#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ and prints one JSON object per benchmark, one per line
# (JSON Lines). Needs the README set-up (`make test` or `make demo`: .venv, engine, images).
# Usage, from the repository root: bash benchmarks/run_all.sh
# Exit status: 0 when every benchmark ran (missed targets are reported in the JSON, met: false),
# 1 when one could not run (its reason on stderr), 2 without the venv.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
PY=.venv/bin/python
if [ ! -x "$PY" ]; then
  echo "run_all.sh: $PWD/$PY not found; run 'make test' or 'make demo' first" >&2
  exit 2
fi
status=0
for bench in bench_extract bench_sandbox bench_incremental bench_parallel bench_fidelity bench_hostile bench_hostile_sandbox bench_checkpoint bench_lab; do
  if out=$("$PY" "benchmarks/$bench.py"); then
    printf '%s\n' "$out" | "$PY" -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=False))'
  else
    echo "run_all.sh: benchmarks/$bench.py failed" >&2
    status=1
  fi
done
exit "$status"
