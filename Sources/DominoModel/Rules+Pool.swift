/// Rules of over-collateralised pools.
extension Model {
    /// Liquidates every position of every pool whose collateral is `asset` and whose health
    /// factor is below 1, taking them from the liquidation index (O(1) per liquidation).
    /// Within a pool and a debt asset they go in `LiquidationIndex.Entry.before` order —
    /// the most underwater first, ties by position — and the price ratio is read again after
    /// each (a forced sale can lower it); a pool whose positions borrow several debt assets
    /// against `asset` takes them in debt-asset order, again until none is left.
    /// An owned position is first defended: its owner repays debt from its liquid holdings to
    /// bring the health factor back to 1.25 when it can.
    mutating func liquidatePools(asset: Int, emit: (Outcome) -> Void) {
        for p in state.pools.indices {
            let n = state.pools[p].assetCount
            var pairs = 0, indexed = 0, anyDue = false
            for d in 0..<n {
                guard let s = state.pools[p].slot(collateral: asset, debt: d) else { continue }
                pairs += 1
                indexed += state.pools[p].index[s].count
                // At threshold 1 (no dynamic collateral) nothing is due unless the top key is.
                if state.pools[p].index[s].hasAbove(Self.dueBound(state.market.price(asset), state.market.price(d), .one)) { anyDue = true }
            }
            guard indexed > 0 else { continue }
            let poolAgent = state.pools[p].agent
            // (The breaker is consulted on every tick of an asset the pool indexes: it may start
            // a pause.)
            if state.agents[poolAgent].policy.circuitBreaker != nil, paused(by: poolAgent.index, asset: asset) { continue }
            var threshold = Ratio.one // health 1, possibly raised by dynamic collateral
            if let dynamic = state.agents[poolAgent].policy.dynamicCollateral {
                let vol = state.market.volatility(asset, within: dynamic.window, at: state.time)
                threshold = .one + dynamic.k.scaled(by: vol)
            }
            // A raised threshold makes more positions due than the quick test above looks for.
            guard anyDue || threshold > .one else { continue }
            var again = true
            while again {
                again = false
                for d in 0..<n {
                    guard let s = state.pools[p].slot(collateral: asset, debt: d) else { continue }
                    if liquidateDue(pool: p, slot: s, collateral: asset, debt: d, threshold: threshold, emit: emit) > 0 && pairs > 1 {
                        again = true
                    }
                }
            }
        }
    }

    /// The largest key that is not due: a position is liquidated when its key × threshold >
    /// (collateral price / debt price) × 10^8, that is when key > this bound.
    @inline(__always)
    static func dueBound(_ collateralPrice: Price, _ debtPrice: Price, _ threshold: Ratio) -> Int64 {
        guard threshold > .zero else { return .max } // key × threshold ≤ 0: never due
        let ratio = Fixed.mulDiv(collateralPrice.raw, Fixed.one, max(1, debtPrice.raw))
        if threshold == .one { return ratio } // ratio × 10^8 / 10^8: no 128-bit division on every tick
        let bound = Int128(ratio) * Int128(Fixed.one) / Int128(threshold.raw)
        return bound >= Int128(Int64.max) ? .max : Int64(bound)
    }

    /// Liquidates the due positions of one (collateral, debt) pair of pool `p`, in order;
    /// returns how many it liquidated (or defended).
    mutating func liquidateDue(pool p: Int, slot s: Int, collateral c: Int, debt d: Int, threshold: Ratio,
                               emit: (Outcome) -> Void) -> Int {
        var due = DueEntries()
        swap(&due, &dueScratch) // reuse the buffers
        var fresh: [LiquidationIndex.Entry] = []
        swap(&fresh, &freshScratch)
        defer { due.clear(); swap(&due, &dueScratch); swap(&fresh, &freshScratch) }
        var prices = (collateral: Price(-1), debt: Price(-1)), bound = Int64.max
        var handled = 0
        while true {
            let pc = state.market.price(c), pd = state.market.price(d)
            if pc != prices.collateral || pd != prices.debt {
                prices = (pc, pd)
                bound = Self.dueBound(pc, pd, threshold)
            }
            if state.pools[p].index[s].hasAbove(bound) {
                fresh.removeAll(keepingCapacity: true)
                extractDue(pool: p, slot: s, above: bound, into: &fresh) // in `before` order
                // Stale entries go now: only the position being liquidated changes below, and
                // it is re-indexed with a new version. (The positions are read in one pass, so
                // their cache misses overlap.) A batch found with nothing pending is read in
                // the order it came in; anything found later joins the heap.
                var live = 0
                state.pools[p].positions.withUnsafeBufferPointer { positions in
                    fresh.withUnsafeMutableBufferPointer { entries in
                        for k in entries.indices {
                            let e = entries[k]
                            let position = positions[Int(e.position)]
                            if position.version == e.version && position.debt > .zero { entries[live] = e; live += 1 }
                        }
                    }
                }
                fresh.removeLast(fresh.count - live)
                if due.isEmpty {
                    due.takeRun(&fresh)
                } else {
                    for e in fresh { due.push(e) }
                }
            }
            guard let e = due.pop() else { break }
            liquidate(pool: p, position: Int(e.position), threshold: threshold, emit: emit)
            handled += 1
        }
        return handled
    }

    mutating func liquidate(pool p: Int, position i: Int, threshold: Ratio, emit: (Outcome) -> Void) {
        var position = state.pools[p].positions[i]
        // The pool's terms only: a copy of the whole pool would share its position and index
        // buffers, so every write below would copy them (O(positions) per liquidation).
        let pool = (agent: state.pools[p].agent, threshold: state.pools[p].threshold, bonus: state.pools[p].bonus,
                    closeFactor: state.pools[p].closeFactor)
        let pc = state.market.price(position.collateralAsset), pd = max(Price(1), state.market.price(position.debtAsset))
        if let owner = position.owner, !state.agents[owner].hasDefaulted {
            // Defend: repay debt down to health 1.25 × threshold from liquid debt-asset holdings.
            let target = threshold.scaled(by: Ratio(125_000_000))
            let collateralValue = Int128(position.collateral.raw) * Int128(pc.raw) * Int128(pool.threshold.raw) / Int128(Fixed.one)
            let maxDebtValue = collateralValue * Int128(Fixed.one) / Int128(target.raw) // USD × 10^8 × 10^8
            let maxDebt = Quantity(Int64(maxDebtValue / Int128(pd.raw)))
            let repay = min(state.agents[owner].liquid[position.debtAsset], max(.zero, position.debt - maxDebt))
            if repay > .zero {
                self[agent: owner].liquid[position.debtAsset] -= repay
                self[agent: pool.agent].liquid[position.debtAsset] += repay
                position.debt -= repay
                update(pool: p, position: i, to: position, reindex: false)
                if state.pools[p].health(position, collateralPrice: pc, debtPrice: pd) >= threshold {
                    reindex(pool: p, position: i)
                    return
                }
            }
        }
        var repay = position.debt.scaled(by: pool.closeFactor)
        var seize = (repay * pd).scaled(by: pool.bonus) / max(Price(1), pc)
        if seize > position.collateral {
            seize = position.collateral
            repay = (seize * pc) / pd.scaled(by: pool.bonus)
        }
        if position.collateral > .zero && repay == .zero { repay = min(Quantity(1), position.debt) }
        position.debt -= min(repay, position.debt)
        position.collateral -= seize
        if position.collateral == .zero { position.debt = .zero } // nothing left to liquidate: bad debt
        update(pool: p, position: i, to: position, reindex: true)
        state.outside[position.debtAsset] -= repay
        self[agent: pool.agent].liquid[position.debtAsset] += repay
        let usd = forcedSale(asset: position.collateralAsset.index, quantity: seize)
        state.liquidationVolume += usd
        state.liquidations += 1
        emit(Outcome(time: state.time, kind: .liquidation, party: .agent(position.owner ?? pool.agent), counterparty: .agent(pool.agent),
                     asset: position.collateralAsset, quantity: seize, usd: usd))
    }
}
