#!/usr/bin/env bash
# Quick start, command 1: the main job on bundled data.
# Builds domino (release) and replays the flagship episode, 3AC -> Celsius, Voyager, BlockFi and
# Genesis (May-July 2022), over the bundled price log and reconstructed flows: the timeline of
# outcomes and the headline figures. Extra arguments go to `domino replay` (e.g. --json,
# --policy no-rehypothecation, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product domino >&2
exec .build/release/domino replay replays/3ac-celsius-2022.yaml "$@"
