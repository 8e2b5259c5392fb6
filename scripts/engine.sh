#!/usr/bin/env bash
# Make sure a Docker engine answers and the sandbox images exist (run after scripts/setup.sh).
#   1. an engine already answers → use it;
#   2. else, as root on Debian: apt-get install docker.io (when dockerd is missing), start
#      dockerd in the background and wait until `docker info` answers;
#   3. else: say why and exit 1.
# Then `.venv/bin/tutorcheck sandbox build` (a fast no-op when the images are current).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=/tmp/tutorcheck-dockerd.log

answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }

fail() { echo "engine.sh: $*" >&2; exit 1; }

if ! answers; then
    [ "$(id -u)" = 0 ] || fail "no Docker engine answers and this is not root: start dockerd (or ask an admin) and re-run"
    [ -f /etc/debian_version ] || fail "no Docker engine answers and this is not Debian: install and start Docker, then re-run"
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        echo "engine.sh: installing docker.io with apt-get" >&2
        apt-get update -qq >/dev/null || fail "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null || fail "apt-get install docker.io failed"
    fi
    if ! pgrep -x dockerd >/dev/null 2>&1; then
        echo "engine.sh: starting dockerd (log: $log)" >&2
        nohup dockerd >"$log" 2>&1 &
    fi
    for _ in $(seq 1 60); do
        answers && break
        sleep 1
    done
    answers || fail "dockerd did not answer within 60s; see $log"
fi

[ -x .venv/bin/tutorcheck ] || fail ".venv/bin/tutorcheck is missing: run scripts/setup.sh first"
.venv/bin/tutorcheck sandbox build >/dev/null
