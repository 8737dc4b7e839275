/// Metrics sampled during a run.
package struct EntityMetrics: Equatable, Sendable, Codable {
    package var time: Int64
    package var entity: Int
    package var assets: Int64
    package var liabilities: Int64
    package var liquid: Int64
    package var equity: Int64
    /// Liquid reserves over unpaid withdrawals × 10^8 (Int64.max when nothing is pending).
    package var coverage: Int64
    package var loansOutstanding: Int64
    package var reuseMultiplier: Int64
    /// Equity with its claims on others marked to what they could pay now (`Distress.swift`).
    package var markedEquity: Int64 = 0
    /// Share of its uncovered liabilities it could pay now (× 10^8; `Distress.swift`).
    package var payment: Int64 = Fixed.one
}

package struct PriceMetrics: Equatable, Sendable, Codable {
    package var time: Int64
    package var asset: Int
    package var price: Int64
}

extension Model {
    package func entityMetrics() -> [EntityMetrics] {
        let marks = distress()
        return state.agents.indices.map { i in
            let sheet = balanceSheet(i)
            let pending = queueValue(i)
            return EntityMetrics(time: state.time, entity: i, assets: sheet.assets, liabilities: sheet.liabilities,
                                 liquid: liquidValue(i), equity: sheet.equity,
                                 coverage: pending == 0 ? .max : Fixed.ratio(liquidValue(i), pending),
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
    package func cohortLoss(_ c: Int) -> Int64 {
        let p = state.cohorts[c].platform.index
        let agent = state.agents[p]
        guard agent.isHalted || agent.insolventAt != nil else { return 0 }
        let liabilities = balanceSheet(p).liabilities
        let claims = claimsValue(cohort: c)
        guard liabilities > 0 else { return 0 }
        let hole = min(liabilities, creditorHole(p))
        return hole <= 0 ? 0 : Fixed.mulDiv(claims, hole, liabilities)
    }
}
