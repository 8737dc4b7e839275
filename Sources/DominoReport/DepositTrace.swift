import DominoLog
import DominoModel
import DominoReplay

/// One deposit followed through the rehypothecation chain, as the run's balance sheets record
/// it at a moment, and what became of it at the end of the run.
///
/// Allocation rule (pro rata, per asset): balance sheets are pooled, so a deposit has no
/// identity of its own. At the platform, the deposit is a slice of its customers' claims in the
/// asset; each use of the asset (held liquid, lent to a borrower, deployed at a venue or
/// directly, pledged in a pool or as collateral) carries X × use ÷ max(uses, claims). When the
/// platform holds less of the asset than its customers are owed, the rest of X is shown as
/// "not held" (sold, or swapped into other assets). Past the platform, what a borrower receives
/// is spread over its own uses of the asset pro rata (X × use ÷ uses), and so on down the chain
/// (at most six steps, each party once, slices under a millionth of X dropped). At the end the
/// deposit is worth its tokens at the last prices; it loses the share its cohort loses
/// (`Model.cohortLoss`), and that loss is attributed to the losses the platform recognised on
/// each counterparty, pro rata, with the rest to the platform's market and liquidity hole.
package struct DepositTrace: Sendable {
    package struct Leg: Sendable, Equatable {
        package var depth: Int
        package var from: String
        /// The party now holding it, or a terminal label ("held liquid", "not held").
        package var to: String
        /// held, lent, deployed, pooled, pledged, position, not-held.
        package var kind: String
        package var terms: String
        package var quantity: Int64
        package var usd: Int64
        /// Whether it is a claim on someone (a loan, a deployment at a venue): counts for reuse.
        package var isClaim: Bool
    }

    package var spec: String
    package var cohort: String
    package var platform: String
    package var asset: String
    package var quantity: Int64
    package var at: Int64
    package var usdAt: Int64
    package var legs: [Leg]
    package var usdAtEnd: Int64
    package var returned: Int64
    package var lost: Int64
    package var lossBySource: [(String, Int64)]
    package var platformStatus: String
    package var stateHash: String

    /// Claims outstanding per dollar deposited: the deposit itself plus every loan and venue
    /// claim it stands behind, over the deposit (× 10^8).
    package var claimsPerDollar: Int64 {
        let claims = legs.filter(\.isClaim).reduce(Int128(quantity)) { $0 + Int128($1.quantity) }
        return quantity == 0 ? 0 : Int64(claims * Int128(Fixed.one) / Int128(quantity))
    }

    package enum TraceError: Error, CustomStringConvertible {
        case unknown(String)
        package var description: String { switch self { case .unknown(let s): return s } }
    }

    /// Replays `spec`, stops to look at the balance sheets at `at` (the window's start when nil),
    /// and follows `quantity` (tokens × 10^8) of `asset` deposited by `cohort`. `reference`: the
    /// baseline's trace, for a counterfactual (as `Replay.run(path:overrides:)` runs one).
    package static func trace(_ spec: Spec, cohort: String, asset: String, quantity: Int64, at: Int64?, reference: BaselineTrace? = nil) throws -> DepositTrace {
        var options = RunOptions()
        options.reference = reference
        var replayer = try ReplayEngine(spec, options: options)
        let scenario = replayer.scenario
        guard let c = scenario.cohortIndex[cohort] else {
            throw LogError(.usage, "no cohort '\(cohort)' in \(spec.name) (cohorts: \(spec.cohorts.map(\.name).joined(separator: ", ")))")
        }
        guard let a = scenario.assetIndex[asset] else {
            throw LogError(.usage, "no asset '\(asset)' in \(spec.name) (assets: \(spec.assets.map(\.symbol).joined(separator: ", ")))")
        }
        let moment = at ?? spec.window.from
        guard moment >= spec.window.from && moment <= spec.window.to else {
            throw LogError(.usage, "--at \(UTCTime.format(moment)) is outside the window \(UTCTime.format(spec.window.from)) … \(UTCTime.format(spec.window.to))")
        }
        var snapshot: Model? = nil
        while try replayer.step() {
            if snapshot == nil && replayer.model.state.settled && replayer.model.state.time >= moment { snapshot = replayer.model }
        }
        let run = try replayer.finish()
        let model = snapshot ?? run.model
        return follow(run: run, at: model, cohort: c, asset: a, quantity: quantity, moment: moment)
    }

    /// The allocation itself, on the balance sheets of `model`; the end from `run`.
    package static func follow(run: ReplayResult, at model: Model, cohort c: Int, asset a: Int, quantity: Int64, moment: Int64) -> DepositTrace {
        let st = model.state
        let names = st.agents.map(\.name)
        let p = st.cohorts[c].platform.index
        var legs: [Leg] = []
        let cutoff = max(1, quantity / 1_000_000)
        func value(_ q: Int64) -> Int64 { st.market.value(a, Quantity(q)).raw }
        func days(_ ms: Int64) -> String { "\(ms / 3_600_000)h" }
        func pct(_ x: Int64) -> String { SVG.num(Double(x) / 1e6) + "%" }

        /// The uses of asset `a` by agent `h`: (kind, onward party, terms, quantity).
        func uses(_ h: Int) -> [(String, Int?, String, Int64)] {
            var out: [(String, Int?, String, Int64)] = []
            if st.agents[h].liquid[a] > .zero { out.append(("held", nil, "liquid at \(names[h])", st.agents[h].liquid[a].raw)) }
            for loan in st.loans where loan.isOpen && loan.lender.index == h && loan.asset.index == a && loan.principal > .zero {
                let secured = loan.collateral.contains { $0 > .zero }
                let terms = (secured ? "secured, margin call below \(pct(loan.maintenance.raw))" : "unsecured") + ", recall notice \(days(loan.notice))"
                    + (loan.customerFunded ? ", customer-funded" : ", own capital")
                out.append(("lent", loan.borrower.index, terms, loan.principal.raw))
            }
            for d in st.agents[h].deployments where d.asset.index == a && d.quantity > .zero {
                let terms = "\(d.label): unwind \(days(d.unwindDelay)), haircut \(pct(d.haircut.raw))"
                out.append((d.venue == nil ? "position" : "deployed", d.venue?.index, terms, d.quantity.raw))
            }
            for loan in st.loans where loan.isOpen && loan.borrower.index == h && loan.collateral[a] > .zero {
                out.append(("pledged", loan.lender.index, "collateral for a loan from \(names[loan.lender.index])", loan.collateral[a].raw))
            }
            for pool in st.pools {
                let q = pool.positions.filter { $0.owner == AgentID(h) && $0.collateralAsset == AssetID(a) }.reduce(Int64(0)) { $0 + $1.collateral.raw }
                if q > 0 { out.append(("pooled", pool.agent.index, "collateral in \(names[pool.agent.index])", q)) }
            }
            return out
        }

        func walk(_ h: Int, _ q: Int64, depth: Int, visited: Set<Int>, platformClaims: Int64?) {
            let list = uses(h)
            let total = list.reduce(Int128(0)) { $0 + Int128($1.3) }
            let base = max(total, Int128(platformClaims ?? 0))
            var given: Int64 = 0
            if base > 0 {
                for (kind, onward, terms, use) in list {
                    let share = Int64(Int128(q) * Int128(use) / base)
                    guard share >= cutoff else { continue }
                    given += share
                    let toName = onward.map { names[$0] } ?? (kind == "held" ? "held liquid" : "held directly")
                    let claim = kind == "lent" || (kind == "deployed" && onward != nil)
                    legs.append(Leg(depth: depth, from: names[h], to: toName, kind: kind, terms: terms, quantity: share, usd: value(share), isClaim: claim))
                    // A borrower or venue that received it puts it to its own uses; pledged
                    // collateral and pool positions stay where they are.
                    if let next = onward, kind == "lent" || kind == "deployed", depth < 6, !visited.contains(next), st.agents[next].role != .pool {
                        walk(next, share, depth: depth + 1, visited: visited.union([next]), platformClaims: nil)
                    }
                }
            }
            if q - given >= cutoff {
                legs.append(Leg(depth: depth, from: names[h], to: "not held", kind: "not-held", terms: "no \(st.market.assets[a].symbol) left to back it (sold, or swapped into other assets)",
                                quantity: q - given, usd: value(q - given), isClaim: false))
            }
        }
        walk(p, quantity, depth: 1, visited: [p], platformClaims: st.agents[p].claims[a].raw)

        // The end of the run.
        let end = run.model
        let usdAtEnd = end.state.market.value(a, Quantity(quantity)).raw
        let claims = end.claimsValue(cohort: c).raw
        let loss = end.cohortLoss(c).raw
        let lost = claims > 0 ? Fixed.mulDiv(usdAtEnd, loss, claims) : 0
        var bySource: [(String, Int64)] = []
        var recognised: [Int: Int64] = [:] // lookups only
        let agentCount = end.state.agents.count
        for o in run.outcomes where o.kind == .loss && o.party == .agent(AgentID(p)) {
            if let k = ModelReads.index(o.counterparty, agents: agentCount) { recognised[k, default: 0] += o.usd.raw }
        }
        let totalRecognised = recognised.values.reduce(0, +)
        if lost > 0 {
            let hole = max(loss, totalRecognised)
            var attributed: Int64 = 0
            for k in recognised.keys.sorted() {
                let part = Fixed.mulDiv(lost, recognised[k]!, max(1, hole))
                attributed += part
                bySource.append(("loss on \(run.scenario.partyName(ModelReads.party(k, agents: agentCount)))", part))
            }
            if lost - attributed > 0 { bySource.append(("market and liquidity hole at \(names[p])", lost - attributed)) }
        }
        let agent = end.state.agents[p]
        let status = agent.defaultedAt != nil ? "defaulted" : agent.insolventAt != nil ? "insolvent" : agent.haltedAt != nil ? "halted" : "paying out"
        return DepositTrace(spec: run.scenario.spec.name, cohort: st.cohorts[c].name, platform: names[p], asset: st.market.assets[a].symbol,
                            quantity: quantity, at: moment, usdAt: value(quantity), legs: legs, usdAtEnd: usdAtEnd, returned: usdAtEnd - lost,
                            lost: lost, lossBySource: bySource, platformStatus: status, stateHash: run.finalHash)
    }
}
