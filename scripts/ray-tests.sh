#!/usr/bin/env bash
# The Ray driver's tests (python/test_domino_ray.py): installs Ray from PyPI into a project-local
# virtual environment (.venv-ray, git-ignored; reused when it already has the pinned version),
# then runs a small sweep through python/domino_ray.py on a local single-node Ray cluster that
# listens on 127.0.0.1 only. The test stops the cluster and every process it started, by pid,
# also when a test fails; this script kills by pid any of them left if the test itself was killed.
# Usage: scripts/ray-tests.sh [DOMINO_BINARY] (default .build/release/domino).
set -euo pipefail
cd "$(dirname "$0")/.."
DOMINO=${1:-.build/release/domino}
RAY_VERSION=2.60.0
VENV=.venv-ray
[ -x "$DOMINO" ] || { echo "ray-tests: $DOMINO: no domino binary (swift build -c release first)" >&2; exit 2; }
if ! "$VENV/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$RAY_VERSION')" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "ray==$RAY_VERSION"
fi
# A single-node cluster on loopback only (Ray 2.60 then reports its node at 127.0.0.1), no
# usage reports, nothing from the dashboard.
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0 RAY_DISABLE_IMPORT_WARNING=1
status=0
pidfile=$(mktemp)
# The cluster's processes (written by the test as it sees them): stopped by pid if the test
# could not (a timeout kills it first), those still running ray or domino code.
cleanup() {
    while read -r p; do
        if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qE 'ray|domino|gcs_server|raylet'; then
            kill -9 "$p" 2>/dev/null || true
        fi
    done < "$pidfile"
    rm -f "$pidfile"
}
trap cleanup EXIT
DOMINO_RAY_TEST_PIDFILE=$pidfile timeout --kill-after=10 240 "$VENV/bin/python" python/test_domino_ray.py "$DOMINO" || status=$?
exit "$status"
