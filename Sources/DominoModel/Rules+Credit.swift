/// Rules of credit: margin calls, recalls, defaults and the allocation of losses.
extension Model {
    /// Collateral ratio (collateral value / loan value) × 10^8 of an open loan.
    package func collateralRatio(_ l: Int) -> Ratio {
        let loan = state.loans[l]
        let owed = state.market.value(loan.asset, loan.principal)
        return collateralValue(l).ratio(to: owed, ifZero: .max)
    }

    package func collateralValue(_ l: Int) -> USD {
        var v = USD.zero
        for a in 0..<state.assetCount where state.loans[l].collateral[a] > .zero { v += state.market.value(a, state.loans[l].collateral[a]) }
        return v
    }

    /// The maintenance requirement in force: the lender's policy minimum if it sets one, else the
    /// loan's own; scaled up by realised volatility under dynamic collateral.
    package func requirement(_ l: Int) -> Ratio {
        let loan = state.loans[l]
        let policy = state.agents[loan.lender].policy
        var base = policy.minCollateralRatio(forLoanOf: loan.asset.index) ?? loan.maintenance
        guard base > .zero else { return .zero }
        if let dynamic = policy.dynamicCollateral {
            let main = mainCollateralAsset(l)
            let vol = state.market.volatility(main, within: dynamic.window, at: state.time)
            base = base.scaled(by: .one + dynamic.k.scaled(by: vol))
        }
        return base
    }

    func mainCollateralAsset(_ l: Int) -> Int {
        var best = state.loans[l].asset.index, bestValue = USD(-1)
        for a in 0..<state.assetCount where state.loans[l].collateral[a] > .zero {
            let v = state.market.value(a, state.loans[l].collateral[a])
            if v > bestValue { best = a; bestValue = v }
        }
        return best
    }

    /// Whether the lender's circuit breaker pauses calls on this loan's collateral right now.
    mutating func paused(by owner: Int, asset: Int) -> Bool {
        guard let breaker = state.agents[owner].policy.circuitBreaker else { return false }
        if state.market.assets[asset].pausedUntil > state.time { return true }
        if state.market.drop(asset, within: breaker.window, at: state.time) > breaker.maxDrop {
            state.market.assets[asset].pausedUntil = state.time + breaker.pause
            return true
        }
        return false
    }

    /// A lender calls for collateral when the ratio falls below the requirement: the borrower
    /// must restore the initial ratio before the deadline, and posts what it can at once.
    /// If it cannot meet the call at once, lenders of the same borrower whose loans have no
    /// collateral terms see it and recall. Returns whether it acted.
    @discardableResult
    mutating func checkMargin(loan l: Int, emit: (Outcome) -> Void) -> Bool {
        let loan = state.loans[l]
        guard loan.isOpen, loan.callDeadline == nil, !state.agents[loan.lender].hasDefaulted,
              !state.agents[loan.borrower].hasDefaulted else { return false }
        let required = requirement(l)
        guard required > .zero, collateralRatio(l) < required else { return false }
        guard !paused(by: loan.lender.index, asset: mainCollateralAsset(l)) else { return false }
        let owed = state.market.value(loan.asset, loan.principal)
        let target = owed.scaled(by: max(loan.initial, required))
        let call = target - collateralValue(l)
        guard call > .zero else { return false }
        let deadline = state.time + state.parameters.marginCallWindow
        self[loan: l].callDeadline = deadline
        self[loan: l].callAmount = call
        emit(Outcome(time: state.time, kind: .marginCall, party: .agent(loan.borrower), counterparty: .agent(loan.lender),
                     usd: call, due: deadline))
        postCollateral(loan: l, usd: call)
        if collateralValue(l) >= target {
            self[loan: l].callDeadline = nil
            return true
        }
        state.schedule.add(time: deadline, kind: .callDeadline, subject: l)
        // A call the borrower could not meet at once is a visible sign of distress: platforms
        // with unsecured loans to it recall them.
        for other in state.loans.indices where other != l && state.loans[other].borrower == loan.borrower
            && state.loans[other].state == .active && requirement(other) == .zero && isPlatform(state.loans[other].lender.index) {
            recall(loan: other, emit: emit)
        }
        return true
    }

    /// The borrower moves free holdings into the loan's collateral, cash first, then in asset
    /// order (never its own token), up to `usd`.
    mutating func postCollateral(loan l: Int, usd: USD) {
        let b = state.loans[l].borrower
        var missing = usd
        let order = [state.cashAsset.index] + (0..<state.assetCount).filter { $0 != state.cashAsset.index }
        for a in order where missing > .zero && AssetID(a) != state.agents[b].ownToken {
            let held = state.agents[b].liquid[a]
            let price = state.market.price(a)
            guard held > .zero, price > .zero else { continue }
            let q = min(held, missing.quantityUp(at: price))
            self[agent: b].liquid[a] -= q
            self[loan: l].collateral[a] += q
            missing -= q * price
        }
    }

    /// At a call's deadline a solvent borrower with assets meets it: it pledges free holdings
    /// until the loan is back at the target the requirement sets *now* (the requirement can have
    /// risen since the call under dynamic collateral, and prices moved), not only the amount
    /// called. It defaults only if its free holdings cannot bring the loan back to the
    /// requirement.
    mutating func callDeadline(loan l: Int, emit: (Outcome) -> Void) {
        guard state.loans[l].isOpen, let deadline = state.loans[l].callDeadline, deadline <= state.time else { return }
        self[loan: l].callDeadline = nil
        let loan = state.loans[l]
        let required = requirement(l)
        let owed = state.market.value(loan.asset, loan.principal)
        let target = owed.scaled(by: max(loan.initial, required))
        postCollateral(loan: l, usd: max(state.loans[l].callAmount, target - collateralValue(l)))
        // Aimed 0.1% above the requirement, so that rounding in the sale cannot leave it short.
        let collateral = collateralValue(l), t = max(loan.initial, required) + Ratio(100_000)
        if collateralRatio(l) < required, collateral > owed, t > .one {
            // No free holdings left, but the loan is covered: it sells pledged collateral and
            // repays part of the loan, which raises the ratio ((C − x) / (L − x) = t for
            // x = (t·L − C) / (t − 1)).
            let x = min(owed, (owed.scaled(by: t) - collateral).dividedUp(by: t - .one))
            cut(loan: l, keep: owed - x, of: owed, fromCollateral: true)
        }
        if state.loans[l].isOpen, collateralRatio(l) < required {
            defaultOn(borrower: loan.borrower.index, emit: emit)
        }
    }

    /// A recalled loan falls due: the borrower repays from its holdings, swapping other liquid
    /// assets when short. A borrower that cannot repay all of it repays what it can and
    /// defaults on the rest: the lender's claim on the estate is only the unpaid remainder.
    mutating func settleRecall(loan l: Int, emit: (Outcome) -> Void) {
        guard state.loans[l].state == .recalled else { return }
        let loan = state.loans[l]
        let b = loan.borrower.index
        if state.agents[b].liquid[loan.asset] < loan.principal {
            swapInto(b, asset: loan.asset.index, quantity: loan.principal - state.agents[b].liquid[loan.asset])
        }
        let paid = min(state.agents[b].liquid[loan.asset], loan.principal)
        if paid > .zero {
            self[agent: b].liquid[loan.asset] -= paid
            self[agent: loan.lender].liquid[loan.asset] += paid
            self[loan: l].principal -= paid
        }
        if state.loans[l].principal > .zero {
            // It cannot repay the rest: the lender keeps the collateral and the loss on the
            // remainder falls by the default rules.
            defaultOn(borrower: b, emit: emit)
            return
        }
        close(loan: l)
    }

    /// A forced sale whose seller bears the execution cost (`Market+Bounds.swift`): the USD it
    /// receives, below the value at the recorded (or overlaid) price by half the sale's impact.
    /// The price path is not moved by it; the overlay sees the sale at full value.
    mutating func forcedSaleNet(asset: Int, quantity: Quantity) -> USD {
        let gross = forcedSale(asset: asset, quantity: quantity)
        let cost = state.market.executionCost(asset, usd: gross, floor: state.parameters.impactFloor)
        return gross - gross.scaled(by: cost)
    }

    /// Default of a borrower (cross-default on all its loans): each lender seizes and sells its
    /// collateral; what remains owed is an unsecured claim on the borrower's estate (its holdings
    /// at market × recovery rate), paid by seniority class, pro rata within a class. Each lender
    /// recognises the rest as a loss.
    mutating func defaultOn(borrower b: Int, emit: (Outcome) -> Void) {
        guard !state.agents[b].hasDefaulted else { return }
        self[agent: b].defaultedAt = state.time
        let open = state.loans.indices.filter { state.loans[$0].isOpen && state.loans[$0].borrower.index == b }
        var owedTotal = USD.zero
        var claims: [(loan: Int, shortfall: USD)] = []
        var estate = USD.zero
        for l in open {
            let owed = state.market.value(state.loans[l].asset, state.loans[l].principal)
            owedTotal += owed
            var proceeds = USD.zero
            for a in 0..<state.assetCount where state.loans[l].collateral[a] > .zero {
                proceeds += forcedSaleNet(asset: a, quantity: state.loans[l].collateral[a])
                self[loan: l].collateral[a] = .zero
            }
            let recovered = min(proceeds, owed)
            receiveCash(state.loans[l].lender.index, usd: recovered)
            estate += proceeds - recovered
            claims.append((l, owed - recovered))
            self[loan: l].state = .defaulted
            self[loan: l].callDeadline = nil
            let lender = state.loans[l].lender
            for k in state.agents[lender].incoming.indices where state.agents[lender].incoming[k].source == .recall(loan: LoanID(l)) {
                self[agent: lender].incoming[k].quantity = .zero
            }
        }
        // The estate: free holdings and positions, sold, at the recovery rate.
        var holdings = USD.zero
        for a in 0..<state.assetCount where state.agents[b].liquid[a] > .zero {
            holdings += forcedSaleNet(asset: a, quantity: state.agents[b].liquid[a])
            self[agent: b].liquid[a] = .zero
        }
        for d in state.agents[b].deployments.indices where state.agents[b].deployments[d].quantity > .zero && !state.agents[b].deployments[d].frozen {
            let dep = state.agents[b].deployments[d]
            holdings += forcedSaleNet(asset: dep.asset.index, quantity: dep.quantity)
            self[agent: b].deployments[d].quantity = .zero
        }
        estate += holdings.scaled(by: state.parameters.recoveryRate)
        let shortfall = claims.reduce(USD.zero) { $0 + $1.shortfall }
        emit(Outcome(time: state.time, kind: .default, party: .agent(AgentID(b)), usd: shortfall, owed: owedTotal))

        var remaining = estate
        let classes = Set(claims.map { state.loans[$0.loan].seniority }).sorted()
        var paidBack = [USD](repeating: .zero, count: claims.count)
        for seniority in classes where remaining > .zero {
            let members = claims.indices.filter { state.loans[claims[$0].loan].seniority == seniority }
            let classTotal = members.reduce(USD.zero) { $0 + claims[$1].shortfall }
            guard classTotal > .zero else { continue }
            let pool = min(remaining, classTotal)
            for m in members { paidBack[m] = pool.scaled(claims[m].shortfall, over: classTotal) }
            remaining -= members.reduce(USD.zero) { $0 + paidBack[$1] }
        }
        var affected: [Int] = []
        var unpaid = USD.zero
        for (k, claim) in claims.enumerated() {
            let lender = state.loans[claim.loan].lender.index
            receiveCash(lender, usd: paidBack[k])
            let loss = claim.shortfall - paidBack[k]
            unpaid += loss
            if loss > .zero {
                self[agent: lender].recognisedLosses += loss
                emit(Outcome(time: state.time, kind: .loss, party: .agent(AgentID(lender)), counterparty: .agent(AgentID(b)), usd: loss))
            }
            self[loan: claim.loan].principal = .zero
            if !affected.contains(lender) { affected.append(lender) }
        }
        for lender in affected.sorted() {
            checkInsolvency(lender, emit: emit)
            serve(lender, emit: emit)
        }
        if state.agents[b].role == .fund {
            // A fund is found insolvent when it defaults and its creditors are left unpaid: the
            // hole is what they lose (its marks before were its managers' alone).
            if unpaid > .zero, state.agents[b].insolventAt == nil { recognise(b, equity: -unpaid, emit: emit) }
        } else {
            checkInsolvency(b, emit: emit)
        }
    }
}
