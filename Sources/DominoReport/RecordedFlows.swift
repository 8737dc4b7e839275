import DominoLog
import DominoModel
import DominoReplay

/// Reads the withdrawal requests of a spec's input logs as the record gives them: which
/// platform's depositors asked, and for how much (USD at the model's prices then).
package struct RecordedFlows {
    /// Per dataset: log entity id → platform (agent index), lookups only.
    let platform: [UInt32: Int]
    /// log asset id → (model asset, decimals).
    let asset: [UInt32: (Int, Int)]

    package init(spec: Spec, scenario: Scenario) throws {
        var platform: [UInt32: Int] = [:], asset: [UInt32: (Int, Int)] = [:]
        // The datasets share ids only by name: a cohort or asset with the same name maps the same.
        for reader in try Replay.openDatasets(spec) {
            for e in reader.header.entities {
                if let c = scenario.cohortIndex[e.name] { platform[e.id] = scenario.state.cohorts[c].platform.index }
            }
            for a in reader.header.assets {
                if let i = scenario.assetIndex[a.symbol] { asset[a.id] = (i, Int(a.decimals)) }
            }
        }
        self.platform = platform
        self.asset = asset
    }

    /// The platform and USD of a withdrawal request; nil for any other event.
    package func withdrawal(_ e: Event, model: Model) -> (Int, Int64)? {
        guard e.kind == .withdrawalRequest, let p = platform[e.entity], let (a, decimals) = asset[e.asset] else { return nil }
        let quantity = decimals <= 8 ? e.amount * FixedPoint.powersOf10[8 - decimals] : e.amount / FixedPoint.powersOf10[decimals - 8]
        return (p, model.state.market.value(a, Quantity(quantity)).raw)
    }
}
