#!/usr/bin/env bash
# Determinism across builds: replays every spec in replays/ with the debug and the release
# binary, in separate processes, and requires identical state hashes and identical summaries;
# then writes the flagship's HTML report (and a counterfactual pair's) with both binaries and
# requires identical bytes.
# Run by scripts/test.sh (and so by CI).
#
# Build directories: DOMINO_DEBUG_SCRATCH and DOMINO_RELEASE_SCRATCH (both default to .build, as
# in CI), for a worktree that keeps its own scratch paths.
set -euo pipefail
cd "$(dirname "$0")/.."
debug_scratch="${DOMINO_DEBUG_SCRATCH:-.build}"
release_scratch="${DOMINO_RELEASE_SCRATCH:-.build}"
swift build --product domino --scratch-path "$debug_scratch" >&2
swift build -c release --product domino --scratch-path "$release_scratch" >&2
specs=(replays/*.yaml)
if [ ! -e "${specs[0]}" ]; then echo "determinism: no specs in replays/" >&2; exit 1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for spec in "${specs[@]}"; do
    name=$(basename "$spec" .yaml)
    "$debug_scratch/debug/domino" replay "$spec" --json --quiet > "$tmp/$name.debug.json"
    "$release_scratch/release/domino" replay "$spec" --json --quiet > "$tmp/$name.release.json"
    "$release_scratch/release/domino" replay "$spec" --json --quiet > "$tmp/$name.release2.json"
    d=$(grep '"stateHash"' "$tmp/$name.debug.json"); r=$(grep '"stateHash"' "$tmp/$name.release.json")
    if cmp -s "$tmp/$name.debug.json" "$tmp/$name.release.json" && cmp -s "$tmp/$name.release.json" "$tmp/$name.release2.json"; then
        echo "determinism: $name: debug = release = release again ${r//[[:space:]]/}"
    else
        echo "determinism: $name: DIFFERENT: debug ${d//[[:space:]]/} release ${r//[[:space:]]/}" >&2
        status=1
    fi
done
# The HTML reports: same bytes from debug, release and release again.
for args in "replays/3ac-celsius-2022.yaml" "replays/3ac-celsius-2022.yaml --b-policy no-rehypothecation"; do
    # shellcheck disable=SC2086
    "$debug_scratch/debug/domino" report $args --quiet --out "$tmp/report.debug.html" >/dev/null
    # shellcheck disable=SC2086
    "$release_scratch/release/domino" report $args --quiet --out "$tmp/report.release.html" >/dev/null
    # shellcheck disable=SC2086
    "$release_scratch/release/domino" report $args --quiet --out "$tmp/report.release2.html" >/dev/null
    sum=$(sha256sum < "$tmp/report.release.html" | cut -c1-16)
    if cmp -s "$tmp/report.debug.html" "$tmp/report.release.html" && cmp -s "$tmp/report.release.html" "$tmp/report.release2.html"; then
        echo "determinism: report $args: debug = release = release again (sha256 $sum…)"
    else
        echo "determinism: report $args: DIFFERENT bytes between builds or processes" >&2
        status=1
    fi
done
exit $status
