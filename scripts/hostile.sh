#!/usr/bin/env bash
# Hostile-input check (issue 13 §7): scripts/hostile.py on the built binary. Short by default
# (scripts/test.sh runs it so); `scripts/hostile.sh --full` by hand. Options pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
exec python3 scripts/hostile.py "$@"
