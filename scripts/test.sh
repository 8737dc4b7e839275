#!/usr/bin/env bash
# Quick start, command 2: every test. Builds debug and runs the Swift Testing suites (unit,
# property, corruption, replay and end-to-end CLI tests), checks the bundled datasets and flow
# logs, compares debug and release replays of every spec (scripts/determinism.sh), verifies
# every episode against its known outcomes (`domino verify`: exit 1 on a failure), replays every
# episode x policy set in the internal-checks build (scripts/internal-checks.sh), renders the
# flagship's HTML report in headless Chromium (scripts/report-check.sh), and runs the Ray
# driver's tests on a local loopback-only cluster (scripts/ray-tests.sh: Ray from PyPI into .venv-ray),
# and throws hostile inputs at the CLI (scripts/hostile.sh, short mode).
# Fuzzing (scripts/fuzz.sh ci): builds the libFuzzer targets (.build-fuzz), runs every input of the
# regression and seed corpora once, then fuzzes each target for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A crashing test process must fail the run, not wait for swift-backtrace (seen hanging here).
export SWIFT_BACKTRACE=enable=no
swift build --build-tests
swift test --skip-build "$@"
.build/debug/domino log check datasets/*.zst replays/flows/*.zst
bash scripts/check-runs.sh .build/debug/domino
# Hostile inputs, short mode (issue 13 §7; `scripts/hostile.sh --full` by hand): fails on a crash,
# a hang, a silent acceptance or a kill test that leaves a partial file or stray staging.
bash scripts/hostile.sh --bin .build/debug/domino
bash scripts/determinism.sh
.build/release/domino verify --quiet
bash scripts/internal-checks.sh
bash scripts/report-check.sh
bash scripts/ray-tests.sh "${DOMINO_RELEASE_SCRATCH:-.build}/release/domino"
# Last, so that a fuzz regression that still crashes does not hide the checks above.
bash scripts/fuzz.sh ci "${DOMINO_FUZZ_SECONDS:-5}"
