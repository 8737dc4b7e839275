#!/usr/bin/env bash
# Sensitivity of the episodes' known outcomes to the assumptions the record is silent on: each
# row replays every spec with one override (`domino verify --set`) and reports how many known
# outcomes pass, and the modelled value of the headline outcomes. Prints a Markdown table (the
# one in replays/README.md). Needs a release build: swift build -c release --product domino.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/domino
rows=(
  ""
  "model.halt.horizon=24h" "model.halt.horizon=72h"
  "model.marginCallWindow=12h" "model.marginCallWindow=48h"
  "model.recallNotice=24h" "model.recallNotice=7d"
  "model.recoveryRate=0.25" "model.recoveryRate=0.75"
  "model.filingDelay=7d" "model.filingDelay=21d"
  "entities.Celsius.liquid.USDC=1850000000" "entities.Celsius.liquid.USDC=2250000000"
  "entities.3AC.liquid.USDC=200000000" "entities.3AC.liquid.USDC=600000000"
  "loans[14].maintenance=0.7" "loans[14].maintenance=0.8"
)
ids="3ac-celsius-2022/celsius-halt 3ac-celsius-2022/3ac-default 3ac-celsius-2022/voyager-loss 3ac-celsius-2022/voyager-filing 3ac-celsius-2022/genesis-loss ftx-2022/ftx-halt ftx-2022/blockfi-halt ftx-2022/alameda-default ftx-2022/blockfi-loss ftx-2022/blockfi-filing"
printf '| override (every spec) | pass | gap | fail |'
for id in $ids; do printf ' %s |' "$id"; done; echo
printf '|---|---|---|---|'; for id in $ids; do printf -- '---|'; done; echo
for set in "${rows[@]}"; do
  args=(--quiet --json)
  [ -n "$set" ] && args+=(--set "$set")
  # Overrides of an entity or a loan are the flagship's (3AC/Celsius) assumptions: that spec only.
  specs=(replays/*.yaml)
  case "$set" in entities.*|loans*) specs=(replays/3ac-celsius-2022.yaml);; esac
  out=$("$bin" verify "${args[@]}" "${specs[@]}" 2>/dev/null || true)
  if [ -z "$out" ]; then echo "| \`${set:-as written}\` | (not applicable to every spec) |"; continue; fi
  VERIFY_JSON="$out" python3 - "$set" "$ids" <<'PY'
import json, os, sys
d = json.loads(os.environ["VERIFY_JSON"]); label = sys.argv[1] or "as written"; ids = sys.argv[2].split()
rows = {s["spec"] + "/" + o["id"]: o for s in d["specs"] for o in s["outcomes"]}
cells = [rows[i]["modelled"] + ("" if rows[i]["result"] in ("pass", "holds", "gap", "unstressed") else " ✗") if i in rows else "" for i in ids]
print(f"| `{label}` | {d['passed']} | {d['gaps']} | {d['failed']} | " + " | ".join(cells) + " |")
PY
done
