import DominoModel

/// The figures a counterfactual is judged by, computed from a finished run: what depositors lost,
/// who failed and who took down whom, and what the policy cost in capital efficiency. `domino
/// diff` compares two of them; `domino sweep` stores one per run and ranks policies by them.
///
/// Money is USD fixed point × 10^8, shares × 10^8, times milliseconds since the epoch (UTC).
package struct RunMeasures: Sendable, Equatable {
    package struct EntityLoss: Sendable, Equatable {
        package var entity: String
        package var loss: Int64
    }

    package struct CohortLoss: Sendable, Equatable {
        package var platform: String
        package var cohort: String
        package var loss: Int64
        package var withdrawn: Int64
    }

    /// An entity's first failure: the earliest of its halt, default and insolvency.
    package struct Failure: Sendable, Equatable {
        package var entity: String
        /// "halt", "default" or "insolvency".
        package var kind: String
        package var time: Int64
    }

    /// `from` helped take `to` down: `to` recognised a loss on `from` (a default, or assets frozen
    /// on a halted venue), or `from`, already failed, recalled a loan from `to`, before `to`
    /// failed.
    package struct Link: Sendable, Equatable {
        package var from: String
        package var to: String
        /// When `to` failed.
        package var time: Int64
        /// "loss" or "recall".
        package var via: String
    }

    /// Depositor losses over all platforms and cohorts.
    package var depositorLosses: Int64
    /// Depositor losses per platform with depositors, in spec order.
    package var lossesByEntity: [EntityLoss]
    package var cohortLosses: [CohortLoss]
    /// In order of time, then spec order.
    package var failures: [Failure]
    /// Links of the contagion graph, in order of `to`'s failure, then `from`'s.
    package var chain: [Link]
    /// Entities on the longest chain of failures (1 = failures without contagion; 0 = none).
    package var contagionDepth: Int
    /// Share of customer assets lent, deployed or pledged on pools at the start (after policies), weighted by each
    /// platform's customer claims: what a policy leaves earning.
    package var capitalEfficiency: Int64
    package var liquidations: Int64
    package var liquidationVolume: Int64
    /// DebtRank-style distress at the episode's peak (`DistressFigures`).
    package var distressShock: Int64 = 0, distressTotal: Int64 = 0, amplification: Int64 = 0

    package init(run: ReplayResult) {
        self.init(summary: Summary(run: run), claimsAtStart: run.claimsAtStart, reuseAtStart: run.reuseAtStart,
                  outcomes: run.outcomes, names: run.scenario.partyName)
    }

    init(summary s: Summary, claimsAtStart: [Int64], reuseAtStart: [Int64], outcomes: [Outcome], names: (Party) -> String) {
        depositorLosses = s.depositorLosses
        lossesByEntity = s.entities.filter { e in s.cohorts.contains { $0.platform == e.name } }.map { e in
            EntityLoss(entity: e.name, loss: s.cohorts.filter { $0.platform == e.name }.reduce(0) { $0 + $1.loss })
        }
        cohortLosses = s.cohorts.map { CohortLoss(platform: $0.platform, cohort: $0.name, loss: $0.loss, withdrawn: $0.withdrawn) }
        var failures: [(Int, Failure)] = []
        for (i, e) in s.entities.enumerated() {
            let candidates: [(Int64, String)] = [(e.halt, "halt"), (e.defaulted, "default"), (e.insolvency, "insolvency")]
                .compactMap { t, k in t.map { ($0, k) } }
            if let first = candidates.min(by: { $0.0 < $1.0 }) { failures.append((i, Failure(entity: e.name, kind: first.1, time: first.0))) }
        }
        failures.sort { ($0.1.time, $0.0) < ($1.1.time, $1.0) }
        self.failures = failures.map(\.1)
        let failedAt = Dictionary(uniqueKeysWithValues: failures.map { ($0.1.entity, $0.1.time) }) // lookups only

        var links: [Link] = []
        // The losses and recalls, picked once: most outcomes are liquidations, and each failure
        // walks only these (naming a party builds a string).
        let credit = outcomes.filter { switch $0.kind { case .loss, .recall: true; default: false } }
        for f in self.failures {
            var sources: [(String, String)] = []
            for o in credit where o.time <= f.time {
                let isLoss = o.kind == .loss && names(o.party) == f.entity && o.counterparty != .none
                let isRecall = o.kind == .recall && names(o.counterparty) == f.entity && o.party != .none
                guard isLoss || isRecall else { continue }
                let from = isLoss ? names(o.counterparty) : names(o.party)
                guard from != f.entity, let t = failedAt[from], t <= o.time else { continue }
                if !sources.contains(where: { $0.0 == from }) { sources.append((from, isLoss ? "loss" : "recall")) }
            }
            links += sources.map { Link(from: $0.0, to: f.entity, time: f.time, via: $0.1) }
        }
        chain = links
        var depth: [String: Int] = [:] // lookups only; filled in failure order, so sources come first
        for f in self.failures {
            depth[f.entity] = 1 + (links.filter { $0.to == f.entity }.compactMap { depth[$0.from] }.max() ?? 0)
        }
        contagionDepth = self.failures.compactMap { depth[$0.entity] }.max() ?? 0

        var claims: Int64 = 0, reused: Int64 = 0
        for i in claimsAtStart.indices where claimsAtStart[i] > 0 {
            claims += claimsAtStart[i]
            reused += Fixed.scale(claimsAtStart[i], by: reuseAtStart[i])
        }
        capitalEfficiency = Fixed.ratio(reused, claims)
        liquidations = s.liquidations
        liquidationVolume = s.liquidationVolume
        distressShock = s.distress.shock; distressTotal = s.distress.total; amplification = s.distress.amplification
    }

    /// Names of the failed entities, in order of failure.
    package var failed: [String] { failures.map(\.entity) }
}
