/// How a policy changes a platform's initial book.
///
/// A counterfactual asks "what if the platform had followed policy P from the start of the
/// episode": its recorded book (loans, deployments) is rebuilt to comply before the first input.
/// Loans are cut by having the borrower hand back the excess (selling its other holdings if it
/// must); deployments are cut by returning the excess to liquid reserves. Nothing else moves.
extension Model {
    /// Applies every platform's policy to the initial book, in agent order. Call after `settle`
    /// has seen the first prices; returns nothing, the state is rebuilt in place.
    public mutating func applyPolicies() {
        newEpoch()
        forgetLiveTops()
        defer { newEpoch() }
        for p in state.agents.indices where isPlatform(p) {
            let policy = state.agents[p].policy
            let claims = claimsValue(platform: p)
            if let ratio = policy.minCollateralRatio { enforceCollateral(p, ratio: ratio) }
            if let limit = policy.concentrationLimit {
                let cap = Fixed.scale(claims, by: limit)
                let borrowers = Array(Set(state.loans.filter { $0.lender == p && $0.isOpen }.map(\.borrower))).sorted()
                for b in borrowers {
                    let lent = lentValue(p, to: b)
                    if lent > cap { scaleLoans(p, to: b, keep: cap, of: lent) }
                }
            }
            if let capShare = policy.rehypothecationCap {
                let cap = Fixed.scale(claims, by: capShare)
                let reused = Fixed.scale(reuseShare(p), by: claims)
                if reused > cap {
                    scaleLoans(p, to: nil, keep: cap, of: reused, customerFundedOnly: true)
                    scaleDeployments(p, keep: cap, of: reused, customerFundedOnly: true)
                }
            }
            if policy.liquidityBuffer > 0 {
                let target = Fixed.scale(claims, by: policy.liquidityBuffer)
                let liquid = liquidValue(p)
                let reused = Fixed.scale(reuseShare(p), by: claims)
                if liquid < target && reused > 0 {
                    let keep = max(0, reused - (target - liquid))
                    scaleDeployments(p, keep: keep, of: reused, customerFundedOnly: false)
                    scaleLoans(p, to: nil, keep: keep, of: reused, customerFundedOnly: false)
                }
            }
        }
        for i in state.agents.indices { state.agents[i].initialEquity = max(0, equity(i)) }
    }

    func lentValue(_ p: Int, to b: Int) -> Int64 {
        state.loans.filter { $0.lender == p && $0.borrower == b && $0.isOpen }
            .reduce(0) { $0 + state.market.value($1.asset, $1.principal) }
    }

    /// Under a minimum collateral ratio r, a loan keeps only what the borrower can back: the
    /// borrower pledges free holdings until collateral ≥ r × loan; if its whole pot H (free
    /// holdings plus collateral already pledged, own token excluded) is short of r × L, the loan
    /// is cut to L' = (H − L) / (r − 1) for r > 1 (the largest loan it can hand the excess back
    /// on and still back at r), or to H / r for r ≤ 1, and the excess is handed back — from free
    /// holdings first, then out of the pledged collateral.
    mutating func enforceCollateral(_ p: Int, ratio: Int64) {
        for l in state.loans.indices where state.loans[l].lender == p && state.loans[l].isOpen {
            state.loans[l].maintenance = ratio
            state.loans[l].initial = max(state.loans[l].initial, ratio)
            guard ratio > 0 else { continue }
            let b = state.loans[l].borrower
            let owed = state.market.value(state.loans[l].asset, state.loans[l].principal)
            let needed = Fixed.scale(owed, by: ratio) - collateralValue(l)
            if needed > 0 { postCollateral(loan: l, usd: needed) }
            let pot = collateralValue(l) + liquidValue(b)
            guard collateralValue(l) < Fixed.scale(owed, by: ratio) else { continue }
            let target = ratio > Fixed.one ? max(0, Fixed.mulDiv(pot - owed, Fixed.one, ratio - Fixed.one))
                                           : Fixed.mulDiv(pot, Fixed.one, ratio)
            guard target < owed else { continue }
            cut(loan: l, keep: target, of: owed, fromCollateral: true)
            let stillNeeded = Fixed.scale(state.market.value(state.loans[l].asset, state.loans[l].principal), by: ratio) - collateralValue(l)
            if stillNeeded > 0 { postCollateral(loan: l, usd: stillNeeded) }
        }
    }

    mutating func scaleLoans(_ p: Int, to borrower: Int?, keep: Int64, of total: Int64, customerFundedOnly: Bool = false) {
        for l in state.loans.indices where state.loans[l].lender == p && state.loans[l].isOpen
            && (borrower == nil || state.loans[l].borrower == borrower)
            && (!customerFundedOnly || state.loans[l].customerFunded) {
            cut(loan: l, keep: keep, of: total)
        }
    }

    /// Cuts a loan to `keep / total` of its principal: the borrower hands back the excess
    /// (swapping other holdings into the loan asset if needed; with `fromCollateral`, selling
    /// pledged collateral for what it still lacks), and collateral beyond the loan's new size is
    /// released in proportion.
    mutating func cut(loan l: Int, keep: Int64, of total: Int64, fromCollateral: Bool = false) {
        let loan = state.loans[l]
        guard total > 0 else { return }
        let kept = Fixed.mulDiv(loan.principal, max(0, min(keep, total)), total)
        let excess = loan.principal - kept
        guard excess > 0 else { return }
        let b = loan.borrower
        if state.agents[b].liquid[loan.asset] < excess {
            swapInto(b, asset: loan.asset, quantity: excess - state.agents[b].liquid[loan.asset])
        }
        var returned = min(excess, state.agents[b].liquid[loan.asset])
        state.agents[b].liquid[loan.asset] -= returned
        state.agents[loan.lender].liquid[loan.asset] += returned
        if fromCollateral && returned < excess {
            // Sell pledged collateral, in asset order, for the rest.
            var missing = state.market.value(loan.asset, excess - returned)
            for a in 0..<state.assetCount where state.loans[l].collateral[a] > 0 && missing > 0 && state.market.price(a) > 0 {
                let q = min(state.loans[l].collateral[a], Fixed.quantityUp(missing, at: state.market.price(a)))
                state.loans[l].collateral[a] -= q
                state.outside[a] += q
                let proceeds = Fixed.value(q, at: state.market.price(a))
                let bought = min(Fixed.quantity(proceeds, at: max(1, state.market.price(loan.asset))), excess - returned)
                state.outside[loan.asset] -= bought
                state.agents[loan.lender].liquid[loan.asset] += bought
                returned += bought
                missing -= proceeds
            }
        }
        state.loans[l].principal -= returned
        if !fromCollateral && loan.principal > 0 {
            for a in 0..<state.assetCount where loan.collateral[a] > 0 {
                let release = loan.collateral[a] - Fixed.mulDiv(loan.collateral[a], state.loans[l].principal, loan.principal)
                state.loans[l].collateral[a] -= release
                state.agents[b].liquid[a] += release
            }
        }
        if state.loans[l].principal == 0 { close(loan: l) }
    }

    mutating func scaleDeployments(_ p: Int, keep: Int64, of total: Int64, customerFundedOnly: Bool) {
        guard total > 0 else { return }
        for d in state.agents[p].deployments.indices where !customerFundedOnly || state.agents[p].deployments[d].customerFunded {
            let q = state.agents[p].deployments[d].quantity
            let kept = Fixed.mulDiv(q, max(0, min(keep, total)), total)
            state.agents[p].deployments[d].quantity = kept
            state.agents[p].liquid[state.agents[p].deployments[d].asset] += q - kept
        }
    }
}
