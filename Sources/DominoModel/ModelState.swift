/// The whole state of a run: a value, so a checkpoint is an encoding of it and the state hash a
/// digest of that encoding.
package struct ModelState: Codable, Equatable, Sendable {
    package var time: Int64
    package var parameters: Parameters
    package var market: Market
    // Balance sheets, depositors, loans and pool positions: changed only through the mutators
    // below, which forget the check bounds a change can invalidate (`Model+Bounds.swift`).
    package fileprivate(set) var agents: [Agent]
    package fileprivate(set) var cohorts: [Cohort]
    package fileprivate(set) var loans: [Loan]
    package fileprivate(set) var pools: [Pool]
    package var schedule = Schedule()
    /// One random stream per agent, derived from (seed, agent index).
    package var random: [SeededRandom]
    /// Tokens that left the model (+) or entered it (−), per asset: with the holdings, the
    /// conserved total.
    package var outside: [Quantity]
    /// The asset cash proceeds are held in (e.g. USDC).
    package var cashAsset: AssetID
    /// Input events applied so far (the sequence number of the next one).
    package var inputs: UInt64 = 0
    /// Cursors into the reference trace (counterfactual runs).
    package var observationCursor = 0
    package var saleCursor = 0
    /// The baseline's forced sales (USD) at the input being applied, per asset, not yet matched
    /// by this run's own.
    package var saleBudget: [USD] = []
    /// Rules act only once every asset has a price and the book is valued (`Model.settle`).
    package var settled = false
    /// Totals for the headline figures.
    package var liquidationVolume: USD = .zero
    package var liquidations: Int64 = 0
    /// The run's seed (the behavioural rule draws counter-based from (seed, cohort, hour)).
    package var seed: UInt64 = 0
    /// Dated public information, in time order, and how many have been seen.
    package var signals: [Signal] = []
    package var signalCursor = 0
    /// Prices when the run settled: depositors judge a platform's book against them.
    package var startPrices: [Price] = []

    package init(time: Int64, parameters: Parameters, market: Market, agents: [Agent], cohorts: [Cohort],
                loans: [Loan], pools: [Pool], cashAsset: AssetID, seed: UInt64) {
        self.time = time
        self.parameters = parameters
        self.market = market
        self.agents = agents
        self.cohorts = cohorts
        for c in cohorts { for a in c.claims.indices { self.agents[c.platform].claims[a] += c.claims[a] } }
        self.loans = loans
        self.pools = pools
        self.cashAsset = cashAsset
        self.seed = seed
        random = agents.indices.map { SeededRandom(seed: seed, stream: UInt64($0)) }
        outside = [Quantity](repeating: .zero, count: market.assets.count)
    }

    package var assetCount: Int { market.assets.count }
}

/// The only ways to change a balance sheet, a depositor cohort, a loan or a pool position
/// (the arrays are `fileprivate(set)` in `ModelState`). Each forgets the check bounds the change
/// can invalidate (`Model+Bounds.swift`), so a rule cannot change what a skipped check would see
/// and keep the skip:
/// - agent `i`'s equity depends only on its own record, the loans it is a party to and the
///   pool positions it owns (`forEachHolding`), so a change to any of them forgets the
///   solvency bounds of exactly those agents;
/// - a loan's margin check depends on the loan, on its parties' default and on the lender's
///   policy, which is fixed at set-up (`requirement`): a change to the loan forgets its margin
///   bound, and a check of a defaulted party's loan returns at once, bound or not.
extension Model {
    /// Agent `i`, for any change: forgets its solvency bound.
    subscript(agent i: Int) -> Agent {
        _read { yield state.agents[i] }
        _modify {
            forgetSolvency(of: i)
            yield &state.agents[i]
        }
    }

    /// Agent `id`, for any change: forgets its solvency bound.
    subscript(agent id: AgentID) -> Agent {
        _read { yield state.agents[id.index] }
        _modify {
            forgetSolvency(of: id.index)
            yield &state.agents[id.index]
        }
    }

    /// Loan `l`, for any change: forgets its margin bound and its parties' solvency bounds.
    subscript(loan l: Int) -> Loan {
        _read { yield state.loans[l] }
        _modify {
            forgetLoan(l)
            forgetSolvency(of: state.loans[l].lender.index)
            forgetSolvency(of: state.loans[l].borrower.index)
            yield &state.loans[l]
        }
    }

    /// Cohort `c` (its claims are liabilities of its platform): forgets the platform's solvency
    /// bound.
    subscript(cohort c: Int) -> Cohort {
        _read { yield state.cohorts[c] }
        _modify {
            forgetSolvency(of: state.cohorts[c].platform.index)
            yield &state.cohorts[c]
        }
    }

    /// Opens a new loan (its index is `state.loans.count` before the call).
    mutating func open(_ loan: Loan) {
        forgetSolvency(of: loan.lender.index)
        forgetSolvency(of: loan.borrower.index)
        state.loans.append(loan)
    }

    /// Replaces position `i` of pool `p` and, when `reindex`, files it again in the pool's
    /// liquidation index: forgets the solvency bounds of the pool and of the owner.
    mutating func update(pool p: Int, position i: Int, to position: Pool.Position, reindex: Bool) {
        forgetSolvency(of: state.pools[p].agent.index)
        let old = state.pools[p].positions[i]
        if let owner = old.owner { forgetSolvency(of: owner.index) }
        if let owner = position.owner, owner != old.owner { forgetSolvency(of: owner.index) }
        ledgerPoolCollateral(old.collateralAsset.index, -old.collateral)
        ledgerPoolCollateral(position.collateralAsset.index, position.collateral)
        state.pools[p].positions[i] = position
        if reindex { state.pools[p].reindex(i) }
    }

    /// Files position `i` of pool `p` again in its liquidation index (the position is unchanged).
    mutating func reindex(pool p: Int, position i: Int) {
        state.pools[p].reindex(i)
    }

    /// Takes the index entries of pool `p`'s slot `s` above `bound` (no balance sheet changes:
    /// the positions stay as they are).
    mutating func extractDue(pool p: Int, slot s: Int, above bound: Int64, into out: inout [LiquidationIndex.Entry]) {
        state.pools[p].index[s].extract(above: bound, into: &out)
    }

    /// Set-up: adds a generated position to pool `p` (the replay does it before `settle`).
    package mutating func addPoolPosition(_ position: Pool.Position, toPool p: Int) {
        forgetSolvency(of: state.pools[p].agent.index)
        if let owner = position.owner { forgetSolvency(of: owner.index) }
        ledgerPoolCollateral(position.collateralAsset.index, position.collateral, created: true)
        state.pools[p].add(position)
    }
}
