/// Balance sheets, marked to market.
///
/// - Assets: liquid holdings (its own token included, at market), deployments (at market;
///   frozen ones at market until their venue is found insolvent and they are written down),
///   loans it made (the principal owed to it), and collateral it posted on loans it took (still
///   its property).
/// - Liabilities: customer claims (cohorts of which it is the platform), credit drawn, and
///   loans it took.
/// - Equity = assets − liabilities. A balance sheet reconciles by construction; what the
///   property tests check is that the parts are computed independently and that tokens are
///   conserved across the whole model (`conservationError`).
extension Model {
    package struct BalanceSheet: Equatable, Sendable {
        package var liquid: Int64 = 0
        package var deployed: Int64 = 0
        package var loansMade: Int64 = 0
        package var collateralPosted: Int64 = 0
        package var customerClaims: Int64 = 0
        package var creditDrawn: Int64 = 0
        package var loansTaken: Int64 = 0
        /// Collateral in pool positions it owns, and their debt.
        package var poolCollateral: Int64 = 0
        package var poolDebt: Int64 = 0
        // Saturating sums: a value past the representable range is a fault the engine reports.
        package var assets: Int64 { Fixed.add(Fixed.add(Fixed.add(Fixed.add(liquid, deployed), loansMade), collateralPosted), poolCollateral) }
        package var liabilities: Int64 { Fixed.add(Fixed.add(Fixed.add(customerClaims, creditDrawn), loansTaken), poolDebt) }
        package var equity: Int64 { Fixed.add(assets, liabilities == .min ? .max : -liabilities) }
    }

    /// The parts of a balance sheet valued at market.
    enum SheetPart { case liquid, deployed, loansMade, collateralPosted, loansTaken, poolCollateral, poolDebt, customerClaims }

    /// Every holding on agent `i`'s balance sheet valued at market, as (part, asset, quantity):
    /// its value is `state.market.value(asset, quantity)`. The one walk behind `balanceSheet`
    /// and the insolvency bounds (`Model+Bounds.swift`), so both always see the same terms.
    ///
    /// Runs on every agent at every price tick (the insolvency check), so it reads the state in
    /// place by index: copying an agent, a loan or a pool would retain and release every array
    /// in it.
    @inline(__always)
    func forEachHolding(of i: Int, _ body: (SheetPart, Int, Int64) -> Void) {
        for a in 0..<state.assetCount where state.agents[i].liquid[a] != 0 { body(.liquid, a, state.agents[i].liquid[a]) }
        for d in state.agents[i].deployments.indices where state.agents[i].deployments[d].quantity > 0 {
            body(.deployed, state.agents[i].deployments[d].asset.index, state.agents[i].deployments[d].quantity)
        }
        state.loans.withUnsafeBufferPointer { loans in
            for l in loans.indices where loans[l].state == .active || loans[l].state == .recalled {
                if loans[l].lender.index == i { body(.loansMade, loans[l].asset.index, loans[l].principal) }
                if loans[l].borrower.index == i {
                    body(.loansTaken, loans[l].asset.index, loans[l].principal)
                    for a in 0..<state.assetCount where loans[l].collateral[a] > 0 { body(.collateralPosted, a, loans[l].collateral[a]) }
                }
            }
        }
        for q in state.pools.indices {
            for k in state.pools[q].owned where state.pools[q].positions[k].owner == i {
                let p = state.pools[q].positions[k]
                body(.poolCollateral, p.collateralAsset, p.collateral)
                body(.poolDebt, p.debtAsset, p.debt)
            }
        }
        // Customer claims, as in `claimsValue(platform:)`.
        for a in 0..<state.assetCount where state.agents[i].claims[a] > 0 { body(.customerClaims, a, state.agents[i].claims[a]) }
    }

    /// Same sums in the same order as a plain walk over the values.
    package func balanceSheet(_ i: Int) -> BalanceSheet {
        var s = BalanceSheet()
        forEachHolding(of: i) { part, a, q in
            let v = state.market.value(a, q)
            switch part {
            case .liquid: s.liquid = Fixed.add(s.liquid, v)
            case .deployed: s.deployed = Fixed.add(s.deployed, v)
            case .loansMade: s.loansMade = Fixed.add(s.loansMade, v)
            case .collateralPosted: s.collateralPosted = Fixed.add(s.collateralPosted, v)
            case .loansTaken: s.loansTaken = Fixed.add(s.loansTaken, v)
            case .poolCollateral: s.poolCollateral = Fixed.add(s.poolCollateral, v)
            case .poolDebt: s.poolDebt = Fixed.add(s.poolDebt, v)
            case .customerClaims: s.customerClaims = Fixed.add(s.customerClaims, v)
            }
        }
        s.creditDrawn = state.agents[i].creditDrawn
        return s
    }

    package func equity(_ i: Int) -> Int64 { balanceSheet(i).equity }

    /// What creditors are short in a wind-down: liabilities less the assets other than the
    /// agent's own token (CEL, FTT). An issuer's token is on its balance sheet at market, but it
    /// cannot be sold in size without crashing it (the rules never sell it to raise liquidity),
    /// and estates value it at next to nothing; so the hole that depositor losses are cut from
    /// leaves it out. Negative when creditors are covered.
    package func creditorHole(_ i: Int) -> Int64 {
        let sheet = balanceSheet(i)
        let own = state.agents[i].ownToken.map { state.agents[i].liquid[$0] > 0 ? state.market.value($0, state.agents[i].liquid[$0]) : 0 } ?? 0
        return sheet.liabilities - (sheet.assets - own)
    }

    /// Customer claims on platform `p` at current prices: O(assets), from the per-platform
    /// totals kept in step with the cohorts.
    package func claimsValue(platform p: Int) -> Int64 {
        var total: Int64 = 0
        for a in 0..<state.assetCount where state.agents[p].claims[a] > 0 { total = Fixed.add(total, state.market.value(a, state.agents[p].claims[a])) }
        return total
    }

    package func claimsValue(cohort c: Int) -> Int64 {
        var total: Int64 = 0
        for a in 0..<state.assetCount where state.cohorts[c].claims[a] > 0 { total = Fixed.add(total, state.market.value(a, state.cohorts[c].claims[a])) }
        return total
    }

    /// Liquid value excluding its own token (what can pay withdrawals now).
    package func liquidValue(_ i: Int) -> Int64 {
        var v: Int64 = 0
        for a in 0..<state.assetCount where a != state.agents[i].ownToken && state.agents[i].liquid[a] > 0 {
            v += state.market.value(a, state.agents[i].liquid[a])
        }
        return v
    }

    package func queueValue(_ p: Int) -> Int64 {
        state.agents[p].queue.reduce(0) { $0 + state.market.value($1.asset, $1.quantity) }
    }

    /// Value of liquidity arriving within `horizon` from now (unwinds net of haircut, recalls).
    package func incomingValue(_ p: Int, within horizon: Int64) -> Int64 {
        let limit = horizon == .max ? Int64.max : state.time + horizon
        return state.agents[p].incoming.reduce(0) { total, item in
            guard item.quantity > 0, item.due <= limit else { return total }
            var value = state.market.value(item.asset, item.quantity)
            if let d = item.source.deployment { value = Fixed.scale(value, by: Fixed.one - state.agents[p].deployments[d].haircut) }
            return total + value
        }
    }

    /// Share of customer claims lent or deployed (× 10^8): the platform's reuse of customer assets.
    package func reuseShare(_ p: Int) -> Int64 {
        let claims = claimsValue(platform: p)
        guard claims > 0 else { return 0 }
        var reused: Int64 = 0
        for loan in state.loans where loan.isOpen && loan.lender.index == p && loan.customerFunded {
            reused += state.market.value(loan.asset, loan.principal)
        }
        for d in state.agents[p].deployments where d.customerFunded && d.quantity > 0 { reused += state.market.value(d.asset, d.quantity) }
        return Fixed.ratio(reused, claims)
    }

    /// Total tokens of each asset inside the model plus those that left it; constant over a run
    /// except for exogenous creation (none in this model), so any change is a bookkeeping error.
    /// (Held outside pools, and pool collateral: `Model+Invariants.swift` keeps the two apart.)
    package func conservedTotals() -> [Int128] {
        var totals = heldOutsidePools()
        let pools = poolCollateral()
        for a in totals.indices { totals[a] += pools[a] }
        return totals
    }
}
