/// Depositors decide (Sources/DominoModel/README.md, "Depositors decide"): every hour each
/// cohort asks for a share of its remaining claims, a hazard that rises with what its members
/// can observe of their platform, its counterparties and its peers, and with the others' recent
/// withdrawals (herding). The same rule runs under every policy.
extension Model {
    static let hour: Int64 = 3_600_000

    /// Marks large-account cohorts and schedules the first hourly decision (the next whole hour
    /// after `state.time`). Called by `settle`.
    mutating func settleBehaviour() {
        let b = state.parameters.behaviour
        state.startPrices = state.market.assets.map(\.price)
        for c in state.cohorts.indices {
            let members = max(1, state.cohorts[c].members)
            let large = state.cohorts[c].initialClaims / members > b.largeAccount
            if state.cohorts[c].large != large { self[cohort: c].large = large }
        }
        guard b.active, !state.cohorts.isEmpty || !state.signals.isEmpty else { return }
        guard !state.schedule.heap.contains(where: { $0.kind == .decide }) else { return }
        state.schedule.add(time: (state.time / Self.hour + 1) * Self.hour, kind: .decide, subject: 0)
    }

    /// The hourly decisions: signals due become visible, each cohort of an open platform
    /// decides, then each platform's managers decide. Schedules the next hour.
    mutating func decide(emit: (Outcome) -> Void) {
        while state.signalCursor < state.signals.count, state.signals[state.signalCursor].time <= state.time {
            let s = state.signals[state.signalCursor]
            signal(subject: s.subject?.index, intensity: s.severity)
            state.signalCursor += 1
        }
        var platforms: [Int] = []
        for c in state.cohorts.indices where !platforms.contains(state.cohorts[c].platform.index) {
            platforms.append(state.cohorts[c].platform.index)
        }
        for p in platforms.sorted() where !state.agents[p].isHalted {
            let stress = stressIndex(p)
            for c in state.cohorts.indices where state.cohorts[c].platform.index == p {
                let h = hazard(cohort: c, stress: stress)
                for a in 0..<state.assetCount where state.cohorts[c].claims[a] > .zero {
                    let q = state.cohorts[c].claims[a].scaled(by: h)
                    if q > .zero { submitWithdrawal(cohort: c, asset: a, quantity: q, emit: emit) }
                }
            }
        }
        for p in state.agents.indices where isPlatform(p) && !state.agents[p].isHalted { manage(p, emit: emit) }
        state.schedule.add(time: state.time + Self.hour, kind: .decide, subject: 0)
    }

    /// The hazard of cohort `c` this hour: base + (ceiling − base) · σ(k (S − θ)), θ lowered for
    /// large accounts and shifted by a uniform draw in ±noise keyed by (seed, cohort, hour).
    ///
    /// A calm cohort (S = 0) asks for exactly the base hazard, whatever the parameters: the
    /// cohort's θ before the noise is at least `calmThreshold` (2/k + noise), so that σ is 0 at
    /// S = 0 on every draw. Large accounts react earlier than retail, never in calm.
    @inline(__always) // one caller, `decide` (see `claimsValue(platform:)` on why)
    package func hazard(cohort c: Int, stress: Ratio) -> Ratio {
        let b = state.parameters.behaviour
        let large = state.cohorts[c].large
        var rng = SeededRandom(seed: state.seed ^ 0xB5AD_4ECE_DA1C_E2A9, stream: UInt64(c) << 32 | UInt64(truncatingIfNeeded: state.time / Self.hour))
        let u = rng.share()
        let centre = max(b.threshold - (large ? b.largeShift : .zero), Self.calmThreshold(b))
        let theta = centre + b.noise.scaled(by: Ratio(2 * u - Fixed.one))
        var ceiling = large ? b.ceiling.scaled(by: b.largeCeiling) : b.ceiling
        if Self.withdrawsInstantly(state.agents[state.cohorts[c].platform].role) { ceiling = ceiling.scaled(by: b.instantCeiling) }
        let x = (stress - theta).scaled(by: b.steepness)
        return b.base + max(.zero, ceiling - b.base).scaled(by: Self.sigmoid(x))
    }

    /// Whether a platform of this role pays withdrawals self-served and at once (an on-chain pool,
    /// an exchange's hot wallets), so that its cohorts' ceiling is × `instantCeiling`.
    package static func withdrawsInstantly(_ role: Role) -> Bool { role == .pool || role == .exchange }

    /// The lowest θ (before its noise) that leaves a calm cohort at the base hazard on every
    /// draw: σ(k (0 − θ)) = 0 needs k θ ≥ 2 for θ as low as the noise takes it, so 2/k + noise.
    package static func calmThreshold(_ b: Behaviour) -> Ratio {
        Ratio(Fixed.mulDiv(2 * Fixed.one, Fixed.one, max(1, b.steepness.raw))) + max(.zero, b.noise)
    }

    /// A sigmoid with compact support: 0 below x = −2, 1 above x = 2, the smoothstep
    /// 3t² − 2t³ (t = (x + 2)/4) between, × 10^8. Exact in integers; close to the logistic
    /// 1/(1 + e^(−1.6x)) where it matters, and exactly the base hazard when calm.
    package static func sigmoid(_ x: Ratio) -> Ratio {
        let two = 2 * Ratio.one
        if x <= -two { return .zero }
        if x >= two { return .one }
        let t = (x + two).scaled(Ratio.one, over: 4 * Ratio.one)
        let t2 = t.scaled(by: t)
        return 3 * t2 - 2 * t2.scaled(by: t)
    }

    /// The stress index S of platform `p`'s depositors: the weighted sum of what they observe
    /// (README, "Depositors decide"; each observable × 10^8, capped at 2 so that a thin equity
    /// cannot make one dominate without bound).
    @inline(__always) // one caller, `decide` (see `claimsValue(platform:)` on why)
    package func stressIndex(_ p: Int) -> Ratio {
        let b = state.parameters.behaviour
        let o = observed(p)
        let weights = [b.drawdown, b.ownToken, b.loss, b.signal, b.counterpartySignal, b.peerFailure, b.counterpartyFailure,
                       b.queue, b.gate, b.rate, b.reuse, b.shortfall, b.herding]
        var s = Ratio.zero
        for (w, v) in zip(weights, o) { s += min(v, 2 * Ratio.one).scaled(by: w) }
        return s
    }

    /// What platform `p`'s depositors observe, in the order of `stressIndex`'s weights:
    /// drawdown of its book (its holdings and deployments other than its own token, and the
    /// collateral of its own positions in on-chain pools) and of its own token from the prices at
    /// the start of the run, recognised losses over initial equity, alarm about
    /// it, the highest alarm about a counterparty, failed peers and failed counterparties (each
    /// failure counts 1 when it happens, fading like a signal), unpaid queue over claims, use of
    /// the gate's allowance, visible defence (1 when it starts, fading like a signal),
    /// under proof of reserves its reuse and its shortfall over claims, recent withdrawal
    /// requests over claims.
    @inline(__always) // one caller, `stressIndex` (see `claimsValue(platform:)` on why)
    package func observed(_ p: Int) -> [Ratio] {
        let b = state.parameters.behaviour
        // The agent is read in place (`state.agents[p].…`): a copy would retain and release
        // every array in it, for every platform every hour.
        var now: Int128 = 0, peak: Int128 = 0
        for a in 0..<state.assetCount where AssetID(a) != state.agents[p].ownToken {
            var q = state.agents[p].liquid[a]
            for d in state.agents[p].deployments where d.asset.index == a { q += d.quantity }
            now += Int128(q.raw) * Int128(state.market.assets[a].price.raw)
            peak += Int128(q.raw) * Int128(start(a).raw)
        }
        // Its own positions in on-chain pools are public (anyone can read an Aave or Maker
        // position's collateral; Celsius's stETH and wBTC were watched in June 2022).
        forEachOwnPosition(of: p) { q, k in
            let a = state.pools[q].positions[k].collateralAsset.index
            guard AssetID(a) != state.agents[p].ownToken else { return }
            let c = state.pools[q].positions[k].collateral
            now += Int128(c.raw) * Int128(state.market.assets[a].price.raw)
            peak += Int128(c.raw) * Int128(start(a).raw)
        }
        let drawdown = peak == 0 ? .zero : max(.zero, Ratio(Int64((peak - now) * Int128(Fixed.one) / peak)))
        var own = Ratio.zero
        if let t = state.agents[p].ownToken?.index, start(t) > .zero {
            own = max(.zero, (start(t) - state.market.assets[t].price).ratio(to: start(t)))
        }
        let claims = max(claimsValue(platform: p), USD.one)
        let loss = state.agents[p].recognisedLosses.ratio(to: max(state.agents[p].initialEquity, claims / 20))
        // Counterparties: borrowers of its open loans, venues of its deployments.
        // By index: iterating the loans by value copies each (a retain and release of its collateral).
        var counterparties: [Int] = []
        for l in state.loans.indices where state.loans[l].lender.index == p && state.loans[l].isOpen && !counterparties.contains(state.loans[l].borrower.index) {
            counterparties.append(state.loans[l].borrower.index)
        }
        for l in state.loans.indices where state.loans[l].lender.index == p && state.loans[l].state == .defaulted && !counterparties.contains(state.loans[l].borrower.index) {
            counterparties.append(state.loans[l].borrower.index)
        }
        for d in state.agents[p].deployments { if let v = d.venue?.index, !counterparties.contains(v) { counterparties.append(v) } }
        var cpAlarm = Ratio.zero, cpFailed = Ratio.zero, peers = Ratio.zero
        for i in counterparties {
            cpAlarm = max(cpAlarm, alarm(i))
            cpFailed += failureNews(i)
        }
        for i in state.agents.indices where i != p && !counterparties.contains(i) && state.agents[i].role != .pool {
            peers += failureNews(i)
        }
        let queue = queueValue(p).ratio(to: claims)
        var gate = Ratio.zero
        if let g = state.agents[p].policy.withdrawalGate, state.agents[p].gateWindowStart != .min, state.time < state.agents[p].gateWindowStart &+ g.window {
            gate = state.agents[p].gatePaid.ratio(to: max(USD(1), state.agents[p].gateBase.scaled(by: g.maxShare)))
        }
        let defending = state.agents[p].defendingSince.map { fading(since: $0) } ?? .zero
        var reuse = Ratio.zero, shortfall = Ratio.zero
        if state.agents[p].policy.proofOfReserves {
            reuse = reuseShare(p)
            shortfall = max(.zero, -equity(p)).ratio(to: claims)
        }
        let herd = decayed(state.agents[p].recentOutflow, since: state.agents[p].recentTime, halfLife: b.herdingHalfLife).ratio(to: claims)
        return [drawdown, own, loss, alarm(p), cpAlarm, peers, cpFailed, queue, gate, defending, reuse, shortfall, herd]
    }

    /// The price of asset `a` when the run settled (the current price before).
    @inline(__always)
    func start(_ a: Int) -> Price { a < state.startPrices.count ? state.startPrices[a] : state.market.assets[a].price }

    /// An agent has failed, as anyone can see: it halted or defaulted, or was found insolvent.
    @inline(__always)
    func failed(_ i: Int) -> Bool {
        state.agents[i].haltedAt != nil || state.agents[i].defaultedAt != nil || state.agents[i].insolventAt != nil
    }

    /// A failure is news: 1 when it happens, fading linearly to 0 over `signalFade` (the
    /// depositors who react to it have reacted; the rest stay).
    @inline(__always)
    func failureNews(_ i: Int) -> Ratio {
        // The earliest of the three dates, without building arrays (called for every agent,
        // for every platform, every hour).
        var first: Int64? = nil
        if let t = state.agents[i].haltedAt { first = t }
        if let t = state.agents[i].defaultedAt { first = min(first ?? t, t) }
        if let t = state.agents[i].insolventAt { first = min(first ?? t, t) }
        guard let first else { return .zero }
        return fading(since: first)
    }

    /// 1 at `since`, fading linearly to 0 over `signalFade`.
    @inline(__always)
    func fading(since: Int64) -> Ratio {
        let fade = state.parameters.behaviour.signalFade
        let dt = state.time - since
        guard dt > 0 else { return .one }
        return dt >= fade ? .zero : Ratio.one.scaled(fade - dt, over: fade)
    }

    /// The alarm about agent `i` now (faded since it was last raised).
    @inline(__always)
    func alarm(_ i: Int) -> Ratio {
        let fade = state.parameters.behaviour.signalFade
        let dt = state.time - state.agents[i].alarmTime
        guard dt > 0 else { return state.agents[i].alarm }
        return dt >= fade ? .zero : state.agents[i].alarm.scaled(fade - dt, over: fade)
    }

    /// `value` recorded at `since`, halved every `halfLife` (linear between halvings).
    @inline(__always)
    func decayed<U>(_ value: Amount<U>, since: Int64, halfLife: Int64) -> Amount<U> {
        let dt = state.time - since
        guard dt > 0, value != .zero, halfLife > 0 else { return value }
        let halvings = dt / halfLife
        guard halvings < 62 else { return .zero }
        let v = Amount<U>(value.raw >> halvings)
        let rest = dt % halfLife
        return v - v.scaled(rest, over: 2 * halfLife)
    }

    /// A withdrawal request of cohort `c` (recorded or from the rule): capped at what the cohort
    /// has not already asked for, refused (frozen) if the platform has halted, else queued and
    /// served. Feeds the platform's recent-outflow memory.
    mutating func submitWithdrawal(cohort c: Int, asset: Int, quantity: Quantity, emit: (Outcome) -> Void) {
        let p = state.cohorts[c].platform.index
        var queued = Quantity.zero
        for w in state.agents[p].queue where w.cohort.index == c && w.asset.index == asset { queued += w.quantity }
        let q = min(quantity, max(.zero, state.cohorts[c].claims[asset] - queued))
        guard q > .zero else { return }
        if state.agents[p].isHalted {
            self[cohort: c].frozenRequests += state.market.value(asset, q)
            return
        }
        let usd = state.market.value(asset, q)
        self[cohort: c].requested += usd
        let b = state.parameters.behaviour
        let recent = decayed(state.agents[p].recentOutflow, since: state.agents[p].recentTime, halfLife: b.herdingHalfLife)
        self[agent: p].recentOutflow = recent + usd
        self[agent: p].recentTime = state.time
        self[agent: p].queue.append(Withdrawal(cohort: CohortID(c), asset: AssetID(asset), quantity: q, time: state.time))
        serve(p, emit: emit)
    }
}
