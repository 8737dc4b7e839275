/// Metrics sampled during a run.
package struct EntityMetrics: Equatable, Sendable, Codable {
    package var time: Int64
    package var entity: Int
    package var assets: USD
    package var liabilities: USD
    package var liquid: USD
    package var equity: USD
    /// Liquid reserves over unpaid withdrawals × 10^8 (Int64.max when nothing is pending).
    package var coverage: Ratio
    package var loansOutstanding: USD
    package var reuseMultiplier: Ratio
    /// Equity with its claims on others marked to what they could pay now (`Distress.swift`).
    package var markedEquity: USD = .zero
    /// Share of its uncovered liabilities it could pay now (× 10^8; `Distress.swift`).
    package var payment: Ratio = .one
}

package struct PriceMetrics: Equatable, Sendable, Codable {
    package var time: Int64
    package var asset: Int
    package var price: Price
}

extension Model {
    /// Every agent's metrics now, marked with `marks` (this state's clearing; computed when nil).
    package func entityMetrics(marks: Distress? = nil) -> [EntityMetrics] {
        let marks = marks ?? distress()
        return state.agents.indices.map { i in
            let sheet = balanceSheet(i)
            let pending = queueValue(i)
            return EntityMetrics(time: state.time, entity: i, assets: sheet.assets, liabilities: sheet.liabilities,
                                 liquid: liquidValue(i), equity: sheet.equity,
                                 coverage: pending == .zero ? .max : liquidValue(i).ratio(to: pending),
                                 loansOutstanding: sheet.loansMade, reuseMultiplier: reuseMultiplier(i),
                                 markedEquity: sheet.equity - marks.markdown[i], payment: marks.payment[i])
        }
    }

    package func priceMetrics() -> [PriceMetrics] {
        state.market.assets.indices.map { PriceMetrics(time: state.time, asset: $0, price: state.market.assets[$0].price) }
    }

    /// Loss per cohort at the end of a run: what remains of its claims on a halted or insolvent
    /// platform, times the share the platform cannot cover (creditor hole / liabilities, floored
    /// at 0 and capped at 1; the hole leaves out the platform's own token, see `creditorHole`).
    /// Claims on a platform still paying out are not losses.
    package func cohortLoss(_ c: Int) -> USD {
        let p = state.cohorts[c].platform.index
        let agent = state.agents[p]
        guard agent.isHalted || agent.insolventAt != nil else { return .zero }
        let liabilities = balanceSheet(p).liabilities
        let claims = claimsValue(cohort: c)
        guard liabilities > .zero else { return .zero }
        let hole = min(liabilities, creditorHole(p))
        return hole <= .zero ? .zero : claims.scaled(hole, over: liabilities)
    }
}
