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

# Typed identities and amounts (Sources/DominoModel/Identifier.swift, Amount.swift): the named
# cross-unit operation compiles; mixing a price with a quantity, or an agent with an asset, does
# not. Each snippet is type-checked with the model's sources, as part of the module.
modules=.build-checks/release/Modules
typecheck() {
  printf 'func mixes(q: Quantity, p: Price, agent: AgentID, asset: AssetID) {\n    %s\n}\n' "$1" > .build-checks/units.swift
  swiftc -typecheck -module-name DominoModel -package-name domino -I "$modules" Sources/DominoModel/*.swift .build-checks/units.swift \
    > .build-checks/units.err 2>&1
}
loan() { printf 'Loan(lender: %s, borrower: %s, asset: %s, principal: .zero, collateral: [], maintenance: .zero, initial: .zero, seniority: 0, notice: 0, customerFunded: false)' "$@"; }
# The model's own state is typed too: balance sheets hold quantities per asset and USD figures,
# the market prices, a loan its principal and its terms as ratios.
state='var a = Agent(name: "", role: .lender, assetCount: 1); var m = Market(assets: [.init(symbol: "X")])'
typecheck "let usd: USD = q * p; _ = usd; _ = Input.price(asset: asset, price: p); _ = Party.agent(agent); _ = Party.agent($(loan agent agent asset).lender); $state; a.liquid[0] += q; a.creditDrawn += a.liquid[asset] * m.price(asset); m.assets[0].price = p.scaled(by: .one)" || {
  echo "internal-checks: FAILED: the well-typed snippet does not compile" >&2; cat .build-checks/units.err >&2; exit 1; }
for mix in '_ = q + p' '_ = Input.price(asset: agent, price: p)' '_ = Input.price(asset: asset, price: q)' '_ = Party.agent(asset)' \
    "_ = $(loan asset agent asset)" "_ = $(loan agent agent agent)" "_ = Input.price(asset: $(loan agent agent asset).lender, price: p)" \
    "$state; a.liquid[0] += a.creditDrawn" "$state; a.recognisedLosses = m.price(asset)" "$state; a.claims[0] = q * p" \
    "$state; m.assets[0].price = m.assets[0].depth" "_ = $(loan agent agent asset).principal + $(loan agent agent asset).maintenance"; do
  if typecheck "$mix" || ! grep -qE "cannot (convert|assign) value of type|cannot be applied to operands of type" .build-checks/units.err; then
    echo "internal-checks: FAILED: '$mix' should not compile (or failed for another reason)" >&2; cat .build-checks/units.err >&2; exit 1
  fi
done
echo "internal-checks: units and identities do not mix (12 snippets rejected, 1 accepted)"
