/// Skipping checks a price tick cannot change.
///
/// After every price tick the model checks every agent for insolvency (equity < 0) and every
/// open loan touched by the asset for a margin call (collateral ratio < requirement). Both are
/// sums of `Fixed.value(quantity, at: price)` terms whose quantities do not change while
/// nothing but prices moves. When a check finds nothing, `CheckBounds` keeps what it computed:
/// the value, the number of terms, and per asset the total quantity valued at that asset's
/// price. Each term rounds by less than one unit, so after prices move
///
///     |value(p) − value(p₀)| ≤ Σₐ quantityₐ × |pₐ − p₀ₐ| / 10⁸ + terms
///
/// and |pₐ − p₀ₐ| is at most the path the price travelled since (the sum of its observed
/// moves). Every observed move of asset a by δ adds quantityₐ × δ to each bound's `used`
/// movement; a check is skipped while even the worst case (the whole `used` against it) cannot
/// cross its threshold. A skipped check is therefore one that would have found nothing and
/// changed nothing (both checks are pure until they act). Otherwise it runs exactly as before.
///
/// Only prices may move under a bound. Anything else that can change a balance sheet or a
/// loan goes through the mutators (`ModelState.swift`: the state's agents, cohorts, loans and
/// pools cannot be written otherwise), and each forgets the bounds of what it changes: an
/// agent's solvency bound when its record, a loan it is party to or a pool position it owns
/// changes; a loan's margin bound when the loan changes. Bounds are recorded only by the checks
/// after a price tick. An internal-checks build (`Model+Invariants.swift`) asserts at every
/// skip that the check would indeed have found nothing.
///
/// Off unless `Model.incrementalChecks` is set (the replay and the bench set it). Not part of the state: never encoded, hashed or compared.
///
/// The tables hold the raw fixed-point integers of amounts (`Amount.raw`: quantities, prices,
/// ratios × 10⁸) and their products in `Int128`: a bound is arithmetic on magnitudes, taken
/// from the typed state where a check records it.
struct CheckBounds: Sendable {
    var epoch: UInt64 = 1
    var assets = 0
    /// Prices when moves were last observed.
    var lastPrices: [Int64] = []
    init() {}
    init(epoch: UInt64, assets: Int) { self.epoch = epoch; self.assets = assets }
    // Insolvency, per agent: epoch of the bound (0 = none); the movement it can absorb, (equity
    // − terms − 1) × 10⁸ (negative: none); the movement used since; per asset (agent × assets)
    // the total quantity valued at that asset's price.
    var agentEpoch: [UInt64] = []
    var agentBudget: [Int128] = []
    var agentUsed: [Int128] = []
    var agentQuantity: [Int64] = []
    // Margin, per loan: epoch; (collateral value − terms − 1) × 10⁸ and the collateral
    // movement used since; (owed + 2) × 10⁸ and the principal's movement since; the
    // requirement (static: loans of lenders with dynamic collateral are never bounded); the
    // loan's asset, principal and collateral (loan × assets), unchanged while the bound holds.
    var loanEpoch: [UInt64] = []
    var loanLow: [Int128] = []
    var loanLowUsed: [Int128] = []
    var loanHigh: [Int128] = []
    var loanHighUsed: [Int128] = []
    var loanRequired: [Int64] = []
    var loanAsset: [Int] = []
    var loanPrincipal: [Int64] = []
    var loanQuantity: [Int64] = []
    // Per asset, the agent and loan slots that have ever been bounded with a quantity valued at
    // that asset's price (a list per asset, `agentSlots`/`loanSlots` wide, and its length), so
    // a price move charges only the bounds it can affect. Entries stay when a bound goes; their
    // epoch no longer matches.
    var agentSlots = 0, loanSlots = 0
    var agentExposed: [Int32] = [], agentExposedCount: [Int] = [], agentListed: [Bool] = []
    var loanExposed: [Int32] = [], loanExposedCount: [Int] = [], loanListed: [Bool] = []

    /// `used` saturates here, where it means "moved too far to tell": beyond any budget (at most
    /// 2^63 × 10⁸ < 2^90), and far from Int128 overflow in the products below.
    /// (Computed, not a stored `static let`: a global Int128 is initialised lazily, and every
    /// read of it in the loops below went through `swift_once`.)
    @inline(__always) static var usedLimit: Int128 { Int128(1) << 91 }
}

extension Model {
    /// Sizes the bound tables for the current agents and loans (keeping what they hold).
    mutating func prepareBounds() {
        let n = state.assetCount
        if bounds.assets != n {
            bounds = CheckBounds(epoch: bounds.epoch + 1, assets: n)
            bounds.lastPrices = state.market.assets.map(\.price.raw)
        }
        func grow<T>(_ a: inout [T], _ fill: T, _ size: Int) { if a.count < size { a += [T](repeating: fill, count: size - a.count) } }
        let agents = state.agents.count
        if bounds.agentEpoch.count < agents {
            grow(&bounds.agentEpoch, 0, agents)
            grow(&bounds.agentBudget, 0, agents)
            grow(&bounds.agentUsed, 0, agents)
            grow(&bounds.agentQuantity, 0, agents * n)
        }
        if bounds.loanEpoch.count < state.loans.count {
            let loans = max(state.loans.count, 2 * bounds.loanEpoch.count)
            grow(&bounds.loanEpoch, 0, loans)
            grow(&bounds.loanLow, 0, loans)
            grow(&bounds.loanLowUsed, 0, loans)
            grow(&bounds.loanHigh, 0, loans)
            grow(&bounds.loanHighUsed, 0, loans)
            grow(&bounds.loanRequired, 0, loans)
            grow(&bounds.loanAsset, 0, loans)
            grow(&bounds.loanPrincipal, 0, loans)
            grow(&bounds.loanQuantity, 0, loans * n)
        }
        if bounds.agentSlots != bounds.agentEpoch.count {
            bounds.agentSlots = bounds.agentEpoch.count
            bounds.agentExposed = [Int32](repeating: 0, count: n * bounds.agentSlots)
            bounds.agentExposedCount = [Int](repeating: 0, count: n)
            bounds.agentListed = [Bool](repeating: false, count: n * bounds.agentSlots)
            for i in bounds.agentEpoch.indices { bounds.agentEpoch[i] = 0 } // listed nowhere: forget
        }
        if bounds.loanSlots != bounds.loanEpoch.count {
            bounds.loanSlots = bounds.loanEpoch.count
            bounds.loanExposed = [Int32](repeating: 0, count: n * bounds.loanSlots)
            bounds.loanExposedCount = [Int](repeating: 0, count: n)
            bounds.loanListed = [Bool](repeating: false, count: n * bounds.loanSlots)
            for l in bounds.loanEpoch.indices { bounds.loanEpoch[l] = 0 }
        }
        // No agents or no loans (a spec without loans): the lists have no slots, but a price
        // move still reads their (empty) length per asset.
        if bounds.agentSlots == 0 && bounds.agentExposedCount.count != n { bounds.agentExposedCount = [Int](repeating: 0, count: n) }
        if bounds.loanSlots == 0 && bounds.loanExposedCount.count != n { bounds.loanExposedCount = [Int](repeating: 0, count: n) }
    }

    /// Lists agent `i` under `asset` (once).
    mutating func listAgent(_ i: Int, asset a: Int) {
        let k = i * bounds.assets + a
        guard !bounds.agentListed[k] else { return }
        bounds.agentListed[k] = true
        bounds.agentExposed[a * bounds.agentSlots + bounds.agentExposedCount[a]] = Int32(i)
        bounds.agentExposedCount[a] += 1
    }

    /// Lists loan `l` under `asset` (once).
    mutating func listLoan(_ l: Int, asset a: Int) {
        let k = l * bounds.assets + a
        guard !bounds.loanListed[k] else { return }
        bounds.loanListed[k] = true
        bounds.loanExposed[a * bounds.loanSlots + bounds.loanExposedCount[a]] = Int32(l)
        bounds.loanExposedCount[a] += 1
    }

    @inline(__always)
    static func use(_ used: inout Int128, _ quantity: Int64, _ move: UInt64) {
        guard quantity != 0 else { return }
        // Both factors below 2^62: the product is below 2^124, the sum below 2^125 (`used` is
        // at most 2^91): no overflow (and it would trap).
        let q = quantity.magnitude
        if q >= UInt64(1) << 62 || move >= UInt64(1) << 62 { used = CheckBounds.usedLimit; return }
        let sum = used + Int128(q) * Int128(move)
        used = sum < CheckBounds.usedLimit ? sum : CheckBounds.usedLimit
    }

    /// Charges every bound with the price moves since the last observation: of `only` when
    /// that is the one asset whose price can have moved since (see `checksAfterTick`), else of
    /// every asset.
    mutating func observePrices(only: Int? = nil) {
        let n = bounds.assets
        guard n > 0 else { return }
        let agents = min(bounds.agentEpoch.count, state.agents.count), loans = min(bounds.loanEpoch.count, state.loans.count)
        for a in only.map({ $0..<$0 + 1 }) ?? 0..<n {
            let price = state.market.assets[a].price.raw
            let move = (price - bounds.lastPrices[a]).magnitude
            guard move != 0 else { continue }
            bounds.lastPrices[a] = price
            Self.charge(&bounds, asset: a, move: move, agents: agents, loans: loans)
        }
    }

    /// Adds quantity × `move` to the `used` movement of every current bound exposed to `asset`.
    /// Through buffers: one uniqueness check per table rather than one per entry, and no bounds
    /// checks in a loop that runs on every tick.
    static func charge(_ b: inout CheckBounds, asset a: Int, move: UInt64, agents: Int, loans: Int) {
        let n = b.assets, epoch = b.epoch
        let agentList = a * b.agentSlots, agentCount = b.agentExposedCount[a]
        b.agentEpoch.withUnsafeBufferPointer { valid in
            b.agentQuantity.withUnsafeBufferPointer { quantity in
                b.agentExposed.withUnsafeBufferPointer { list in
                    b.agentUsed.withUnsafeMutableBufferPointer { used in
                        for k in agentList..<agentList + agentCount {
                            let i = Int(list[k])
                            if valid[i] == epoch { use(&used[i], quantity[i * n + a], move) }
                        }
                    }
                }
            }
        }
        let loanList = a * b.loanSlots, loanCount = b.loanExposedCount[a]
        b.loanEpoch.withUnsafeBufferPointer { valid in
            b.loanExposed.withUnsafeBufferPointer { list in
                b.loanQuantity.withUnsafeBufferPointer { quantity in
                    b.loanLowUsed.withUnsafeMutableBufferPointer { used in
                        for k in loanList..<loanList + loanCount {
                            let l = Int(list[k])
                            if valid[l] == epoch { use(&used[l], quantity[l * n + a], move) }
                        }
                    }
                }
                b.loanAsset.withUnsafeBufferPointer { asset in
                    b.loanPrincipal.withUnsafeBufferPointer { principal in
                        b.loanHighUsed.withUnsafeMutableBufferPointer { used in
                            for k in loanList..<loanList + loanCount {
                                let l = Int(list[k])
                                if valid[l] == epoch && asset[l] == a { use(&used[l], principal[l], move) }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Insolvency

    /// True when agent `i`'s equity is certainly ≥ 0 at the current prices (moves observed):
    /// equity ≥ equity₀ − ⌈used / 10⁸⌉ − terms ≥ 0 when (equity₀ − terms − 1) × 10⁸ ≥ used.
    @inline(__always)
    func certainlySolvent(_ i: Int) -> Bool {
        i < bounds.agentEpoch.count && bounds.agentEpoch[i] == bounds.epoch && bounds.agentUsed[i] <= bounds.agentBudget[i]
    }

    /// Agent `i`'s balance sheet is about to change (other than by prices). Only the mutators
    /// (`ModelState.swift`) call it.
    @inline(__always)
    mutating func forgetSolvency(of i: Int) {
        // Read first: most calls find it forgotten already (a liquidation cascade changes one
        // pool over and over), and a read needs no uniqueness check of the array.
        if i < bounds.agentEpoch.count && bounds.agentEpoch[i] != 0 { bounds.agentEpoch[i] = 0 }
    }

    /// Loan `l` is about to change. Only the mutators (`ModelState.swift`) call it.
    @inline(__always)
    mutating func forgetLoan(_ l: Int) {
        if l < bounds.loanEpoch.count && bounds.loanEpoch[l] != 0 { bounds.loanEpoch[l] = 0 }
    }

    /// Records agent `i`'s equity `e`, just computed at the current prices.
    mutating func recordSolvency(_ i: Int, equity e: USD) {
        prepareBounds()
        observePrices()
        let n = state.assetCount
        for a in 0..<n { bounds.agentQuantity[i * n + a] = 0 }
        var terms: Int64 = 0
        var quantity = bounds.agentQuantity // swapped out and back: the walk reads `self`
        bounds.agentQuantity = []
        forEachHolding(of: i) { _, a, q in
            quantity[i * n + a] = Self.saturatingAdd(quantity[i * n + a], q.raw.magnitude)
            terms += 1
        }
        bounds.agentQuantity = quantity
        for a in 0..<n where bounds.agentQuantity[i * n + a] != 0 { listAgent(i, asset: a) }
        let margin = Int128(e.raw) - Int128(terms) - 1
        bounds.agentBudget[i] = margin < 0 ? -1 : margin * Int128(Fixed.one)
        bounds.agentUsed[i] = 0
        bounds.agentEpoch[i] = bounds.epoch
    }

    static func saturatingAdd(_ x: Int64, _ m: UInt64) -> Int64 {
        let (s, o) = x.addingReportingOverflow(Int64(clamping: m))
        return o ? .max : s
    }

    /// `checkInsolvency` after a price tick: skipped when the bound proves equity ≥ 0.
    mutating func checkInsolvencyAfterTick(_ i: Int, emit: (Outcome) -> Void) {
        guard incrementalChecks else { checkInsolvency(i, emit: emit); return }
        guard watchesSolvency(i) else { return }
        if certainlySolvent(i) { assertSkippedSolvency(i); return }
        let e = equity(i)
        guard e < .zero else { recordSolvency(i, equity: e); return }
        checkInsolvency(i, emit: emit)
    }

    // MARK: Margin

    /// True when loan `l`'s collateral ratio is certainly ≥ its (static) requirement. With
    /// collateral × 10⁸ ≥ low − lowUsed and owed × 10⁸ ≤ high + highUsed, the ratio (collateral
    /// × 10⁸ / owed, truncated; `.max` when nothing is owed) is ≥ required when
    /// (low − lowUsed) × 10⁸ ≥ required × (high + highUsed).
    @inline(__always)
    func certainlyCovered(_ l: Int) -> Bool {
        guard l < bounds.loanEpoch.count, bounds.loanEpoch[l] == bounds.epoch else { return false }
        let required = bounds.loanRequired[l]
        if required <= 0 { return true } // no collateral terms: never called
        // low ≤ 2^90 and used ≤ 2^91; high < 2^91, so high + used < 2^92; with required ≤ 2^34
        // (a requirement of at most 171×) every product below is under 2^127: no overflow.
        let low = bounds.loanLow[l] - bounds.loanLowUsed[l]
        guard low > 0, bounds.loanHighUsed[l] < CheckBounds.usedLimit, required <= Int64(1) << 34 else { return false }
        return low * Int128(Fixed.one) >= Int128(required) * (bounds.loanHigh[l] + bounds.loanHighUsed[l])
    }

    /// `checkMargin` after a price tick; records a bound when it found nothing.
    mutating func checkMarginAfterTick(loan l: Int, emit: (Outcome) -> Void) {
        guard incrementalChecks else { checkMargin(loan: l, emit: emit); return }
        guard !checkMargin(loan: l, emit: emit) else { return } // it acted
        // It found nothing: bound it if its requirement is static, and if the check looks at
        // the ratio at all (a loan under a call, or of a defaulted party, returns at once: no
        // bound would help, and recording one on every tick would cost more than the check).
        let lender = state.loans[l].lender, borrower = state.loans[l].borrower
        guard state.agents[lender].policy.dynamicCollateral == nil, state.loans[l].callDeadline == nil,
              !state.agents[lender].hasDefaulted, !state.agents[borrower].hasDefaulted else { return }
        prepareBounds()
        observePrices()
        let n = state.assetCount
        var terms: Int64 = 0
        for a in 0..<n {
            let q = state.loans[l].collateral[a].raw
            if q > 0 { terms += 1 }
            bounds.loanQuantity[l * n + a] = max(0, q) // valued only when > 0
        }
        let one = Int128(Fixed.one)
        bounds.loanAsset[l] = state.loans[l].asset.index
        bounds.loanPrincipal[l] = state.loans[l].principal.raw
        for a in 0..<n where bounds.loanQuantity[l * n + a] != 0 || a == state.loans[l].asset.index { listLoan(l, asset: a) }
        bounds.loanLow[l] = (Int128(collateralValue(l).raw) - Int128(terms) - 1) * one
        bounds.loanLowUsed[l] = 0
        bounds.loanHigh[l] = (Int128(state.market.value(state.loans[l].asset, state.loans[l].principal).raw) + 2) * one
        bounds.loanHighUsed[l] = 0
        bounds.loanRequired[l] = requirement(l).raw
        bounds.loanEpoch[l] = bounds.epoch
    }

    // MARK: The checks after a tick

    /// Margin checks on the open loans `asset` touches, then insolvency checks on every agent
    /// (as `afterPrice` did before bounds), skipping those the bounds settle.
    mutating func checksAfterTick(_ asset: Int, emit: (Outcome) -> Void) {
        // Without a reference run prices move only by their ticks (no impact overlay), and
        // every tick of a settled model is observed here: only `asset` can have moved.
        if incrementalChecks { observePrices(only: reference == nil ? asset : nil) }
        for l in state.loans.indices {
            if incrementalChecks && l < bounds.loanEpoch.count && bounds.loanEpoch[l] == bounds.epoch {
                // Bounded: the loan is open and its terms are those recorded.
                guard bounds.loanQuantity[l * bounds.assets + asset] > 0 || bounds.loanAsset[l] == asset else { continue }
                if certainlyCovered(l) { assertSkippedMargin(l); continue }
            }
            // Field by field rather than `isOpen` on the element, which copied the loan (a retain
            // and release of its collateral array for every loan on every tick).
            guard state.loans[l].state == .active || state.loans[l].state == .recalled else { continue }
            guard state.loans[l].collateral[asset] > .zero || state.loans[l].asset.index == asset else { continue }
            checkMarginAfterTick(loan: l, emit: emit)
        }
        for i in state.agents.indices { checkInsolvencyAfterTick(i, emit: emit) }
    }
}

// MARK: The representable range

extension Model {
    /// Where the state holds a value outside the representable range (a holding, claim or
    /// position worth more than Int64 USD units at current prices, or a balance sheet whose sum
    /// is): the first party in model order and the asset that weighs most there; nil if none.
    /// The replay engine asks after `Fixed` recorded a fault, to name it.
    package func overflowSite() -> (party: String, asset: Int)? {
        let limit = Int128(Int64.max)
        func value(_ a: Int, _ q: Quantity) -> Int128 { Int128(q.raw.magnitude) * Int128(state.market.price(a).raw) / Int128(Fixed.one) }
        func value(_ a: AssetID, _ q: Quantity) -> Int128 { value(a.index, q) }
        for i in state.agents.indices {
            var total: Int128 = 0, top = (value: Int128(-1), asset: 0)
            var site: Int? = nil
            forEachHolding(of: i) { _, a, q in
                let v = value(a, q)
                total += v
                if v > top.value { top = (v, a) }
                if v > limit && site == nil { site = a }
            }
            if let site { return (state.agents[i].name, site) }
            if total > limit { return (state.agents[i].name, top.asset) }
        }
        for c in state.cohorts.indices {
            var total: Int128 = 0, top = (value: Int128(-1), asset: 0)
            for a in 0..<state.assetCount {
                let v = value(a, state.cohorts[c].claims[a])
                total += v
                if v > top.value { top = (v, a) }
            }
            if total > limit { return (state.cohorts[c].name, top.asset) }
        }
        for p in state.pools.indices {
            for x in state.pools[p].positions where value(x.collateralAsset, x.collateral) > limit || value(x.debtAsset, x.debt) > limit {
                let a = (value(x.collateralAsset, x.collateral) > limit ? x.collateralAsset : x.debtAsset).index
                return ("a position in pool \(state.agents[state.pools[p].agent].name)", a)
            }
        }
        return nil
    }
}
