#!/usr/bin/env bash
# Internal checks: builds domino with DOMINO_INTERNAL_CHECKS (its own scratch path, .build-checks)
# and replays every episode (replays/*.yaml) with no policy and with every shipped policy set
# (replays/policies/*.yaml). In that build the model asserts after every input that value is
# conserved and claims add up, and at every skipped check that it would have found nothing
# (Sources/DominoModel/Model+Invariants.swift); a violation stops the replay with
# "domino: internal check: ..." and fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
swift build -c release --product domino -Xswiftc -DDOMINO_INTERNAL_CHECKS --scratch-path .build-checks
bin=.build-checks/release/domino
runs=0
for spec in replays/*.yaml; do
  for policy in "" replays/policies/*.yaml; do
    args=("$spec")
    [ -n "$policy" ] && args+=(--policy "$(basename "$policy" .yaml)")
    if ! "$bin" replay "${args[@]}" --quiet > /dev/null 2> .build-checks/last.err; then
      echo "internal-checks: FAILED: domino replay ${args[*]}" >&2
      cat .build-checks/last.err >&2
      exit 1
    fi
    runs=$((runs + 1))
  done
done
echo "internal-checks: $runs replays (episodes x policy sets) passed every check"
