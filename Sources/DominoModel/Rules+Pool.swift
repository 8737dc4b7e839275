/// Rules of over-collateralised pools.
extension Model {
    /// Liquidates every position of every pool whose collateral is `asset` and whose health
    /// factor is below 1, popping them from the liquidation-price index (O(k log n)).
    /// An owned position is first defended: its owner repays debt from its liquid holdings to
    /// bring the health factor back to 1.25 when it can.
    mutating func liquidatePools(asset: Int, emit: (Outcome) -> Void) {
        for p in state.pools.indices {
            guard state.pools[p].index[asset].count > 0 else { continue }
            let poolAgent = state.pools[p].agent
            if state.agents[poolAgent].policy.circuitBreaker != nil, paused(by: poolAgent, asset: asset) { continue }
            var threshold = Fixed.one // health 1, possibly raised by dynamic collateral
            if let dynamic = state.agents[poolAgent].policy.dynamicCollateral {
                let vol = state.market.volatility(asset, within: dynamic.window, at: state.time)
                threshold = Fixed.one + Fixed.scale(dynamic.k, by: vol)
            }
            // The next top's position as read before the liquidation of the current one (below).
            var early: (entry: LiquidationHeap.Entry, version: UInt32, debt: Int64, debtAsset: Int)? = nil
            while let top = state.pools[p].index[asset].top {
                let i = Int(top.position)
                // The top entry's position, read at a random place in a large array (a cache miss
                // on most ticks) unless this same entry was found live since the last change.
                let debtAsset: Int
                if let known = knownLiveTop(pool: p, asset: asset, top) {
                    debtAsset = known
                } else {
                    let version: UInt32, debt: Int64, positionDebtAsset: Int
                    if let e = early, e.entry == top {
                        (version, debt, positionDebtAsset) = (e.version, e.debt, e.debtAsset)
                    } else {
                        let position = state.pools[p].positions[i]
                        (version, debt, positionDebtAsset) = (position.version, position.debt, position.debtAsset)
                    }
                    if top.version != version || debt == 0 {
                        state.pools[p].index[asset].pop()
                        early = nil
                        continue
                    }
                    debtAsset = positionDebtAsset
                    rememberLiveTop(pool: p, asset: asset, top, debtAsset: debtAsset)
                }
                let pc = state.market.price(asset), pd = max(1, state.market.price(debtAsset))
                // Key is the liquidation price in debt units; compare with the price ratio.
                let ratio = Fixed.mulDiv(pc, Fixed.one, pd)
                guard Int128(top.key) * Int128(threshold) > Int128(ratio) * Int128(Fixed.one) else { break }
                state.pools[p].index[asset].pop()
                // Read the next top's position now, before liquidating this one: its cache miss
                // then overlaps the liquidation instead of stalling the next turn. A liquidation
                // changes only position i, so if the same entry is still on top next turn, what
                // was read here is still its state.
                early = nil
                if let next = state.pools[p].index[asset].top, Int(next.position) != i {
                    let position = state.pools[p].positions[Int(next.position)]
                    early = (next, position.version, position.debt, position.debtAsset)
                }
                liquidate(pool: p, position: i, threshold: threshold, emit: emit)
            }
        }
    }

    mutating func liquidate(pool p: Int, position i: Int, threshold: Int64, emit: (Outcome) -> Void) {
        var position = state.pools[p].positions[i]
        // The pool's terms only: a copy of the whole pool would share its position and index
        // buffers, so every write below would copy them (O(positions) per liquidation).
        let pool = (agent: state.pools[p].agent, threshold: state.pools[p].threshold, bonus: state.pools[p].bonus,
                    closeFactor: state.pools[p].closeFactor)
        // What changes below: the position, and the balance sheets of the pool and of the
        // position's owner (loans do not; prices may, and bounds account for that).
        forgetLiveTop(pool: p, position: i)
        forgetSolvency(of: pool.agent)
        if let owner = position.owner { forgetSolvency(of: owner) }
        let pc = state.market.price(position.collateralAsset), pd = max(1, state.market.price(position.debtAsset))
        if let owner = position.owner, !state.agents[owner].hasDefaulted {
            // Defend: repay debt down to health 1.25 × threshold from liquid debt-asset holdings.
            let target = Fixed.scale(threshold, by: 125_000_000)
            let collateralValue = Int128(position.collateral) * Int128(pc) * Int128(pool.threshold) / Int128(Fixed.one)
            let maxDebtValue = collateralValue * Int128(Fixed.one) / Int128(target) // USD × 10^8 × 10^8
            let maxDebt = Int64(maxDebtValue / Int128(pd))
            let repay = min(state.agents[owner].liquid[position.debtAsset], max(0, position.debt - maxDebt))
            if repay > 0 {
                state.agents[owner].liquid[position.debtAsset] -= repay
                state.agents[pool.agent].liquid[position.debtAsset] += repay
                position.debt -= repay
                state.pools[p].positions[i] = position
                if state.pools[p].health(position, collateralPrice: pc, debtPrice: pd) >= threshold {
                    state.pools[p].reindex(i)
                    return
                }
            }
        }
        var repay = Fixed.scale(position.debt, by: pool.closeFactor)
        var seize = Fixed.mulDiv(Fixed.scale(Fixed.value(repay, at: pd), by: pool.bonus), Fixed.one, max(1, pc))
        if seize > position.collateral {
            seize = position.collateral
            repay = Fixed.mulDiv(Fixed.value(seize, at: pc), Fixed.one, Fixed.scale(pd, by: pool.bonus))
        }
        if position.collateral > 0 && repay == 0 { repay = min(1, position.debt) }
        position.debt -= min(repay, position.debt)
        position.collateral -= seize
        if position.collateral == 0 { position.debt = 0 } // nothing left to liquidate: bad debt
        state.pools[p].positions[i] = position
        state.outside[position.debtAsset] -= repay
        state.agents[pool.agent].liquid[position.debtAsset] += repay
        let usd = forcedSale(asset: position.collateralAsset, quantity: seize)
        state.liquidationVolume += usd
        state.liquidations += 1
        emit(Outcome(time: state.time, kind: .liquidation, party: position.owner ?? pool.agent, counterparty: pool.agent,
                     asset: position.collateralAsset, amount: seize, aux: usd))
        state.pools[p].reindex(i)
    }
}
