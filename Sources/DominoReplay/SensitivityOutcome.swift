import DominoModel

/// An outcome `domino sensitivity` screens: a known outcome of the spec with a numeric modelled
/// value (a date in days, money in USD, an outflow share in points), `losses`, the depositor
/// losses of the run (`RunMeasures.depositorLosses`), or `liquidations`, its liquidation volume
/// (`RunMeasures.liquidationVolume`, USD).
///
/// A dated outcome that does not happen on a run counts as the window's end + 1 day (so a run
/// that does not halt reads as a late halt, the least it could be); how many runs it happened
/// on is reported next to the table.
package struct SensitivityOutcome: Sendable, Equatable {
    package enum Unit: String, Sendable { case days, usd = "USD", points }

    package var id: String
    package var unit: Unit
    /// The known outcome measured (nil: `losses` or `liquidations`).
    package var known: Spec.KnownOutcome?

    package static func == (a: Self, b: Self) -> Bool { a.id == b.id }

    /// The ids of depositor losses and of the liquidation volume.
    package static let losses = "losses", liquidations = "liquidations"

    /// The outcomes of `spec` that have a numeric value, then `losses` and `liquidations`: the default.
    package static func all(_ spec: Spec) throws -> [SensitivityOutcome] {
        let scenario = try Scenario(spec: spec)
        return spec.outcomes.filter { $0.metric != .survives && scenario.agentIndex[$0.entity] != nil }.map(Self.init(known:))
            + [SensitivityOutcome(id: losses, unit: .usd, known: nil), SensitivityOutcome(id: liquidations, unit: .usd, known: nil)]
    }

    init(known o: Spec.KnownOutcome) {
        id = o.id; known = o
        unit = o.metric.isDated ? .days : o.metric == .outflow ? .points : .usd
    }
    init(id: String, unit: Unit, known: Spec.KnownOutcome?) { self.id = id; self.unit = unit; self.known = known }

    /// The outcomes named by `ids` (in that order; empty: all), or an error naming the unknown one.
    package static func select(_ ids: [String], spec: Spec) throws -> [SensitivityOutcome] {
        let all = try all(spec)
        guard !ids.isEmpty else { return all }
        return try ids.map { id in
            if let o = all.first(where: { $0.id == id }) { return o }
            let reason = spec.outcomes.contains { $0.id == id } ? "has no numeric modelled value (a survival, or an entity the spec lacks)" : "is not a known outcome of \(spec.name)"
            throw SensitivityError("--outcome \(id): '\(id)' \(reason) (choose from: \(all.map(\.id).joined(separator: ", ")))")
        }
    }

    /// The value on a run, in the unit (days since the window's start, USD, points), and whether
    /// the event happened (always true for amounts).
    package func measure(_ run: VerifyRun) -> (value: Double, happened: Bool) {
        let result = run.result, m = result.model
        guard let o = known else {
            let measures = RunMeasures(run: result)
            return (Double(id == Self.liquidations ? measures.liquidationVolume : measures.depositorLosses) / Double(Fixed.one), true)
        }
        let i = result.scenario.agentIndex[o.entity]!
        let agent = m.state.agents[i]
        let day = 86_400_000.0
        let window = result.scenario.spec.window
        switch o.metric {
        case .halt, .default, .filing, .insolvency:
            let t = o.metric == .halt ? agent.haltedAt : o.metric == .default ? agent.defaultedAt : agent.insolventAt
            guard let t else { return (Double(window.to - window.from) / day + 1, false) }
            return (Double(t - window.from) / day, true)
        case .loss: return (Double(agent.recognisedLosses.raw) / Double(Fixed.one), true)
        case .withdrawnBeforeHalt: return (Double(OutcomeMeasure.paid(m, platform: i)) / Double(Fixed.one), true)
        case .hole:
            let sheet = m.balanceSheet(i)
            return (Double((sheet.liabilities - sheet.assets).raw) / Double(Fixed.one), true)
        case .outflow:
            guard let paths = run.paths, let start = paths[o.from!], let end = paths[o.to!] else { return (0, false) }
            return (Double(start.outflow(to: end, platform: i)) / 1_000_000, true)
        case .survives: return (0, false)
        }
    }

    /// A value (or an effect) in the unit, for the table: `3.2d`, `$612.8M`, `4.1 pts`.
    package func format(_ v: Double) -> String {
        switch unit {
        case .days: return Self.fixed(v, 2) + "d"
        case .points: return Self.fixed(v, 2) + " pts"
        case .usd:
            let cents = (abs(v) * 1e8).rounded()
            guard cents < 9e18 else { return (v < 0 ? "-" : "") + "$" + Self.fixed(abs(v) / 1e9, 1) + "B" }
            return (v < 0 ? "-" : "") + Summary.dollars(Int64(cents))
        }
    }

    /// `v` rounded half away from zero to `decimals` places, without a locale.
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let n = Int64((abs(v) * scale).rounded())
        let p = Int64(scale)
        let frac = String(n % p)
        return (v < 0 && n != 0 ? "-" : "") + "\(n / p)" + (decimals > 0 ? "." + String(repeating: "0", count: decimals - frac.count) + frac : "")
    }
}

/// A usage error of `domino sensitivity` (an unknown outcome, a spec without assumptions).
package struct SensitivityError: Error, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
