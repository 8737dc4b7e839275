/// The model: `state = inputs.reduce(initial, apply)`. Pure — no files, clocks or printing;
/// time comes from the inputs and randomness from `state.random`. Outcomes are handed to `emit`.
package struct Model: Sendable {
    /// Read-only outside the model: it changes only by `apply`, `finish` and the set-up entry
    /// points (`addPoolPosition`, `settle`, `applyPolicies`).
    package internal(set) var state: ModelState
    /// The baseline to compare with; nil when this run *is* the baseline.
    package let reference: BaselineTrace?
    /// Recorded while running as the baseline.
    package internal(set) var trace = BaselineTrace()
    /// Skip the checks after a price tick that cannot find anything (`Model+Bounds.swift`).
    /// Only for a driver that changes the state through the model alone (the replay does);
    /// outcomes and state are the same either way.
    package var incrementalChecks = false
    var bounds = CheckBounds()
    /// Buffers `liquidateDue` reuses from tick to tick (not state: empty between inputs).
    var dueScratch = DueEntries()
    var freshScratch: [LiquidationIndex.Entry] = []
    /// The outcomes of the input being applied (`apply`); empty between inputs.
    var heldOutcomes: [Outcome] = []
    /// Conserved totals for the invariant checks (`Model+Invariants.swift`); nil unless kept.
    var ledger: InvariantLedger?

    package init(state: ModelState, reference: BaselineTrace? = nil, trace: BaselineTrace = BaselineTrace()) {
        self.state = state
        self.reference = reference
        self.trace = trace
        #if DOMINO_INTERNAL_CHECKS
        startInvariantLedger()
        #endif
    }

    /// Prepares a freshly built state: values claims and equity at the first prices, at `time`
    /// (the start of the window).
    /// Call once after the first price of every asset has been applied (the replay does it).
    package mutating func settle(at time: Int64? = nil) {
        if let time { state.time = time }
        state.settled = true
        for i in state.agents.indices { self[agent: i].initialEquity = max(.zero, equity(i)) }
        for c in state.cohorts.indices { self[cohort: c].initialClaims = claimsValue(cohort: c) }
        settleBehaviour()
        assertInvariants(recount: true)
    }

    // MARK: Applying inputs

    /// Applies one input at `time` (never earlier than the previous one). Scheduled actions due
    /// at or before `time` fire first, in their total order.
    package mutating func apply(_ input: Input, at time: Int64, emit: (Outcome) -> Void) {
        precondition(time >= state.time, "inputs out of time order")
        if reference == nil && !(state.schedule.next.map { $0.time <= time } ?? false) {
            // Prices move only by the tick, before any rule acts: a recall's value when it is
            // made is its value at the end of the input.
            applyHolding(input, at: time, emit: emit)
        } else {
            // A scheduled action fires before the tick, and the impact overlay can move prices
            // after a recall (forced sales, and the baseline's unmatched sales at the end of
            // the input): value it at the end. Outcomes keep their order: they pass straight
            // through until the input's first recall and are held from it on (holding them all
            // copied every cascade of liquidations into the buffer, growing it, and out again).
            var held: [Outcome] = []
            swap(&held, &heldOutcomes)
            applyHolding(input, at: time, emit: { o in
                if held.isEmpty && o.kind != .recall { emit(o) } else { held.append(o) }
            })
            release(&held, to: emit)
            swap(&held, &heldOutcomes)
        }
        assertInvariants()
    }

    /// Hands over the outcomes of an input at its end, a recall valued at the prices then.
    mutating func release(_ held: inout [Outcome], to emit: (Outcome) -> Void) {
        for k in held.indices {
            if held[k].kind == .recall, let asset = held[k].asset, let q = held[k].quantity {
                held[k].usd = q * state.market.price(asset)
            }
            emit(held[k])
        }
        held.removeAll(keepingCapacity: true)
    }

    mutating func applyHolding(_ input: Input, at time: Int64, emit: (Outcome) -> Void) {
        // Bounds (`Model+Bounds.swift`): a price moves only prices; every other change goes
        // through the mutators (`ModelState.swift`), which forget the bounds it touches.
        beginInput()
        fireActions(through: time, emit: emit)
        state.time = time
        // The rules index dense arrays by plain indices; amounts stay typed.
        switch input {
        case let .price(asset, price):
            state.market.tick(asset.index, recorded: price, at: time, impact: Market.Impact(state.parameters))
            afterPrice(asset.index, emit: emit)
        case let .deposit(cohort, asset, quantity):
            deposit(cohort: cohort.index, asset: asset.index, quantity: quantity)
        case let .withdrawal(cohort, asset, quantity):
            requestWithdrawal(cohort: cohort.index, asset: asset.index, quantity: quantity, emit: emit)
        case let .transfer(from, to, asset, quantity):
            transfer(from: from?.index, to: to?.index, asset: asset.index, quantity: quantity)
        case let .borrow(lender, borrower, asset, quantity):
            borrow(lender: lender.index, borrower: borrower.index, asset: asset.index, quantity: quantity)
        case let .repay(borrower, lender, asset, quantity):
            repay(borrower: borrower.index, lender: lender.index, asset: asset.index, quantity: quantity, emit: emit)
        case let .collateral(borrower, lender, asset, quantity, posted):
            moveCollateral(borrower: borrower.index, lender: lender.index, asset: asset.index, quantity: quantity, posted: posted)
        case let .signal(subject, intensity):
            signal(subject: subject?.index, intensity: intensity)
        }
        endInput()
        state.inputs += 1
    }

    /// Ends a run at `time`: fires what is still scheduled up to then.
    package mutating func finish(at time: Int64, emit: (Outcome) -> Void) {
        var held: [Outcome] = []
        beginInput()
        fireActions(through: time, emit: { held.append($0) })
        state.time = max(state.time, time)
        endInput()
        release(&held, to: emit)
        assertInvariants(recount: true)
    }

    /// Fires every action due up to `time` (used at the end of a run too).
    mutating func fireActions(through time: Int64, emit: (Outcome) -> Void) {
        while let next = state.schedule.next, next.time <= time {
            _ = state.schedule.pop()
            state.time = max(state.time, next.time)
            switch next.kind {
            case .arrival: arrive(agent: next.subject, incoming: next.detail, emit: emit)
            case .callDeadline: callDeadline(loan: next.subject, emit: emit)
            case .gateReopen: serve(next.subject, emit: emit)
            case .filing: filingDue(next.subject, emit: emit)
            case .decide: decide(emit: emit)
            }
        }
    }

    // MARK: Prices

    mutating func afterPrice(_ asset: Int, emit: (Outcome) -> Void) {
        guard state.settled else { return }
        liquidatePools(asset: asset, emit: emit)
        checksAfterTick(asset, emit: emit)
    }

    /// Forced sale of `quantity` of `asset` to the outside world at the current price; returns the
    /// USD proceeds. The baseline records it; a counterfactual first matches it against the
    /// baseline's sales at the same input and moves the price only by the excess.
    mutating func forcedSale(asset: Int, quantity: Quantity) -> USD {
        guard quantity > .zero else { return .zero }
        let usd = state.market.value(asset, quantity)
        state.outside[asset] += quantity
        state.market.recordForcedSale(asset, usd: usd)
        if reference == nil {
            trace.sales.append(.init(sequence: state.inputs, asset: asset, usd: usd))
        } else if state.market.assets[asset].depth > .zero {
            let matched = min(usd, state.saleBudget[asset])
            state.saleBudget[asset] -= matched
            if usd > matched { state.market.addExcess(asset, usd: usd - matched, at: state.time, parameters: state.parameters) }
        }
        return usd
    }

    /// Loads the baseline's forced sales made while it applied this same input.
    mutating func beginInput() {
        guard let reference else { return }
        if state.saleBudget.count != state.assetCount { state.saleBudget = [USD](repeating: .zero, count: state.assetCount) }
        while state.saleCursor < reference.sales.count, reference.sales[state.saleCursor].sequence <= state.inputs {
            let sale = reference.sales[state.saleCursor]
            if sale.sequence == state.inputs { state.saleBudget[sale.asset] += sale.usd }
            state.saleCursor += 1
        }
    }

    /// Baseline sales this run did not match make its price higher than the record.
    mutating func endInput() {
        guard reference != nil else { return }
        for a in state.saleBudget.indices where state.saleBudget[a] > .zero {
            if state.market.assets[a].depth > .zero {
                state.market.addExcess(a, usd: -state.saleBudget[a], at: state.time, parameters: state.parameters)
            }
            state.saleBudget[a] = .zero
        }
    }

    /// Cash (in the cash asset) bought from the outside with `usd`.
    mutating func receiveCash(_ agent: Int, usd: USD) {
        guard usd > .zero else { return }
        let q = usd.quantity(at: max(Price(1), state.market.price(state.cashAsset)))
        self[agent: agent].liquid[state.cashAsset] += q
        state.outside[state.cashAsset] -= q
    }

    // MARK: Flows

    mutating func deposit(cohort c: Int, asset: Int, quantity: Quantity) {
        let p = state.cohorts[c].platform.index
        self[cohort: c].claims[asset] += quantity
        self[agent: p].claims[asset] += quantity
        self[agent: p].liquid[asset] += quantity
        state.outside[asset] -= quantity
    }

    mutating func transfer(from: Int?, to: Int?, asset: Int, quantity: Quantity) {
        var q = quantity
        if let from {
            q = min(q, state.agents[from].liquid[asset])
            self[agent: from].liquid[asset] -= q
        } else {
            state.outside[asset] -= q
        }
        if let to { self[agent: to].liquid[asset] += q } else { state.outside[asset] += q }
    }

    mutating func borrow(lender: Int, borrower: Int, asset: Int, quantity: Quantity) {
        let q = min(quantity, state.agents[lender].liquid[asset])
        guard q > .zero else { return }
        self[agent: lender].liquid[asset] -= q
        self[agent: borrower].liquid[asset] += q
        open(Loan(lender: AgentID(lender), borrower: AgentID(borrower), asset: AssetID(asset), principal: q,
                                collateral: [Quantity](repeating: .zero, count: state.assetCount), maintenance: .zero, initial: .zero,
                                seniority: 1, notice: state.parameters.recallNotice, customerFunded: true))
    }

    mutating func repay(borrower: Int, lender: Int, asset: Int, quantity: Quantity, emit: (Outcome) -> Void) {
        guard let l = state.loans.indices.first(where: {
            state.loans[$0].isOpen && state.loans[$0].borrower.index == borrower && state.loans[$0].lender.index == lender && state.loans[$0].asset.index == asset
        }) else { return }
        let q = min(quantity, state.loans[l].principal, state.agents[borrower].liquid[asset])
        self[agent: borrower].liquid[asset] -= q
        self[agent: lender].liquid[asset] += q
        self[loan: l].principal -= q
        if state.loans[l].principal == .zero { close(loan: l) }
        serve(lender, emit: emit)
    }

    mutating func moveCollateral(borrower: Int, lender: Int, asset: Int, quantity: Quantity, posted: Bool) {
        guard let l = state.loans.indices.first(where: {
            state.loans[$0].isOpen && state.loans[$0].borrower.index == borrower && state.loans[$0].lender.index == lender
        }) else { return }
        if posted {
            let q = min(quantity, state.agents[borrower].liquid[asset])
            self[agent: borrower].liquid[asset] -= q
            self[loan: l].collateral[asset] += q
        } else {
            let q = min(quantity, state.loans[l].collateral[asset])
            self[loan: l].collateral[asset] -= q
            self[agent: borrower].liquid[asset] += q
        }
    }

    /// Returns a repaid loan's collateral to its borrower.
    mutating func close(loan l: Int) {
        let b = state.loans[l].borrower
        for a in 0..<state.assetCount where state.loans[l].collateral[a] > .zero {
            self[agent: b].liquid[a] += state.loans[l].collateral[a]
            self[loan: l].collateral[a] = .zero
        }
        self[loan: l].principal = .zero
        self[loan: l].state = .repaid
        self[loan: l].callDeadline = nil
        let lender = state.loans[l].lender
        for k in state.agents[lender].incoming.indices where state.agents[lender].incoming[k].source == .recall(loan: LoanID(l)) {
            self[agent: lender].incoming[k].quantity = .zero // settled; indices stay stable for the schedule
        }
    }

    /// A dated signal raises the alarm about its subject; a market-wide one (no subject) raises
    /// it about every platform and pool — the venues depositors hold claims on — but not about
    /// funds: market news is news to every platform's depositors once, not a second time as
    /// news about each platform's borrowers (only a signal that names a fund alarms about it).
    mutating func signal(subject: Int?, intensity: Ratio) {
        for i in state.agents.indices where subject == i || (subject == nil && state.agents[i].role != .fund) {
            decayAlarm(i)
            self[agent: i].alarm += intensity
        }
    }

    /// Alarm fades linearly to zero over `Behaviour.signalFade` (three days by default).
    mutating func decayAlarm(_ i: Int) {
        let fade = state.parameters.behaviour.signalFade
        let dt = state.time - state.agents[i].alarmTime
        self[agent: i].alarmTime = state.time
        guard dt > 0, state.agents[i].alarm != .zero else { return }
        self[agent: i].alarm = dt >= fade ? .zero : state.agents[i].alarm.scaled(fade - dt, over: fade)
    }
}
