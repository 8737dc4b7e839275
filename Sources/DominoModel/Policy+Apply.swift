/// How a policy changes a platform's initial book.
///
/// A counterfactual asks "what if the platform had followed policy P from the start of the
/// episode": its recorded book (loans, deployments) is rebuilt to comply before the first input.
/// Loans are cut by having the borrower hand back the excess (selling its other holdings if it
/// must); deployments are cut by returning the excess to liquid reserves. Nothing else moves.
extension Model {
    /// Applies every platform's policy to the initial book, in agent order. Call after `settle`
    /// has seen the first prices; returns nothing, the state is rebuilt in place.
    package mutating func applyPolicies() {
        enforceCollateralRatios()
        for p in state.agents.indices where isPlatform(p) {
            let policy = state.agents[p].policy
            let claims = claimsValue(platform: p)
            if let limit = policy.concentrationLimit {
                let cap = claims.scaled(by: limit)
                let borrowers = Array(Set(state.loans.filter { $0.lender.index == p && $0.isOpen }.map(\.borrower.index))).sorted()
                for b in borrowers {
                    let lent = lentValue(p, to: b)
                    if lent > cap { scaleLoans(p, to: b, keep: cap, of: lent) }
                }
            }
            if let capShare = policy.rehypothecationCap {
                // With tiers, the platform-wide cap governs the assets no tier lists.
                let untiered = policy.tiers.isEmpty ? nil : (0..<state.assetCount).filter { policy.tier(of: $0) == nil }
                capReuse(p, share: capShare, assets: untiered)
            }
            for tier in policy.tiers {
                if let capShare = tier.rehypothecationCap { capReuse(p, share: capShare, assets: tier.assets) }
            }
            if policy.liquidityBuffer > .zero {
                let target = claims.scaled(by: policy.liquidityBuffer)
                let liquid = liquidValue(p)
                let reused = claims.scaled(by: reuseShare(p))
                if liquid < target && reused > .zero {
                    let keep = max(.zero, reused - (target - liquid))
                    scaleDeployments(p, keep: keep, of: reused, customerFundedOnly: false)
                    scaleLoans(p, to: nil, keep: keep, of: reused, customerFundedOnly: false)
                    scalePoolPositions(p, keep: keep, of: reused, assets: nil)
                }
            }
        }
        for i in state.agents.indices { self[agent: i].initialEquity = max(.zero, equity(i)) }
        assertInvariants(recount: true)
    }

    /// Scales customer-funded loans and deployments of `assets` (nil = all) down to `share` of the
    /// customer claims in those assets.
    mutating func capReuse(_ p: Int, share: Ratio, assets: [Int]?) {
        func inScope(_ a: Int) -> Bool { assets.map { $0.contains(a) } ?? true }
        var claims = USD.zero
        for a in 0..<state.assetCount where inScope(a) && state.agents[p].claims[a] > .zero {
            claims += state.market.value(a, state.agents[p].claims[a])
        }
        var reused = USD.zero
        for loan in state.loans where loan.isOpen && loan.lender.index == p && loan.customerFunded && inScope(loan.asset.index) {
            reused += state.market.value(loan.asset, loan.principal)
        }
        for d in state.agents[p].deployments where d.customerFunded && d.quantity > .zero && inScope(d.asset.index) {
            reused += state.market.value(d.asset, d.quantity)
        }
        reused += pledgedInPools(p, assets: assets)
        let cap = claims.scaled(by: share)
        guard reused > cap else { return }
        scaleLoans(p, to: nil, keep: cap, of: reused, customerFundedOnly: true, assets: assets)
        scaleDeployments(p, keep: cap, of: reused, customerFundedOnly: true, assets: assets)
        scalePoolPositions(p, keep: cap, of: reused, assets: assets)
    }

    func lentValue(_ p: Int, to b: Int) -> USD {
        state.loans.filter { $0.lender.index == p && $0.borrower.index == b && $0.isOpen }
            .reduce(.zero) { $0 + state.market.value($1.asset, $1.principal) }
    }

    /// Minimum collateral ratios (a platform's, or its tier's for the asset lent), applied per
    /// borrower over all its governed loans at once, since one pot of holdings backs them all.
    ///
    /// Each governed loan gets maintenance r (below it the lender calls) and an initial level
    /// r × (1 + `collateralHeadroom`), which the borrower posts at the start: a borrower sized
    /// to the maintenance level exactly would be called on the first downtick. Its pot H (free
    /// holdings other than its own token, plus collateral already on these loans) must cover
    /// R = Σ initial × loan. If H < R every governed loan is cut by the same share s: the
    /// borrower hands back (1 − s) L from the pot and must still back s R, so
    /// s = (H − L) / (R − L) (0 if H < L: it cannot back any of it), or s = H / R when the
    /// levels are at most 100% (R ≤ L). The excess is handed back from free holdings first, then
    /// out of the pledged collateral; collateral beyond a loan's initial level is released to the
    /// pot; then each loan is topped up to its initial level.
    mutating func enforceCollateralRatios() {
        var governed: [Int] = []
        for l in state.loans.indices where state.loans[l].isOpen && isPlatform(state.loans[l].lender.index) {
            guard let r = state.agents[state.loans[l].lender].policy.minCollateralRatio(forLoanOf: state.loans[l].asset.index) else { continue }
            self[loan: l].maintenance = r
            self[loan: l].initial = max(state.loans[l].initial, r + r.scaled(by: state.parameters.collateralHeadroom))
            if r > .zero { governed.append(l) }
        }
        var borrowers: [Int] = []
        for l in governed where !borrowers.contains(state.loans[l].borrower.index) { borrowers.append(state.loans[l].borrower.index) }
        for b in borrowers.sorted() {
            let loans = governed.filter { state.loans[$0].borrower.index == b }
            let owed = loans.map { state.market.value(state.loans[$0].asset, state.loans[$0].principal) }
            let total = owed.reduce(.zero, +)
            let required = zip(loans, owed).reduce(USD.zero) { $0 + $1.1.scaled(by: state.loans[$1.0].initial) }
            let pot = liquidValue(b) + loans.reduce(USD.zero) { $0 + collateralValue($1) }
            if pot < required {
                let (keep, of) = required > total ? (max(.zero, pot - total), required - total) : (pot, required)
                for (l, o) in zip(loans, owed) { cut(loan: l, keep: o.scaled(keep, over: of), of: o, fromCollateral: true) }
            }
            // Collateral beyond a loan's initial level goes back to the pot first, so that it
            // can back the borrower's other loans.
            for l in loans where state.loans[l].isOpen {
                let held = collateralValue(l)
                let need = state.market.value(state.loans[l].asset, state.loans[l].principal).scaled(by: state.loans[l].initial)
                guard held > need else { continue }
                for a in 0..<state.assetCount where state.loans[l].collateral[a] > .zero {
                    let release = state.loans[l].collateral[a] - state.loans[l].collateral[a].scaled(need, over: held)
                    self[loan: l].collateral[a] -= release
                    self[agent: b].liquid[a] += release
                }
            }
            for l in loans where state.loans[l].isOpen {
                let needed = state.market.value(state.loans[l].asset, state.loans[l].principal).scaled(by: state.loans[l].initial) - collateralValue(l)
                if needed > .zero { postCollateral(loan: l, usd: needed) }
            }
        }
    }

    mutating func scaleLoans(_ p: Int, to borrower: Int?, keep: USD, of total: USD, customerFundedOnly: Bool = false, assets: [Int]? = nil) {
        for l in state.loans.indices where state.loans[l].lender.index == p && state.loans[l].isOpen
            && (borrower == nil || state.loans[l].borrower.index == borrower)
            && (assets.map { $0.contains(state.loans[l].asset.index) } ?? true)
            && (!customerFundedOnly || state.loans[l].customerFunded) {
            cut(loan: l, keep: keep, of: total)
        }
    }

    /// Cuts a loan to `keep / total` of its principal: the borrower hands back the excess
    /// (swapping other holdings into the loan asset if needed; with `fromCollateral`, selling
    /// pledged collateral for what it still lacks), and collateral beyond the loan's new size is
    /// released in proportion.
    mutating func cut(loan l: Int, keep: USD, of total: USD, fromCollateral: Bool = false) {
        let loan = state.loans[l]
        guard total > .zero else { return }
        let kept = loan.principal.scaled(max(.zero, min(keep, total)), over: total)
        let excess = loan.principal - kept
        guard excess > .zero else { return }
        let b = loan.borrower.index
        if state.agents[b].liquid[loan.asset] < excess {
            swapInto(b, asset: loan.asset.index, quantity: excess - state.agents[b].liquid[loan.asset])
        }
        var returned = min(excess, state.agents[b].liquid[loan.asset])
        self[agent: b].liquid[loan.asset] -= returned
        self[agent: loan.lender].liquid[loan.asset] += returned
        if fromCollateral && returned < excess {
            // Sell pledged collateral, in asset order, for the rest.
            var missing = state.market.value(loan.asset, excess - returned)
            for a in 0..<state.assetCount where state.loans[l].collateral[a] > .zero && missing > .zero && state.market.price(a) > .zero {
                let q = min(state.loans[l].collateral[a], missing.quantityUp(at: state.market.price(a)))
                self[loan: l].collateral[a] -= q
                state.outside[a] += q
                let proceeds = q * state.market.price(a)
                let bought = min(proceeds.quantity(at: max(Price(1), state.market.price(loan.asset))), excess - returned)
                state.outside[loan.asset] -= bought
                self[agent: loan.lender].liquid[loan.asset] += bought
                returned += bought
                missing -= proceeds
            }
        }
        self[loan: l].principal -= returned
        if !fromCollateral && loan.principal > .zero {
            for a in 0..<state.assetCount where loan.collateral[a] > .zero {
                let release = loan.collateral[a] - loan.collateral[a].scaled(state.loans[l].principal, over: loan.principal)
                self[loan: l].collateral[a] -= release
                self[agent: b].liquid[a] += release
            }
        }
        if state.loans[l].principal == .zero { close(loan: l) }
    }

    /// Cuts agent `p`'s own pool positions (collateral asset in `assets`, nil: all) to
    /// `keep / total`: it repays that share of each position's debt from its liquid holdings
    /// (swapping other holdings into the debt asset if it must) and takes the same share of the
    /// collateral back, so the position's health factor does not change. Where it cannot raise
    /// the whole repayment, it cuts the position by the share it could repay.
    mutating func scalePoolPositions(_ p: Int, keep: USD, of total: USD, assets: [Int]?) {
        guard total > .zero else { return }
        let cut = Ratio.one - Ratio.one.scaled(max(.zero, min(keep, total)), over: total)
        guard cut > .zero else { return }
        var own: [(pool: Int, position: Int)] = []
        forEachOwnPosition(of: p) { own.append(($0, $1)) }
        for (q, k) in own {
            var position = state.pools[q].positions[k]
            guard assets.map({ $0.contains(position.collateralAsset.index) }) ?? true else { continue }
            var share = cut
            let d = position.debtAsset
            if position.debt > .zero {
                let repay = position.debt.scaled(by: share)
                if state.agents[p].liquid[d] < repay { swapInto(p, asset: d.index, quantity: repay - state.agents[p].liquid[d]) }
                let paid = min(repay, state.agents[p].liquid[d])
                share = min(share, Ratio.one.scaled(paid, over: position.debt))
            }
            let repaid = position.debt.scaled(by: share)
            let released = position.collateral.scaled(by: share)
            guard repaid > .zero || released > .zero else { continue }
            self[agent: p].liquid[d] -= repaid
            self[agent: state.pools[q].agent].liquid[d] += repaid
            self[agent: p].liquid[position.collateralAsset] += released
            position.debt -= repaid
            position.collateral -= released
            update(pool: q, position: k, to: position, reindex: true)
        }
    }

    mutating func scaleDeployments(_ p: Int, keep: USD, of total: USD, customerFundedOnly: Bool, assets: [Int]? = nil) {
        guard total > .zero else { return }
        for d in state.agents[p].deployments.indices where (!customerFundedOnly || state.agents[p].deployments[d].customerFunded)
            && (assets.map { $0.contains(state.agents[p].deployments[d].asset.index) } ?? true) {
            let q = state.agents[p].deployments[d].quantity
            let kept = q.scaled(max(.zero, min(keep, total)), over: total)
            self[agent: p].deployments[d].quantity = kept
            self[agent: p].liquid[state.agents[p].deployments[d].asset] += q - kept
        }
    }
}
