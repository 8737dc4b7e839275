#!/usr/bin/env bash
# Quick start, command 1: the main job on bundled data.
# Builds domino (release) and replays the flagship episode, 3AC -> Celsius, Voyager, BlockFi and
# Genesis (May-July 2022), over the bundled price log and reconstructed flows: the timeline of
# outcomes and the headline figures. Extra arguments go to `domino replay` (e.g. --json,
# --policy no-rehypothecation, --out DIR). Then writes the episode's HTML report (as written,
# charts, the exposure network over time, the scorecard) to reports/3ac-celsius-2022.html and
# prints its path on stderr (stdout stays the replay's, e.g. its JSON).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product domino >&2
.build/release/domino replay replays/3ac-celsius-2022.yaml "$@"
mkdir -p reports
.build/release/domino report replays/3ac-celsius-2022.yaml --quiet --out reports/3ac-celsius-2022.html >/dev/null
echo "Report: $(pwd)/reports/3ac-celsius-2022.html (open it in a browser)" >&2
