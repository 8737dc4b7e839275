#!/usr/bin/env bash
# Issue 14 §1: no committed log may hold a dated run shape. For each platform (the request's
# counterparty) and asset in every log, no day's withdrawal requests may exceed 3x the median
# day over the log's declared window (header timeRange), days without requests counting as
# zero. Background flows pass; a withdrawal wave, a "refused" run or a window shaped to a known
# outcome does not.
#
#   bash scripts/check-runs.sh [DOMINO] [LOG...]     (defaults: .build/debug/domino, every
#                                                    committed .zst under datasets/ and replays/)
set -euo pipefail
cd "$(dirname "$0")/.."
domino="${1:-.build/debug/domino}"
shift || true
if [ "$#" -gt 0 ]; then logs=("$@"); else mapfile -t logs < <(git ls-files 'datasets/*.zst' 'replays/*.zst' 'replays/**/*.zst'); fi
status=0
for log in "${logs[@]}"; do
  "$domino" log cat "$log" --with-header --kind withdrawal-request --format jsonl > "${TMPDIR:-/tmp}/check-runs.$$.jsonl"
  if ! python3 - "$log" "${TMPDIR:-/tmp}/check-runs.$$.jsonl" <<'PY'
import json, sys
from decimal import Decimal
from datetime import datetime, timezone
log, path = sys.argv[1], sys.argv[2]
DAY = 86_400_000
lines = open(path).read().splitlines()
header = json.loads(lines[0])["header"]
start, end = header["timeRange"]["start"], header["timeRange"]["end"]
days = (end // DAY) - (start // DAY) + 1
totals = {}  # (platform, asset) -> {day: amount}
for line in lines[1:]:
    e = json.loads(line)
    t = int(datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp() * 1000)
    key = (e.get("counterparty", "?"), e.get("asset", "?"))
    d = t // DAY - start // DAY
    totals.setdefault(key, {}).setdefault(d, Decimal(0))
    totals[key][d] += Decimal(e["amount"])
bad = 0
for (platform, asset), by_day in sorted(totals.items()):
    series = sorted([by_day.get(d, Decimal(0)) for d in range(days)])
    n = len(series)
    median = series[n // 2] if n % 2 else (series[n // 2 - 1] + series[n // 2]) / 2
    peak_day = max(by_day, key=lambda d: (by_day[d], -d))
    peak = by_day[peak_day]
    if peak > 3 * median:
        day = datetime.fromtimestamp((start // DAY + peak_day) * DAY / 1000, tz=timezone.utc).date()
        print(f"check-runs: {log}: {platform} {asset}: {peak} requested on {day}, over 3x the median day ({median}) of {days} days: a run shape, not a background flow", file=sys.stderr)
        bad += 1
print(f"check-runs: {log}: {len(totals)} platform/asset series, {'FAIL' if bad else 'ok'}")
sys.exit(1 if bad else 0)
PY
  then status=1; fi
done
rm -f "${TMPDIR:-/tmp}/check-runs.$$.jsonl"
exit $status
