/// Managers decide (Sources/DominoModel/README.md, "Managers decide"): every hour an open
/// platform's managers look at the run they face, their liquidity and their solvency; they
/// defend themselves by rules (recall loans, unwind deployments, raise rates — which depositors
/// see), and they suspend withdrawals when a suspension condition has held for the decision lag.
extension Model {
    /// The share of claims asked for recently (decayed memory of requests, ≈ 1.4 days' worth
    /// with a 24 h half-life).
    @inline(__always) // one caller, `manage`
    func recentShare(_ p: Int) -> Ratio {
        let b = state.parameters.behaviour
        let recent = decayed(state.agents[p].recentOutflow, since: state.agents[p].recentTime, halfLife: b.herdingHalfLife)
        return recent.ratio(to: max(claimsValue(platform: p), USD.one))
    }

    /// The hourly decision of platform `p`'s managers.
    mutating func manage(_ p: Int, emit: (Outcome) -> Void) {
        let b = state.parameters.behaviour
        let claims = claimsValue(platform: p)
        guard claims > .zero else { return }
        let share = recentShare(p)
        let queue = queueValue(p)
        let running = share > b.defenceTrigger
        // Defence: cover `defenceDays` of the recent outflow rate (the memory holds ≈ 1.44
        // half-lives of requests: rate per day ≈ memory × 0.69 per half-life day).
        if running || queue > .zero {
            if state.agents[p].defendingSince == nil { self[agent: p].defendingSince = state.time }
            let recent = decayed(state.agents[p].recentOutflow, since: state.agents[p].recentTime, halfLife: b.herdingHalfLife)
            let days = b.defenceDays.scaled(24 * Self.hour, over: max(b.herdingHalfLife, 1))
            let projected = recent.scaled(by: days).scaled(by: Ratio(69_314_718)) // ln 2
            let gap = projected + queue - liquidValue(p) - incomingValue(p, within: .max)
            if gap > .zero { raiseLiquidity(p, needed: gap, emit: emit) }
        }
        // Suspension: liquidity (the queue beyond what it holds, can raise within the horizon
        // and draw) or solvency (insolvent at market while depositors run).
        let available = liquidValue(p) + incomingValue(p, within: state.parameters.haltHorizon) + availableCredit(p)
        let illiquid = queue - available > claims.scaled(by: state.parameters.haltTolerance)
        let insolvent = running && equity(p) < -claims.scaled(by: b.insolvencyMargin)
        guard illiquid || insolvent else {
            if state.agents[p].stressSince != nil { self[agent: p].stressSince = nil }
            return
        }
        if state.agents[p].stressSince == nil { self[agent: p].stressSince = state.time }
        if state.time - state.agents[p].stressSince! >= b.decisionLag { halt(p, pending: queue, emit: emit) }
    }

    /// Credit the platform can still draw now: its undated line, and its dated lines that exist
    /// and whose provider has not failed.
    @inline(__always)
    package func availableCredit(_ p: Int) -> USD {
        let linesDrawn = state.agents[p].creditLines.reduce(USD.zero) { $0 + $1.drawn }
        var room = max(.zero, state.agents[p].creditLimit - (state.agents[p].creditDrawn - linesDrawn))
        for k in state.agents[p].creditLines.indices where creditLineOpen(p, k) { room += max(.zero, state.agents[p].creditLines[k].amount - state.agents[p].creditLines[k].drawn) }
        return room
    }

    @inline(__always)
    func creditLineOpen(_ p: Int, _ k: Int) -> Bool {
        let line = state.agents[p].creditLines[k]
        guard line.from <= state.time else { return false }
        if let provider = line.provider?.index, failed(provider) { return false }
        return true
    }
}
