#!/usr/bin/env bash
# Make .venv at the repository root and install tutorcheck into it (editable) with its dev tools.
# Re-running is cheap: pip is skipped when pyproject.toml has not changed since the last install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$py" -m venv .venv
fi
stamp=.venv/.tutorcheck-installed
if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    .venv/bin/python -m pip install --quiet -e '.[dev]'
    .venv/bin/python -m bash_kernel.install --sys-prefix >/dev/null
    cp pyproject.toml "$stamp"
fi
