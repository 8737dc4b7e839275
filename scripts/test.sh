#!/usr/bin/env bash
# Quick start, command 2: every test. Builds debug and runs the Swift Testing suites
# (unit, property, corruption and end-to-end CLI tests), then checks the bundled datasets.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
.build/debug/domino log check datasets/*.zst
