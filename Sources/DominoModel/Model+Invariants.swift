/// What must hold after every input, and what a skipped check must not have missed.
///
/// Built in always (tests call it); asserted only in an internal-checks build, compiled with
/// `-Xswiftc -DDOMINO_INTERNAL_CHECKS` (`scripts/internal-checks.sh` replays every episode ×
/// policy set that way). There, after every input and at the end of a run, the model stops with
/// `domino: internal check: …` on the first violation of:
/// - conservation: per asset, liquid holdings + deployments + unwinds on their way + loan
///   collateral + pool collateral + what left the model (`outside`) stays what it was at the
///   start (only the set-up of generated pool positions adds tokens);
/// - claims: each agent's claims per asset are the sum of its cohorts' claims, and what a cohort
///   has queued for withdrawal never exceeds its claims;
/// - no negative holdings, claims, principal or collateral; a closed loan holds no principal or
///   collateral;
/// - at every skipped check (`Model+Bounds.swift`): an insolvency check skipped means equity ≥
///   0, a margin check skipped means the ratio is ≥ the requirement (when the check would have
///   looked at the ratio).
extension Model {
    /// The conserved totals per asset, kept beside a run (not state: never encoded or hashed).
    /// Pool collateral is summed by the pool mutators rather than walked after each input (a
    /// pool can hold many thousands of positions); `invariantViolations(recount: true)` walks it.
    package struct InvariantLedger: Sendable {
        package var totals: [Int128]
        package var poolCollateral: [Int128]
    }

    /// Starts keeping the ledger from the current state (the internal-checks build does it in
    /// `init`).
    package mutating func startInvariantLedger() {
        let pools = poolCollateral()
        var totals = pools
        let held = heldOutsidePools()
        for a in totals.indices { totals[a] += held[a] }
        ledger = InvariantLedger(totals: totals, poolCollateral: pools)
    }

    /// Collateral of pool position changes: the pool mutators call it (`created` for the
    /// tokens a generated position brings into the model).
    @inline(__always)
    mutating func ledgerPoolCollateral(_ asset: Int, _ change: Quantity, created: Bool = false) {
        guard ledger != nil else { return }
        ledger!.poolCollateral[asset] += Int128(change.raw)
        if created { ledger!.totals[asset] += Int128(change.raw) }
    }

    func poolCollateral() -> [Int128] {
        var totals = [Int128](repeating: 0, count: state.assetCount)
        for pool in state.pools { for p in pool.positions { totals[p.collateralAsset.index] += Int128(p.collateral.raw) } }
        return totals
    }

    /// `conservedTotals` less the pool collateral.
    func heldOutsidePools() -> [Int128] {
        var totals = [Int128](repeating: 0, count: state.assetCount)
        for a in 0..<state.assetCount { totals[a] = Int128(state.outside[a].raw) }
        for agent in state.agents {
            for a in 0..<state.assetCount { totals[a] += Int128(agent.liquid[a].raw) }
            for d in agent.deployments { totals[d.asset.index] += Int128(d.quantity.raw) }
            for item in agent.incoming where item.source.deployment != nil { totals[item.asset.index] += Int128(item.quantity.raw) }
        }
        for loan in state.loans { for a in 0..<state.assetCount { totals[a] += Int128(loan.collateral[a].raw) } }
        return totals
    }

    /// Every invariant that does not hold now, one line each (empty when all hold). `recount`
    /// also walks every pool position (else the ledger's running pool totals are used).
    package func invariantViolations(recount: Bool = false) -> [String] {
        var found: [String] = []
        let n = state.assetCount
        if let ledger {
            let held = heldOutsidePools()
            let pools = recount ? poolCollateral() : ledger.poolCollateral
            for a in 0..<n where held[a] + pools[a] != ledger.totals[a] {
                found.append("asset \(a): \(held[a] + pools[a]) tokens in and out of the model, \(ledger.totals[a]) at the start")
            }
            if recount && pools != ledger.poolCollateral {
                found.append("pool collateral \(pools) but the pool mutators counted \(ledger.poolCollateral)")
            }
        }
        var claims = [Quantity](repeating: .zero, count: state.agents.count * n)
        for (c, cohort) in state.cohorts.enumerated() {
            var queued = [Quantity](repeating: .zero, count: n)
            for w in state.agents[cohort.platform].queue where w.cohort.index == c { queued[w.asset] += w.quantity }
            for a in 0..<n {
                claims[cohort.platform.index * n + a] += cohort.claims[a]
                if cohort.claims[a] < .zero { found.append("cohort \(c): claims \(cohort.claims[a]) of asset \(a)") }
                if queued[a] > cohort.claims[a] { found.append("cohort \(c): \(queued[a]) of asset \(a) queued, claims \(cohort.claims[a])") }
            }
        }
        for (i, agent) in state.agents.enumerated() {
            for a in 0..<n {
                if agent.claims[a] != claims[i * n + a] {
                    found.append("agent \(i): claims \(agent.claims[a]) of asset \(a), its cohorts' \(claims[i * n + a])")
                }
                if agent.liquid[a] < .zero { found.append("agent \(i): liquid \(agent.liquid[a]) of asset \(a)") }
            }
            for (d, dep) in agent.deployments.enumerated() where dep.quantity < .zero {
                found.append("agent \(i): deployment \(d) of \(dep.quantity)")
            }
        }
        for (l, loan) in state.loans.enumerated() {
            if loan.principal < .zero { found.append("loan \(l): principal \(loan.principal)") }
            if loan.collateral.contains(where: { $0 < .zero }) { found.append("loan \(l): collateral \(loan.collateral)") }
            if !loan.isOpen && (loan.principal != .zero || loan.collateral.contains(where: { $0 != .zero })) {
                found.append("loan \(l): \(loan.state.rawValue) with principal \(loan.principal), collateral \(loan.collateral)")
            }
        }
        return found
    }

    /// What a skipped insolvency check of agent `i` missed, if anything.
    package func skippedSolvencyViolation(_ i: Int) -> String? {
        let e = equity(i)
        return e < .zero ? "agent \(i): insolvency check skipped at equity \(e)" : nil
    }

    /// What a skipped margin check of loan `l` missed, if anything: the ratio below the
    /// requirement where `checkMargin` would have looked at it.
    package func skippedMarginViolation(_ l: Int) -> String? {
        let loan = state.loans[l]
        guard loan.isOpen, loan.callDeadline == nil, !state.agents[loan.lender].hasDefaulted,
              !state.agents[loan.borrower].hasDefaulted else { return nil }
        let required = requirement(l), ratio = collateralRatio(l)
        return required > .zero && ratio < required ? "loan \(l): margin check skipped at ratio \(ratio) < \(required)" : nil
    }

    // MARK: The assertions of the internal-checks build (no code otherwise)

    @inline(__always)
    func assertSkippedSolvency(_ i: Int) {
        #if DOMINO_INTERNAL_CHECKS
        if let v = skippedSolvencyViolation(i) { Self.internalCheckFailed([v], at: state) }
        #endif
    }

    @inline(__always)
    func assertSkippedMargin(_ l: Int) {
        #if DOMINO_INTERNAL_CHECKS
        if let v = skippedMarginViolation(l) { Self.internalCheckFailed([v], at: state) }
        #endif
    }

    @inline(__always)
    func assertInvariants(recount: Bool = false) {
        #if DOMINO_INTERNAL_CHECKS
        let found = invariantViolations(recount: recount)
        if !found.isEmpty { Self.internalCheckFailed(found, at: state) }
        #endif
    }

    #if DOMINO_INTERNAL_CHECKS
    static func internalCheckFailed(_ found: [String], at state: ModelState) -> Never {
        fatalError("domino: internal check: after input \(state.inputs) at time \(state.time): " + found.joined(separator: "; "))
    }
    #endif
}
