import DominoLog
import DominoModel
import DominoReplay

/// Everything the database keeps of one run, computed on the worker that ran it so the single
/// writer only inserts rows. Amounts are USD × 10^8 (the model's fixed point).
package struct RunRecord: Sendable, Equatable {
    package struct Loss: Sendable, Equatable { package var platform: String, cohort: String, loss: Int64, withdrawn: Int64 }
    package struct Line: Sendable, Equatable {
        package var time: Int64, entity: String, kind: String, counterparty: String, usd: Int64, count: Int
    }
    /// A link of the contagion graph: `from` helped take `to` down (at `to`'s failure), via a loss or a recall.
    package struct Link: Sendable, Equatable { package var from: String, to: String, time: Int64, via: String }
    /// An entity's fate: when it halted, defaulted or became insolvent, its equity at the end,
    /// the losses it recognised and the share of customer assets it had lent, deployed or pledged on pools.
    package struct Entity: Sendable, Equatable {
        package var name: String, role: String, status: String
        package var halt: Int64?, defaulted: Int64?, insolvency: Int64?
        package var equity: Int64, recognisedLosses: Int64, capitalEfficiency: Int64
    }
    /// One sample of an entity's balance sheet (coverage nil when nothing is pending).
    package struct Sample: Sendable, Equatable {
        package var time: Int64, entity: String
        package var assets: Int64, liabilities: Int64, liquid: Int64, equity: Int64, coverage: Int64?
        package var loansOutstanding: Int64, reuseMultiplier: Int64
        /// Equity with claims marked to distress, and the share of its debts it could pay now.
        package var markedEquity: Int64 = 0, payment: Int64 = 100_000_000
    }
    /// One sample of an asset's price.
    package struct Price: Sendable, Equatable { package var time: Int64, asset: String, price: Int64 }
    /// One edge of the exposure network at a sample (`NetworkEdge`), names resolved; asset nil for a credit line.
    package struct Edge: Sendable, Equatable {
        package var time: Int64, lender: String, borrower: String, kind: String, asset: String?
        package var nominal: Int64, collateral: Int64, marked: Int64
    }

    package var runID: Int
    package var point: Int
    package var seed: UInt64
    /// The path of a stress study's run (0-based); nil in a plain sweep.
    package var path: Int? = nil
    package var parameters: [GridParameter]
    package var counterfactual: Bool
    package var specHash: String
    package var initialHash: String
    package var stateHash: String
    package var baselineStateHash: String?
    package var depositorLosses: Int64
    package var failed: Int, halts: Int, defaults: Int, insolvencies: Int
    package var contagionDepth: Int
    package var capitalEfficiency: Int64
    package var liquidations: Int64
    package var liquidationVolume: Int64
    package var inputs: UInt64
    /// DebtRank-style distress at the run's peak (`DistressFigures`): USD, USD, × 10^8.
    package var distressShock: Int64 = 0, distressTotal: Int64 = 0, amplification: Int64 = 0
    package var losses: [Loss]
    package var entities: [Entity]
    package var outcomes: [Line]
    package var chain: [Link]
    /// In key order (time, then name by its UTF-8 bytes), so the writer appends.
    package var metrics: [Sample]
    package var prices: [Price]
    /// The exposure network at the kept samples, in the run's order (time, lender id, borrower id, kind, asset).
    package var network: [Edge] = []

    package init(runID: Int, point: Int, parameters: [GridParameter], run: ReplayResult, counterfactual: Bool,
                baselineStateHash: String?, metrics sampling: MetricsSampling) {
        let spec = run.scenario.spec
        let measures = RunMeasures(run: run)
        let summary = Summary(run: run)
        self.runID = runID
        self.point = point
        self.seed = spec.seed
        self.parameters = parameters
        self.counterfactual = counterfactual
        specHash = SHA256.hex(Array(SpecRenderer.render(spec).utf8))
        initialHash = run.initialHash
        stateHash = run.finalHash
        self.baselineStateHash = baselineStateHash
        depositorLosses = measures.depositorLosses
        halts = summary.entities.filter { $0.halt != nil }.count
        defaults = summary.entities.filter { $0.defaulted != nil }.count
        insolvencies = summary.entities.filter { $0.insolvency != nil }.count
        failed = measures.failures.count
        contagionDepth = measures.contagionDepth
        capitalEfficiency = measures.capitalEfficiency
        liquidations = measures.liquidations
        liquidationVolume = measures.liquidationVolume
        inputs = run.inputsApplied
        distressShock = measures.distressShock; distressTotal = measures.distressTotal; amplification = measures.amplification
        losses = measures.cohortLosses.map { Loss(platform: $0.platform, cohort: $0.cohort, loss: $0.loss, withdrawn: $0.withdrawn) }
        entities = summary.entities.map {
            Entity(name: $0.name, role: $0.role, status: $0.status, halt: $0.halt, defaulted: $0.defaulted, insolvency: $0.insolvency,
                   equity: $0.equity, recognisedLosses: $0.recognisedLosses, capitalEfficiency: $0.reuseAtStart)
        }
        outcomes = summary.lines.map { Line(time: $0.time, entity: $0.entity, kind: $0.kind, counterparty: $0.counterparty, usd: $0.usd, count: $0.count) }
        chain = measures.chain.map { Link(from: $0.from, to: $0.to, time: $0.time, via: $0.via) }
        if sampling != .none {
            let spec = run.scenario.spec
            func before(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
            let from = spec.window.from
            metrics = run.entityMetrics.filter { sampling.keeps($0.time, from: from) }.map { m in
                Sample(time: m.time, entity: spec.entities[m.entity].name, assets: m.assets.raw, liabilities: m.liabilities.raw, liquid: m.liquid.raw,
                       equity: Summary.reported(m.equity), coverage: m.coverage == .max ? nil : m.coverage.raw, loansOutstanding: m.loansOutstanding.raw,
                       reuseMultiplier: m.reuseMultiplier.raw, markedEquity: m.markedEquity.raw, payment: m.payment.raw)
            }.sorted { $0.time != $1.time ? $0.time < $1.time : before($0.entity, $1.entity) }
            prices = run.priceMetrics.filter { sampling.keeps($0.time, from: from) }.map { Price(time: $0.time, asset: spec.assets[$0.asset].symbol, price: $0.price.raw) }
                .sorted { $0.time != $1.time ? $0.time < $1.time : before($0.asset, $1.asset) }
            network = run.network.filter { sampling.keeps($0.time, from: from) }.map { e in
                Edge(time: e.time, lender: spec.entities[e.lender].name, borrower: spec.entities[e.borrower].name, kind: e.kind.rawValue,
                     asset: e.asset.map { spec.assets[$0].symbol }, nominal: e.nominal.raw, collateral: e.collateral.raw, marked: e.marked.raw)
            }
        } else {
            metrics = []
            prices = []
        }
    }
}

/// One grid key and its value at a grid point, as given on the command line.
package struct GridParameter: Sendable, Equatable {
    package var key: String
    package var value: String
    package init(key: String, value: String) { self.key = key; self.value = value }
}
