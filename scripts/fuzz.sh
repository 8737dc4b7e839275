#!/usr/bin/env bash
# Fuzzing (Fuzz/README.md). One libFuzzer binary, DominoFuzz, built with SwiftPM's
# --sanitize=fuzzer,address in its own scratch path (.build-fuzz; the regular build does not
# declare it), with four targets (DOMINO_FUZZ_TARGET):
#   log     the log reader (a whole log file)
#   spec    the spec parser with --set overrides (YAML; lines '#set path=value' are overrides)
#   import  the CSV/JSONL importer (first byte: price CSV, JSONL events, CSV events, manifest)
#   replay  one short replay over a fuzzed small spec and log
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER FLAGS...]   build TARGET and fuzz it for SECONDS
#   scripts/fuzz.sh regress [TARGET...]                   run every input of Fuzz/regressions/ and
#                                                         Fuzz/corpus/ once (default: all targets)
#   scripts/fuzz.sh ci SECONDS                            regress, then fuzz each target SECONDS
#
# Inputs found go to .build-fuzz/corpus/TARGET (the committed seeds in Fuzz/corpus/TARGET stay
# as they are); an input that crashes, hangs (-timeout) or runs out of memory (-rss_limit_mb) is
# copied into Fuzz/regressions/TARGET/, where it stays, committed, once fixed. Exit status 1 when
# a target crashed. The log of each run is .build-fuzz/logs/TARGET-DATE.log.
set -euo pipefail
cd "$(dirname "$0")/.."
# A crash must end the fuzzer at once, not wait for swift-backtrace (it hangs without a terminal).
export SWIFT_BACKTRACE=enable=no
scratch=${DOMINO_FUZZ_SCRATCH:-.build-fuzz}
all=(log spec import replay)
flags=(-timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1)

check_target() {
  case "$1" in
    log|spec|import|replay) ;;
    *) echo "fuzz.sh: unknown target '$1' (targets: ${all[*]})" >&2; exit 2 ;;
  esac
}

build() {
  check_target "$1"
  mkdir -p "$scratch"
  if ! DOMINO_FUZZ=1 swift build -c debug --product DominoFuzz --sanitize=fuzzer --sanitize=address --scratch-path "$scratch" \
       > "$scratch/build.log" 2>&1; then
    grep -E 'error|warning: unused' "$scratch/build.log" >&2 || tail -20 "$scratch/build.log" >&2
    echo "fuzz.sh: the build of DominoFuzz failed (log: $scratch/build.log)" >&2; exit 1
  fi
  echo "$scratch/debug/DominoFuzz"
}

regress() {
  local t=$1 bin f log n=0 failed=()
  bin=$(build "$t")
  mkdir -p "$scratch/regress"
  for f in "Fuzz/regressions/$t"/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    log="$scratch/regress/$t-$(basename "$f").log"
    if ! DOMINO_FUZZ_TARGET=$t "$bin" "${flags[@]}" -artifact_prefix="$scratch/regress/" "$f" > "$log" 2>&1; then
      failed+=("$f: $(grep -m1 -E 'Precondition failed|Fatal error|ERROR: (libFuzzer|AddressSanitizer)' "$log" || echo "see $log")")
    fi
  done
  log="$scratch/regress/$t-corpus.log"
  if [ -n "$(ls -A "Fuzz/corpus/$t" 2>/dev/null)" ] &&
     ! DOMINO_FUZZ_TARGET=$t "$bin" "${flags[@]}" -runs=0 -artifact_prefix="$scratch/regress/" "Fuzz/corpus/$t" > "$log" 2>&1; then
    failed+=("Fuzz/corpus/$t: $(grep -m1 -E 'Precondition failed|Fatal error|ERROR: (libFuzzer|AddressSanitizer)' "$log" || echo "see $log")")
  fi
  if [ ${#failed[@]} -gt 0 ]; then
    for f in "${failed[@]}"; do echo "fuzz.sh: $t: FAILS: $f" >&2; done
    return 1
  fi
  echo "fuzz.sh: $t: $n regression inputs and the seed corpus run clean"
}

fuzz() {
  local t=$1 seconds=$2; shift 2
  local bin work="$scratch/corpus/$t" crashes="$scratch/crashes/$t/" log
  bin=$(build "$t")
  mkdir -p "$work" "$crashes" "$scratch/logs" "Fuzz/regressions/$t"
  log="$scratch/logs/$t-$(date -u +%Y%m%dT%H%M%S).log"
  local rc=0
  local dict=()
  case $t in spec|replay) dict=(-dict=Fuzz/dict/spec.dict) ;; esac
  DOMINO_FUZZ_TARGET=$t "$bin" "${flags[@]}" "${dict[@]}" -max_total_time="$seconds" -artifact_prefix="$crashes" "$@" "$work" "Fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  for f in "$crashes"*; do
    [ -f "$f" ] || continue
    cp -n "$f" "Fuzz/regressions/$t/"
    echo "fuzz.sh: $t: $(basename "$f") -> Fuzz/regressions/$t/" >&2
    rm -f "$f"
  done
  grep -E '^#[0-9]+ +DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed "s/^/fuzz.sh: $t: /" || true
  grep -E 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | sed "s/^/fuzz.sh: $t: last: /" || true
  if [ $rc -ne 0 ]; then echo "fuzz.sh: $t: libFuzzer exited $rc (see $log)" >&2; return 1; fi
}

case "${1:-}" in
  regress)
    shift; status=0
    for t in "${@:-${all[@]}}"; do regress "$t" || status=1; done
    exit $status ;;
  ci)
    seconds=${2:?usage: fuzz.sh ci SECONDS}; status=0
    for t in "${all[@]}"; do regress "$t" || status=1; done
    for t in "${all[@]}"; do fuzz "$t" "$seconds" || status=1; done
    exit $status ;;
  ""|-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  *) [ $# -ge 2 ] || { echo "usage: scripts/fuzz.sh TARGET SECONDS (targets: ${all[*]})" >&2; exit 2; }
     t=$1 seconds=$2; shift 2; check_target "$t"; fuzz "$t" "$seconds" "$@" ;;
esac
