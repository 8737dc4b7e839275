#!/usr/bin/env bash
# Installs what building and testing Domino needs beyond the Swift toolchain, only when missing:
# libzstd-dev (the system zstd library, found through pkg-config), libsqlite3-dev (the system
# SQLite, for GRDB), pkg-config, and the zstd
# command-line tool (tests and `domino bench log` compare against it). Uses apt-get, with sudo
# when not root. Sourced by main.sh and test.sh; safe to run again.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists libzstd 2>/dev/null; then need+=(libzstd-dev); fi
if ! pkg-config --exists sqlite3 2>/dev/null; then need+=(libsqlite3-dev); fi # GRDB (domino sweep) links the system SQLite
command -v zstd >/dev/null 2>&1 || need+=(zstd)

if [ ${#need[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "domino setup: missing ${need[*]} and no apt-get here; install them with your package manager" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "domino setup: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
