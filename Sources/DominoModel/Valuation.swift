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
        package var liquid: USD = .zero
        package var deployed: USD = .zero
        package var loansMade: USD = .zero
        package var collateralPosted: USD = .zero
        package var customerClaims: USD = .zero
        package var creditDrawn: USD = .zero
        package var loansTaken: USD = .zero
        /// Collateral in pool positions it owns, and their debt.
        package var poolCollateral: USD = .zero
        package var poolDebt: USD = .zero
        // Saturating sums: a value past the representable range is a fault the engine reports.
        package var assets: USD { liquid.adding(deployed).adding(loansMade).adding(collateralPosted).adding(poolCollateral) }
        package var liabilities: USD { customerClaims.adding(creditDrawn).adding(loansTaken).adding(poolDebt) }
        package var equity: USD { assets.adding(liabilities == .min ? .max : -liabilities) }
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
    func forEachHolding(of i: Int, _ body: (SheetPart, Int, Quantity) -> Void) {
        for a in 0..<state.assetCount where state.agents[i].liquid[a] != .zero { body(.liquid, a, state.agents[i].liquid[a]) }
        for d in state.agents[i].deployments.indices where state.agents[i].deployments[d].quantity > .zero {
            body(.deployed, state.agents[i].deployments[d].asset.index, state.agents[i].deployments[d].quantity)
        }
        state.loans.withUnsafeBufferPointer { loans in
            for l in loans.indices where loans[l].state == .active || loans[l].state == .recalled {
                if loans[l].lender.index == i { body(.loansMade, loans[l].asset.index, loans[l].principal) }
                if loans[l].borrower.index == i {
                    body(.loansTaken, loans[l].asset.index, loans[l].principal)
                    for a in 0..<state.assetCount where loans[l].collateral[a] > .zero { body(.collateralPosted, a, loans[l].collateral[a]) }
                }
            }
        }
        forEachOwnPosition(of: i) { q, k in
            let p = state.pools[q].positions[k]
            body(.poolCollateral, p.collateralAsset.index, p.collateral)
            body(.poolDebt, p.debtAsset.index, p.debt)
        }
        // Customer claims, as in `claimsValue(platform:)`.
        for a in 0..<state.assetCount where state.agents[i].claims[a] > .zero { body(.customerClaims, a, state.agents[i].claims[a]) }
    }

    /// Same sums in the same order as a plain walk over the values.
    package func balanceSheet(_ i: Int) -> BalanceSheet {
        var s = BalanceSheet()
        forEachHolding(of: i) { part, a, q in
            let v = state.market.value(a, q)
            switch part {
            case .liquid: s.liquid = s.liquid.adding(v)
            case .deployed: s.deployed = s.deployed.adding(v)
            case .loansMade: s.loansMade = s.loansMade.adding(v)
            case .collateralPosted: s.collateralPosted = s.collateralPosted.adding(v)
            case .loansTaken: s.loansTaken = s.loansTaken.adding(v)
            case .poolCollateral: s.poolCollateral = s.poolCollateral.adding(v)
            case .poolDebt: s.poolDebt = s.poolDebt.adding(v)
            case .customerClaims: s.customerClaims = s.customerClaims.adding(v)
            }
        }
        s.creditDrawn = state.agents[i].creditDrawn
        return s
    }

    package func equity(_ i: Int) -> USD { balanceSheet(i).equity }

    /// What creditors are short in a wind-down: liabilities less the assets other than the
    /// agent's own token (CEL, FTT). An issuer's token is on its balance sheet at market, but it
    /// cannot be sold in size without crashing it (the rules never sell it to raise liquidity),
    /// and estates value it at next to nothing; so the hole that depositor losses are cut from
    /// leaves it out. Negative when creditors are covered.
    package func creditorHole(_ i: Int) -> USD {
        let sheet = balanceSheet(i)
        let own = state.agents[i].ownToken.map { state.agents[i].liquid[$0] > .zero ? state.market.value($0, state.agents[i].liquid[$0]) : .zero } ?? .zero
        return sheet.liabilities - (sheet.assets - own)
    }

    /// Customer claims on platform `p` at current prices: O(assets), from the per-platform
    /// totals kept in step with the cohorts.
    ///
    /// The small valuation helpers the rules call every hour are `@inline(__always)`: a call
    /// of a non-mutating method from a mutating rule that is not inlined passes a copy of the
    /// whole `Model` (several hundred bytes, copied by `memcpy` on every call).
    @inline(__always)
    package func claimsValue(platform p: Int) -> USD {
        var total = USD.zero
        for a in 0..<state.assetCount where state.agents[p].claims[a] > .zero { total = total.adding(state.market.value(a, state.agents[p].claims[a])) }
        return total
    }

    @inline(__always)
    package func claimsValue(cohort c: Int) -> USD {
        var total = USD.zero
        for a in 0..<state.assetCount where state.cohorts[c].claims[a] > .zero { total = total.adding(state.market.value(a, state.cohorts[c].claims[a])) }
        return total
    }

    /// Liquid value excluding its own token (what can pay withdrawals now).
    @inline(__always)
    package func liquidValue(_ i: Int) -> USD {
        var v = USD.zero
        for a in 0..<state.assetCount where AssetID(a) != state.agents[i].ownToken && state.agents[i].liquid[a] > .zero {
            v += state.market.value(a, state.agents[i].liquid[a])
        }
        return v
    }

    @inline(__always)
    package func queueValue(_ p: Int) -> USD {
        state.agents[p].queue.reduce(.zero) { $0 + state.market.value($1.asset, $1.quantity) }
    }

    /// Value of liquidity arriving within `horizon` from now (unwinds net of haircut, recalls).
    @inline(__always)
    package func incomingValue(_ p: Int, within horizon: Int64) -> USD {
        let limit = horizon == .max ? Int64.max : state.time + horizon
        return state.agents[p].incoming.reduce(.zero) { total, item in
            guard item.quantity > .zero, item.due <= limit else { return total }
            var value = state.market.value(item.asset, item.quantity)
            if let d = item.source.deployment { value = value.scaled(by: state.agents[p].deployments[d].haircut.complement) }
            return total + value
        }
    }

    /// Share of customer claims lent, deployed or pledged in pools (× 10^8): the platform's reuse
    /// of customer assets. A platform's own pool positions count at their collateral: customer
    /// assets pledged on Aave or in a Maker vault (Celsius's stETH and wBTC) are reused as surely
    /// as assets lent.
    package func reuseShare(_ p: Int) -> Ratio {
        let claims = claimsValue(platform: p)
        guard claims > .zero else { return .zero }
        var reused = USD.zero
        for loan in state.loans where loan.isOpen && loan.lender.index == p && loan.customerFunded {
            reused += state.market.value(loan.asset, loan.principal)
        }
        for d in state.agents[p].deployments where d.customerFunded && d.quantity > .zero { reused += state.market.value(d.asset, d.quantity) }
        reused += pledgedInPools(p, assets: nil)
        return reused.ratio(to: claims)
    }

    /// The collateral, at market, of agent `p`'s own pool positions whose collateral asset is in
    /// `assets` (nil: all).
    package func pledgedInPools(_ p: Int, assets: [Int]?) -> USD {
        var total = USD.zero
        forEachOwnPosition(of: p) { q, k in
            let a = state.pools[q].positions[k].collateralAsset.index
            guard assets.map({ $0.contains(a) }) ?? true else { return }
            total += state.market.value(a, state.pools[q].positions[k].collateral)
        }
        return total
    }

    /// Calls `body(pool, position)` for every position agent `p` owns, pool by pool in order.
    /// The one place that finds them: the balance sheet, the reuse share, the drawdown its
    /// depositors see and the reuse cap all walk them through here.
    @inline(__always)
    func forEachOwnPosition(of p: Int, _ body: (_ pool: Int, _ position: Int) -> Void) {
        for q in state.pools.indices {
            for k in state.pools[q].owned where state.pools[q].positions[k].owner == AgentID(p) { body(q, k) }
        }
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
