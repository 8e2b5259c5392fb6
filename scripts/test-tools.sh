#!/usr/bin/env bash
# Tools the test suite uses besides Docker (run by `make test` after scripts/engine.sh):
#   chromium — the HTML report is opened in a real headless browser;
#   podman   — the sandbox is checked on a second engine through its Docker-compatible API
#              (catatonit: the init process Podman starts for `init: true` containers);
#   tmux     — `tutorcheck step` is driven through a real terminal (send-keys, capture-pane).
# As root on Debian, missing ones are installed with apt-get; elsewhere, say what is missing
# (the tests that need them then fail and name it).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/libexec/podman/catatonit ] || command -v catatonit >/dev/null 2>&1 || missing+=(catatonit)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    echo "test-tools.sh: missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]})" >&2
    exit 0
fi
echo "test-tools.sh: installing ${missing[*]} with apt-get" >&2
apt-get update -qq >/dev/null || { echo "test-tools.sh: apt-get update failed" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "test-tools.sh: apt-get install ${missing[*]} failed" >&2; exit 1; }
