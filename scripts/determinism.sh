#!/usr/bin/env bash
# Determinism across builds: replays every spec in replays/ with the debug and the release
# binary, in separate processes, and requires identical state hashes and identical summaries.
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
exit $status
