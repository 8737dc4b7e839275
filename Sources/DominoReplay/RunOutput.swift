import DominoLog
import DominoModel
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a run's directory: `spec.resolved`, `outcomes.zst`, `metrics.csv`, `network.csv`,
/// `summary.json` and `run.json` (`ownedNames`), nothing else.
///
/// The directory may be new, empty, or a previous run's (only run-owned names, with `run.json`);
/// anything else is refused unless `force`, and even then only the run's own files are replaced:
/// nothing else in the directory is touched. Files are written into `DIR/.domino-tmp-PID` and
/// renamed into place one by one, `run.json` last; staging folders of dead processes (a killed
/// run) are removed first.
package enum RunOutput {
    /// Every name a run directory's writer creates or replaces.
    package static let fileNames = ["spec.resolved", "outcomes.zst", "metrics.csv", "network.csv", "summary.json", "run.json"]
    package static let ownedNames = Set(fileNames)

    /// What `directory` holds, for `write`: nothing (or missing), a previous run's files, or other things.
    package enum Contents: Equatable, Sendable {
        case empty
        case previousRun
        /// The names that are not a run's (sorted), or the whole path when it is not a directory.
        case foreign([String])
    }

    package static func contents(of directory: String) -> Contents {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory) else { return .empty }
        guard isDirectory.boolValue else { return .foreign([directory]) }
        let names = ((try? fm.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { !($0.hasPrefix(".") && Staging.stagingPID($0) != nil) }.sorted()
        if names.isEmpty { return .empty }
        let foreign = names.filter { !ownedNames.contains($0) }
        // Only a run's names, and what every run writes (summary.json; run.json from `replay --out`).
        if foreign.isEmpty && (names.contains("run.json") || names.contains("summary.json")) { return .previousRun }
        return .foreign(foreign.isEmpty ? names : foreign)
    }

    /// `source`: the spec path and the overrides (policy sets expanded) the run was made with,
    /// written to `run.json` (the spec as an absolute path) so `domino diff` can replay the run
    /// from its directory, from any working directory.
    package static func write(_ run: ReplayResult, summary: Summary, to directory: String,
                             source: (spec: String, overrides: [Overrides.Assignment])? = nil, force: Bool = false) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL.path
        let parent = (target as NSString).deletingLastPathComponent
        Staging.cleanStale(in: parent, ownedNames: ownedNames) // DIR.tmp-PID / DIR.old-PID of older versions
        switch contents(of: target) {
        case .empty, .previousRun: break
        case .foreign(let names) where names == [target]:
            throw LogError(.usage, "exists and is not a directory", file: directory)
        case .foreign(let names):
            if !force {
                let list = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
                throw LogError(.usage, "--out: the directory holds files that are not a run's (\(list)); give an empty or new directory, a previous run's, or --force to replace only the run's own files", file: directory)
            }
        }
        do { try fm.createDirectory(atPath: target, withIntermediateDirectories: true) } catch {
            throw LogError(.io, "cannot create the run directory: \(error.localizedDescription)", file: directory)
        }
        Staging.cleanStale(in: target)
        let staging = target + "/" + Staging.folderName()
        try? fm.removeItem(atPath: staging)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            try write(SpecRenderer.render(run.scenario.spec), to: staging + "/spec.resolved")
            try writeOutcomes(run, to: staging + "/outcomes.zst")
            try write(metricsCSV(run), to: staging + "/metrics.csv")
            try write(networkCSV(run), to: staging + "/network.csv")
            try write(summary.json.render(pretty: true) + "\n", to: staging + "/summary.json")
            if let source {
                let spec = URL(fileURLWithPath: source.spec).standardizedFileURL.path
                let json = JSON.object([("spec", .string(spec)), ("stateHash", .string(run.finalHash)),
                                        ("set", .array(source.overrides.map { .string("\($0.path)=\($0.value)") }))])
                try write(json.render(pretty: true) + "\n", to: staging + "/run.json")
            }
            // A run without a source has no run.json: an old one would describe another run.
            if source == nil, fm.fileExists(atPath: target + "/run.json") { try fm.removeItem(atPath: target + "/run.json") }
            for name in fileNames where fm.fileExists(atPath: staging + "/" + name) {
                guard rename(staging + "/" + name, target + "/" + name) == 0 else {
                    throw LogError(.io, "cannot rename \(name) into place: \(Syscall.reason())", file: directory)
                }
            }
            try fm.removeItem(atPath: staging)
        } catch {
            try? fm.removeItem(atPath: staging)
            if let error = error as? LogError { throw error }
            throw LogError(.io, "cannot write the run directory: \(error.localizedDescription)", file: directory)
        }
    }

    static func write(_ text: String, to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        try w.write(Array(text.utf8))
        try w.commit()
    }

    /// The outcome log's header: the scenario's assets (8 decimals, as in the model) and its
    /// parties (agents, then cohorts), ids from 1.
    package static func outcomeHeader(_ run: ReplayResult) -> LogHeader {
        let spec = run.scenario.spec
        var entities = spec.entities.enumerated().map { LogHeader.Entity(id: UInt32($0 + 1), name: $1.name, kind: $1.role.rawValue) }
        entities += spec.cohorts.enumerated().map { LogHeader.Entity(id: UInt32(spec.entities.count + $0 + 1), name: $1.name, kind: "depositors") }
        return LogHeader(
            name: "\(spec.name)-outcomes",
            description: "Outcomes of replaying \(spec.name) (seed \(spec.seed)): emitted by the model's rules",
            timeRange: .init(start: spec.window.from, end: spec.window.to),
            assets: spec.assets.enumerated().map { .init(id: UInt32($0 + 1), symbol: $1.symbol, decimals: 8) },
            entities: entities,
            series: [.init(label: "outcomes", kinds: Outcome.Kind.allCases.map(\.rawValue), from: spec.window.from, to: spec.window.to,
                           resolution: "events", origin: .reconstructed, source: "domino replay \(spec.name)",
                           method: "model output: halts, defaults, losses and liquidations emerging from the rules of Sources/DominoModel")])
    }

    package static func event(_ o: Outcome, scenario: Scenario) -> Event {
        let kind: EventKind
        switch o.kind {
        case .liquidation: kind = .liquidation
        case .marginCall: kind = .marginCall
        case .default: kind = .default
        case .halt: kind = .withdrawalHalt
        case .insolvency: kind = .insolvency
        case .loss: kind = .lossRecognised
        case .recall: kind = .loanRecalled
        }
        // aux: a liquidation's USD proceeds, the deadline of a call or due time of a recall, what
        // a defaulting borrower owed.
        // amount: the tokens of a liquidation or a recall, else the USD.
        let aux = o.kind == .liquidation ? o.usd.raw : o.due ?? o.owed?.raw ?? 0
        return Event(time: o.time, kind: kind, entity: scenario.logEntity(o.party), counterparty: scenario.logEntity(o.counterparty),
                     asset: o.asset.map { UInt32($0.index + 1) } ?? 0, amount: max(0, o.quantity?.raw ?? o.usd.raw), aux: aux)
    }

    static func writeOutcomes(_ run: ReplayResult, to path: String) throws {
        let writer = try LogWriter(path: path, header: outcomeHeader(run))
        for o in run.outcomes { try writer.append(event(o, scenario: run.scenario)) }
        try writer.finish()
    }

    /// One row per sample and entity, then per sample and asset; USD and ratios as exact decimals.
    package static func metricsCSV(_ run: ReplayResult) -> String {
        var out = "time,kind,name,assets,liabilities,liquid,equity,coverage,loans_outstanding,reuse_multiplier,price,marked_equity,payment\n"
        let spec = run.scenario.spec
        var p = 0
        var e = 0
        // Samples are appended in time order: interleave entity rows and price rows per time.
        while e < run.entityMetrics.count || p < run.priceMetrics.count {
            let t = min(e < run.entityMetrics.count ? run.entityMetrics[e].time : .max, p < run.priceMetrics.count ? run.priceMetrics[p].time : .max)
            while e < run.entityMetrics.count && run.entityMetrics[e].time == t {
                let m = run.entityMetrics[e]
                let coverage = m.coverage == .max ? "" : f(m.coverage)
                out += "\(UTCTime.format(t)),entity,\(spec.entities[m.entity].name),\(f(m.assets)),\(f(m.liabilities)),\(f(m.liquid)),"
                out += "\(f(Summary.reported(m.equity))),\(coverage),\(f(m.loansOutstanding)),\(f(m.reuseMultiplier)),,\(f(m.markedEquity)),\(f(m.payment))\n"
                e += 1
            }
            while p < run.priceMetrics.count && run.priceMetrics[p].time == t {
                let m = run.priceMetrics[p]
                out += "\(UTCTime.format(t)),asset,\(spec.assets[m.asset].symbol),,,,,,,,\(f(m.price)),,\n"
                p += 1
            }
        }
        return out
    }

    /// One row per sample and edge of the exposure network (`Model.networkEdges`), ordered by
    /// time, lender, borrower, kind (loan, venue, creditLine) and asset; USD as exact decimals.
    package static func networkCSV(_ run: ReplayResult) -> String {
        var out = "time,lender,borrower,kind,asset,nominal,collateral,marked,loss\n"
        let spec = run.scenario.spec
        for e in run.network {
            out += "\(UTCTime.format(e.time)),\(spec.entities[e.lender].name),\(spec.entities[e.borrower].name),\(e.kind.rawValue),"
            out += "\(e.asset.map { spec.assets[$0].symbol } ?? ""),\(f(e.nominal)),\(f(e.collateral)),\(f(e.marked)),\(f(e.loss))\n"
        }
        return out
    }

    static func f(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }
    static func f<U>(_ v: Amount<U>) -> String { FixedPoint.format(v.raw, decimals: 8) }
}

/// Renders a spec back to YAML with every parameter explicit (defaults filled in, overrides
/// applied): `spec.resolved`, the record of exactly what ran.
package enum SpecRenderer {
    package static func render(_ spec: Spec) -> String {
        func f(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }
        func f<U>(_ v: Amount<U>) -> String { FixedPoint.format(v.raw, decimals: 8) }
        func d(_ ms: Int64) -> String {
            if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
            if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
            if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
            return "\(ms / 1000)s"
        }
        func amounts(_ pairs: [(String, Int64)]) -> String { "{" + pairs.map { "\(q($0.0)): \(f($0.1))" }.joined(separator: ", ") + "}" }
        func q(_ s: String) -> String { JSON.quote(s) }
        func policy(_ p: Policy, indent: String) -> String {
            var o = ""
            o += "\(indent)rehypothecationCap: \(p.rehypothecationCap.map(f) ?? "null")\n"
            o += "\(indent)minCollateralRatio: \(p.minCollateralRatio.map(f) ?? "null")\n"
            o += "\(indent)liquidityBuffer: \(f(p.liquidityBuffer))\n"
            o += "\(indent)concentrationLimit: \(p.concentrationLimit.map(f) ?? "null")\n"
            o += "\(indent)withdrawalGate: \(p.withdrawalGate.map { "{maxShare: \(f($0.maxShare)), window: \(d($0.window))}" } ?? "null")\n"
            o += "\(indent)circuitBreaker: \(p.circuitBreaker.map { "{maxDrop: \(f($0.maxDrop)), window: \(d($0.window)), pause: \(d($0.pause))}" } ?? "null")\n"
            o += "\(indent)dynamicCollateral: \(p.dynamicCollateral.map { "{k: \(f($0.k)), window: \(d($0.window))}" } ?? "null")\n"
            o += "\(indent)proofOfReserves: \(p.proofOfReserves)\n"
            o += "\(indent)tiers: [" + p.tiers.map { t in
                "{assets: [" + t.assets.map { q(spec.assets[$0].symbol) }.joined(separator: ", ") + "], rehypothecationCap: \(t.rehypothecationCap.map(f) ?? "null"), minCollateralRatio: \(t.minCollateralRatio.map(f) ?? "null")}"
            }.joined(separator: ", ") + "]\n"
            return o
        }
        let p = spec.parameters
        var o = "# Resolved by domino: every parameter after overrides and defaults.\n"
        o += "name: \(q(spec.name))\ndescription: \(q(spec.description))\n"
        o += "datasets:\n" + spec.datasets.map { "  - \(q($0))\n" }.joined()
        o += "window: {from: \(UTCTime.format(spec.window.from)), to: \(UTCTime.format(spec.window.to))}\n"
        o += "seed: \(spec.seed)\ncash: \(q(spec.cash))\n"
        o += "model:\n  halt: {horizon: \(d(p.haltHorizon)), tolerance: \(f(p.haltTolerance))}\n"
        o += "  marginCallWindow: \(d(p.marginCallWindow))\n  recallNotice: \(d(p.recallNotice))\n  swapFee: \(f(p.swapFee))\n"
        o += "  recoveryRate: \(f(p.recoveryRate))\n  collateralHeadroom: \(f(p.collateralHeadroom))\n  filingDelay: \(d(p.filingDelay))\n  metricsInterval: \(d(p.metricsInterval))\n"
        o += "  impact: {slope: \(f(p.impactSlope)), floor: \(f(p.impactFloor)), halfLife: \(d(p.impactHalfLife))}\n"
        o += spec.resolvedBehaviourText
        o += spec.resolvedAssumptionsText
        o += "assets:\n" + spec.assets.map { a in
            "  \(q(a.symbol)): {depth: \(f(a.depth))" + (a.redeems.map { ", redeems: {asset: \(q($0)), per: \(f(a.redeemsPer))}" } ?? "") + "}\n"
        }.joined()
        o += "entities:\n"
        for e in spec.entities {
            o += "  \(q(e.name)):\n    role: \(e.role.rawValue)\n    liquid: \(amounts(e.liquid))\n"
            o += "    ownToken: \(e.ownToken.map(q) ?? "null")\n    creditLine: \(f(e.creditLine))\n"
            o += "    deployments:" + (e.deployments.isEmpty ? " []\n" : "\n" + e.deployments.map {
                "      - {label: \(q($0.label)), asset: \(q($0.asset)), quantity: \(f($0.quantity)), venue: \($0.venue.map(q) ?? "null"), unwind: \(d($0.unwind)), haircut: \(f($0.haircut)), customerFunded: \($0.customerFunded)}\n"
            }.joined())
            o += "    policy:\n" + policy(e.policy, indent: "      ")
        }
        o += "cohorts:" + (spec.cohorts.isEmpty ? " []\n" : "\n" + spec.cohorts.map {
            "  - {name: \(q($0.name)), platform: \(q($0.platform)), members: \($0.members), claims: \(amounts($0.claims))}\n"
        }.joined())
        o += "loans:" + (spec.loans.isEmpty ? " []\n" : "\n" + spec.loans.map {
            "  - {lender: \(q($0.lender)), borrower: \(q($0.borrower)), asset: \(q($0.asset)), amount: \(f($0.amount)), collateral: \(amounts($0.collateral)), maintenance: \(f($0.maintenance)), initial: \(f($0.initial)), seniority: \($0.seniority), notice: \(d($0.notice ?? p.recallNotice)), customerFunded: \($0.customerFunded)}\n"
        }.joined())
        o += "pools:" + (spec.pools.isEmpty ? " {}\n" : "\n" + spec.pools.map { pool in
            var s = "  \(q(pool.entity)):\n    threshold: \(f(pool.threshold))\n    bonus: \(f(pool.bonus))\n    closeFactor: \(f(pool.closeFactor))\n"
            s += "    positions:" + (pool.positions.isEmpty ? " []\n" : "\n" + pool.positions.map {
                "      - {owner: \($0.owner.map(q) ?? "null"), collateral: {\(q($0.collateralAsset)): \(f($0.collateral))}, debt: {\(q($0.debtAsset)): \(f($0.debt))}}\n"
            }.joined())
            s += "    generate:" + (pool.generate.isEmpty ? " []\n" : "\n" + pool.generate.map {
                "      - {count: \($0.count), collateralAsset: \(q($0.collateralAsset)), debtAsset: \(q($0.debtAsset)), collateral: [\(f($0.collateral.0)), \(f($0.collateral.1))], ltv: [\(f($0.ltv.0)), \(f($0.ltv.1))]}\n"
            }.joined())
            return s
        }.joined())
        o += spec.renderedFlows()
        return o
    }
}
