#!/usr/bin/env bash
# Offline base image: when no registry answers, build tutorcheck/base:SUITE from a Debian
# mirror with debootstrap (minbase) and `docker import` it.
#   usage: bootstrap.sh TAG SUITE MIRROR [LABEL=VALUE...]
# Needs root (debootstrap). Installs debootstrap with apt-get when missing.
set -euo pipefail
tag=$1 suite=$2 mirror=$3
shift 3
if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null
fi
work=$(mktemp -d /tmp/tutorcheck-rootfs.XXXXXX)
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase "$suite" "$work/root" "$mirror" >"$work/log" 2>&1 || {
    tail -20 "$work/log" >&2; exit 1; }
# the same trimming as the official slim images: no apt caches, no docs
rm -rf "$work/root"/var/lib/apt/lists/* "$work/root"/var/cache/apt/*.bin \
       "$work/root"/usr/share/doc/* "$work/root"/usr/share/man/*
changes=(--change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8')
for l in "$@"; do changes+=(--change "LABEL $l"); done
tar -C "$work/root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
echo "$tag"
