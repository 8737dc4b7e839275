/// Rules of platforms (lenders and exchanges): withdrawals, raising liquidity, halting.
extension Model {
    package func isPlatform(_ i: Int) -> Bool { state.agents[i].role == .lender || state.agents[i].role == .exchange }

    // MARK: Withdrawals

    /// A recorded withdrawal request (a background flow of a log): the same path as the
    /// behavioural rule's requests (`submitWithdrawal`), unscaled.
    mutating func requestWithdrawal(cohort c: Int, asset: Int, quantity: Quantity, emit: (Outcome) -> Void) {
        submitWithdrawal(cohort: c, asset: asset, quantity: quantity, emit: emit)
    }

    /// Pays the queue in order, within the withdrawal gate, from liquid reserves (swapping other
    /// liquid assets when needed) and the credit line; raises more liquidity when short; halts
    /// when the rule says so. When liquidity runs short, requests that arrived at the same time
    /// are served in an order drawn from the platform's random stream.
    mutating func serve(_ p: Int, emit: (Outcome) -> Void) {
        guard !state.agents[p].isHalted, !state.agents[p].queue.isEmpty else { return }
        var allowance = gateAllowance(p)
        shuffleHeadIfShort(p)
        while let w = state.agents[p].queue.first, allowance > .zero {
            let price = max(Price(1), state.market.price(w.asset))
            let want = allowance == .max ? w.quantity : min(w.quantity, allowance.quantity(at: price))
            let paid = pay(p, asset: w.asset.index, quantity: want)
            if paid > .zero {
                self[cohort: w.cohort.index].claims[w.asset] -= paid
                self[agent: p].claims[w.asset] -= paid
                self[cohort: w.cohort.index].withdrawn += state.market.value(w.asset, paid)
                state.outside[w.asset] += paid
                if allowance != .max {
                    let usd = state.market.value(w.asset, paid)
                    self[agent: p].gatePaid += usd
                    allowance -= usd
                }
            }
            if paid == w.quantity { self[agent: p].queue.removeFirst(); continue }
            self[agent: p].queue[0].quantity -= paid
            break
        }
        if !state.agents[p].queue.isEmpty && allowance <= .zero {
            if let policy = state.agents[p].policy.withdrawalGate {
                let reopen = state.agents[p].gateWindowStart + policy.window
                if !state.schedule.heap.contains(where: { $0.kind == .gateReopen && $0.subject == p && $0.time == reopen }) {
                    state.schedule.add(time: reopen, kind: .gateReopen, subject: p)
                }
            }
            return
        }
        guard !state.agents[p].queue.isEmpty else { topUpBuffer(p, emit: emit); return }
        raiseLiquidity(p, emit: emit)
        checkHalt(p, emit: emit)
    }

    /// USD the gate still lets out in the current window (`.max` without a gate).
    mutating func gateAllowance(_ p: Int) -> USD {
        guard let gate = state.agents[p].policy.withdrawalGate else { return .max }
        if state.time >= state.agents[p].gateWindowStart &+ gate.window || state.agents[p].gateWindowStart == .min {
            self[agent: p].gateWindowStart = state.time
            self[agent: p].gatePaid = .zero
            self[agent: p].gateBase = claimsValue(platform: p)
        }
        return max(.zero, state.agents[p].gateBase.scaled(by: gate.maxShare) - state.agents[p].gatePaid)
    }

    mutating func shuffleHeadIfShort(_ p: Int) {
        let queue = state.agents[p].queue
        guard queue.count > 1 else { return }
        let head = queue[0].time
        let group = queue.prefix { $0.time == head }.count
        guard group > 1 else { return }
        let demand = queue.prefix(group).reduce(USD.zero) { $0 + state.market.value($1.asset, $1.quantity) }
        guard demand > liquidValue(p) else { return }
        var members = Array(queue.prefix(group))
        state.random[p].shuffle(&members)
        self[agent: p].queue.replaceSubrange(0..<group, with: members)
    }

    /// Pays up to `quantity` of `asset` out of platform `p`; returns what it paid (the tokens
    /// leave the platform; the caller books them to the claimant).
    mutating func pay(_ p: Int, asset: Int, quantity: Quantity) -> Quantity {
        var have = state.agents[p].liquid[asset]
        if have < quantity { swapInto(p, asset: asset, quantity: quantity - have); have = state.agents[p].liquid[asset] }
        if have < quantity { drawCredit(p, asset: asset, quantity: quantity - have); have = state.agents[p].liquid[asset] }
        let paid = min(have, quantity)
        self[agent: p].liquid[asset] -= paid
        return paid
    }

    /// Sells other liquid assets (never its own token) to obtain `quantity` of `asset`, paying
    /// the swap fee. Assets are sold in index order.
    mutating func swapInto(_ i: Int, asset: Int, quantity: Quantity) {
        var missing = state.market.value(asset, quantity)
        let fee = state.parameters.swapFee
        for b in 0..<state.assetCount where b != asset && AssetID(b) != state.agents[i].ownToken && missing > .zero {
            let held = state.agents[i].liquid[b]
            guard held > .zero, state.market.price(b) > .zero else { continue }
            let grossNeeded = missing.dividedUp(by: fee.complement)
            let sellQuantity = min(held, grossNeeded.quantityUp(at: state.market.price(b)))
            let proceeds = state.market.value(b, sellQuantity).scaled(by: fee.complement)
            // Rounded up, so a swap meant to cover a need covers it (the platform gains at most
            // 10^-8 of a token; tokens stay conserved through `outside`).
            let bought = min(Quantity(Fixed.mulDivUp(proceeds.raw, Fixed.one, max(1, state.market.price(asset).raw))), quantity)
            self[agent: i].liquid[b] -= sellQuantity
            state.outside[b] += sellQuantity
            self[agent: i].liquid[asset] += bought
            state.outside[asset] -= bought
            missing -= proceeds
        }
    }

    /// Draws on the undated line first, then on the dated lines that exist and whose provider has
    /// not failed, in order.
    mutating func drawCredit(_ i: Int, asset: Int, quantity: Quantity) {
        var want = quantity.valueUp(at: state.market.price(asset))
        var usd = USD.zero
        let linesDrawn = state.agents[i].creditLines.reduce(USD.zero) { $0 + $1.drawn }
        let legacy = min(want, max(.zero, state.agents[i].creditLimit - (state.agents[i].creditDrawn - linesDrawn)))
        usd += legacy; want -= legacy
        for k in state.agents[i].creditLines.indices where want > .zero && creditLineOpen(i, k) {
            let take = min(want, max(.zero, state.agents[i].creditLines[k].amount - state.agents[i].creditLines[k].drawn))
            guard take > .zero else { continue }
            self[agent: i].creditLines[k].drawn += take
            usd += take; want -= take
        }
        guard usd > .zero else { return }
        self[agent: i].creditDrawn += usd
        let q = usd.quantity(at: max(Price(1), state.market.price(asset)))
        self[agent: i].liquid[asset] += q
        state.outside[asset] -= q
    }

    /// Starts unwinds and recalls to cover the unpaid queue beyond what is already on its way:
    /// the fastest deployments first, then loans by notice period (ties by index).
    mutating func raiseLiquidity(_ p: Int, emit: (Outcome) -> Void) {
        raiseLiquidity(p, needed: queueValue(p) - incomingValue(p, within: .max), emit: emit)
    }

    /// Starts unwinds and recalls worth `needed` (USD).
    mutating func raiseLiquidity(_ p: Int, needed: USD, emit: (Outcome) -> Void) {
        var needed = needed
        guard needed > .zero else { return }
        let order = state.agents[p].deployments.indices.sorted {
            (state.agents[p].deployments[$0].unwindDelay, $0) < (state.agents[p].deployments[$1].unwindDelay, $1)
        }
        for d in order where needed > .zero {
            let dep = state.agents[p].deployments[d]
            guard !dep.frozen, dep.quantity > .zero else { continue }
            let unit = state.market.price(dep.asset).scaled(by: dep.haircut.complement)
            guard unit > .zero else { continue }
            let q = min(dep.quantity, needed.quantityUp(at: unit))
            self[agent: p].deployments[d].quantity -= q
            let due = state.time + dep.unwindDelay
            self[agent: p].incoming.append(Incoming(due: due, asset: dep.asset, quantity: q, source: .unwind(deployment: d)))
            state.schedule.add(time: due, kind: .arrival, subject: p, detail: state.agents[p].incoming.count - 1)
            needed -= q * unit
        }
        let loans = state.loans.indices.filter { state.loans[$0].lender.index == p && state.loans[$0].state == .active }
            .sorted { (state.loans[$0].notice, $0) < (state.loans[$1].notice, $1) }
        for l in loans where needed > .zero {
            recall(loan: l, emit: emit)
            needed -= state.market.value(state.loans[l].asset, state.loans[l].principal)
        }
    }

    /// Keeps the liquidity buffer the policy asks for by recalling loans when reserves fall
    /// below it.
    mutating func topUpBuffer(_ p: Int, emit: (Outcome) -> Void) {
        let buffer = state.agents[p].policy.liquidityBuffer
        guard buffer > .zero else { return }
        let gap = claimsValue(platform: p).scaled(by: buffer) - liquidValue(p) - incomingValue(p, within: .max)
        guard gap > .zero else { return }
        if let l = state.loans.indices.first(where: { state.loans[$0].lender.index == p && state.loans[$0].state == .active }) {
            recall(loan: l, emit: emit)
        }
    }

    mutating func recall(loan l: Int, emit: (Outcome) -> Void) {
        guard state.loans[l].state == .active else { return }
        let loan = state.loans[l]
        let due = state.time + loan.notice
        self[loan: l].state = .recalled
        self[loan: l].due = due
        self[agent: loan.lender].incoming.append(Incoming(due: due, asset: loan.asset, quantity: loan.principal, source: .recall(loan: LoanID(l))))
        state.schedule.add(time: due, kind: .arrival, subject: loan.lender.index, detail: state.agents[loan.lender].incoming.count - 1)
        // Valued at the prices after the input (`Model.apply` values it again at the end when
        // they can still move).
        emit(Outcome(time: state.time, kind: .recall, party: .agent(loan.lender), counterparty: .agent(loan.borrower),
                     asset: loan.asset, quantity: loan.principal, usd: state.market.value(loan.asset, loan.principal), due: due))
    }

    /// An unwind matures or a recalled loan falls due.
    mutating func arrive(agent p: Int, incoming k: Int, emit: (Outcome) -> Void) {
        guard k < state.agents[p].incoming.count else { return }
        let item = state.agents[p].incoming[k]
        guard item.quantity > .zero else { return }
        self[agent: p].incoming[k].quantity = .zero
        switch item.source {
        case let .unwind(d):
            let dep = state.agents[p].deployments[d]
            let unit = state.market.price(item.asset).scaled(by: dep.haircut.complement)
            // Unwinding at a haircut is a forced sale of the position's asset.
            _ = forcedSale(asset: item.asset.index, quantity: item.quantity)
            receiveCash(p, usd: item.quantity * unit)
        case let .recall(l):
            settleRecall(loan: l.index, emit: emit)
        }
        serve(p, emit: emit)
    }

    /// The halt rule without behaviour (`Behaviour.active` off): halt when the unpaid queue
    /// exceeds liquid reserves plus what arrives within the horizon plus unused credit, by more
    /// than `haltTolerance` × customer claims. With behaviour on, the managers decide instead,
    /// hourly and after their decision lag (`manage`).
    mutating func checkHalt(_ p: Int, emit: (Outcome) -> Void) {
        guard !state.parameters.behaviour.active else { return }
        let queue = queueValue(p)
        guard queue > .zero else { return }
        let available = liquidValue(p) + incomingValue(p, within: state.parameters.haltHorizon) + availableCredit(p)
        let tolerance = claimsValue(platform: p).scaled(by: state.parameters.haltTolerance)
        guard queue - available > tolerance else { return }
        halt(p, pending: queue, emit: emit)
    }

    mutating func halt(_ p: Int, pending: USD, emit: (Outcome) -> Void) {
        guard !state.agents[p].isHalted else { return }
        self[agent: p].haltedAt = state.time
        emit(Outcome(time: state.time, kind: .halt, party: .agent(AgentID(p)), usd: pending))
        // Requests already accepted stay unpaid; they count as frozen.
        for w in state.agents[p].queue { self[cohort: w.cohort.index].frozenRequests += state.market.value(w.asset, w.quantity) }
        self[agent: p].queue.removeAll()
        // Whatever other agents hold on this venue freezes.
        for i in state.agents.indices where i != p {
            for d in state.agents[i].deployments.indices where state.agents[i].deployments[d].venue == AgentID(p) {
                self[agent: i].deployments[d].frozen = true
            }
        }
        // A halted lender whose equity is already below zero starts its filing clock now.
        if state.agents[p].role == .lender && state.parameters.filingDelay > 0 { checkInsolvency(p, emit: emit) }
    }

    // MARK: Insolvency

    /// An agent is insolvent when its equity is below zero. A lender (with `filingDelay` > 0) files
    /// only once it has halted and its equity is below zero, and has stayed so for `filingDelay`
    /// (it files then: insolvency recognised); the later of halt and negative equity starts the
    /// clock, which is what the specs measure `filingDelay` on (the record's halt → filing lags).
    /// A venue found insolvent writes down what others hold on it to the recovery rate, and they
    /// recognise the loss.
    mutating func checkInsolvency(_ i: Int, emit: (Outcome) -> Void) {
        guard watchesSolvency(i) else { return }
        let e = equity(i)
        guard e < .zero else { return }
        if state.agents[i].role == .lender && state.parameters.filingDelay > 0 {
            guard state.agents[i].isHalted else { return }
            self[agent: i].filingClock = state.time
            state.schedule.add(time: state.time + state.parameters.filingDelay, kind: .filing, subject: i)
            return
        }
        recognise(i, equity: e, emit: emit)
    }

    /// Whether a negative equity of agent `i` would be recognised now: not yet found insolvent,
    /// no filing clock running, not a pool, and not a fund. A fund's marks are its managers' alone
    /// (nobody sees a private fund's book): it keeps trading and paying while it can, and it is
    /// found insolvent only when it defaults with creditors left unpaid (`defaultOn`).
    @inline(__always)
    func watchesSolvency(_ i: Int) -> Bool {
        state.agents[i].insolventAt == nil && state.agents[i].filingClock == nil
            && state.agents[i].role != .pool && state.agents[i].role != .fund
    }

    /// The filing delay of lender `i` ends: it files if its equity is still below zero; if not,
    /// the clock stops (a later fall below zero starts a new one).
    mutating func filingDue(_ i: Int, emit: (Outcome) -> Void) {
        guard state.agents[i].filingClock != nil, state.agents[i].insolventAt == nil else { return }
        self[agent: i].filingClock = nil
        let e = equity(i)
        if e < .zero { recognise(i, equity: e, emit: emit) }
    }

    mutating func recognise(_ i: Int, equity e: USD, emit: (Outcome) -> Void) {
        self[agent: i].insolventAt = state.time
        emit(Outcome(time: state.time, kind: .insolvency, party: .agent(AgentID(i)), usd: -e))
        writeDownVenue(i, emit: emit)
    }

    mutating func writeDownVenue(_ v: Int, emit: (Outcome) -> Void) {
        for i in state.agents.indices where i != v {
            var loss = USD.zero
            for d in state.agents[i].deployments.indices where state.agents[i].deployments[d].venue == AgentID(v)
                && !state.agents[i].deployments[d].writtenDown {
                let dep = state.agents[i].deployments[d]
                let kept = dep.quantity.scaled(by: state.parameters.recoveryRate)
                loss += state.market.value(dep.asset, dep.quantity - kept)
                state.outside[dep.asset] += dep.quantity - kept
                self[agent: i].deployments[d].quantity = kept
                self[agent: i].deployments[d].writtenDown = true
                self[agent: i].deployments[d].frozen = true
            }
            guard loss > .zero else { continue }
            self[agent: i].recognisedLosses += loss
            emit(Outcome(time: state.time, kind: .loss, party: .agent(AgentID(i)), counterparty: .agent(AgentID(v)), usd: loss))
            checkInsolvency(i, emit: emit)
        }
    }
}
