/// Managers decide (Sources/DominoModel/README.md, "Managers decide"): every hour an open
/// platform's managers look at the run they face, their liquidity and their solvency; they
/// defend themselves by rules (recall loans, unwind deployments, raise rates — which depositors
/// see), and they suspend withdrawals when a suspension condition has held for the decision lag.
extension Model {
    /// The share of claims asked for recently (decayed memory of requests, ≈ 1.4 days' worth
    /// with a 24 h half-life).
    func recentShare(_ p: Int) -> Int64 {
        let b = state.parameters.behaviour
        let recent = decayed(state.agents[p].recentOutflow, since: state.agents[p].recentTime, halfLife: b.herdingHalfLife)
        return Fixed.ratio(recent, max(claimsValue(platform: p), Fixed.one))
    }

    /// The hourly decision of platform `p`'s managers.
    mutating func manage(_ p: Int, emit: (Outcome) -> Void) {
        let b = state.parameters.behaviour
        let claims = claimsValue(platform: p)
        guard claims > 0 else { return }
        let share = recentShare(p)
        let queue = queueValue(p)
        let running = share > b.defenceTrigger
        // Defence: cover `defenceDays` of the recent outflow rate (the memory holds ≈ 1.44
        // half-lives of requests: rate per day ≈ memory × 0.69 per half-life day).
        if running || queue > 0 {
            if state.agents[p].defendingSince == nil { self[agent: p].defendingSince = state.time }
            let recent = decayed(state.agents[p].recentOutflow, since: state.agents[p].recentTime, halfLife: b.herdingHalfLife)
            let days = Fixed.mulDiv(b.defenceDays, 24 * Self.hour, max(b.herdingHalfLife, 1))
            let projected = Fixed.scale(Fixed.scale(recent, by: days), by: 69_314_718)
            let gap = projected + queue - liquidValue(p) - incomingValue(p, within: .max)
            if gap > 0 { raiseLiquidity(p, needed: gap, emit: emit) }
        }
        // Suspension: liquidity (the queue beyond what it holds, can raise within the horizon
        // and draw) or solvency (insolvent at market while depositors run).
        let available = liquidValue(p) + incomingValue(p, within: state.parameters.haltHorizon) + availableCredit(p)
        let illiquid = queue - available > Fixed.scale(claims, by: state.parameters.haltTolerance)
        let insolvent = running && equity(p) < -Fixed.scale(claims, by: b.insolvencyMargin)
        guard illiquid || insolvent else {
            if state.agents[p].stressSince != nil { self[agent: p].stressSince = nil }
            return
        }
        if state.agents[p].stressSince == nil { self[agent: p].stressSince = state.time }
        if state.time - state.agents[p].stressSince! >= b.decisionLag { halt(p, pending: queue, emit: emit) }
    }

    /// Credit the platform can still draw now: its undated line, and its dated lines that exist
    /// and whose provider has not failed.
    package func availableCredit(_ p: Int) -> Int64 {
        let a = state.agents[p]
        let linesDrawn = a.creditLines.reduce(Int64(0)) { $0 + $1.drawn }
        var room = max(0, a.creditLimit - (a.creditDrawn - linesDrawn))
        for k in a.creditLines.indices where creditLineOpen(p, k) { room += max(0, a.creditLines[k].amount - a.creditLines[k].drawn) }
        return room
    }

    func creditLineOpen(_ p: Int, _ k: Int) -> Bool {
        let line = state.agents[p].creditLines[k]
        guard line.from <= state.time else { return false }
        if let provider = line.provider?.index, failed(provider) { return false }
        return true
    }
}
