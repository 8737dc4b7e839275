#!/usr/bin/env bash
# Quick start, command 1: the main job on bundled data.
# Builds domino (release) and prints the summary of the bundled 2022 price log.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product domino >&2
exec .build/release/domino log info datasets/prices-2022.zst "$@"
