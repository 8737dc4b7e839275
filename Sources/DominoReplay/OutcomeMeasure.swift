import DominoLog
import DominoModel

/// One known outcome measured on one run (one seed): the modelled value, the error and whether
/// it is within tolerance.
package struct OutcomeMeasure: Sendable {
    package enum Status: String, Sendable {
        case within, outside
        /// A `survives` row whose entity survived without coming under stress.
        case unstressed
        /// The entity is not in the spec.
        case notModelled = "not modelled"
        /// A path row measured on a run that did not record the path (`Verification(run:)`).
        case notMeasured = "not measured"
    }

    /// What an entity went through in the window, for `survives` rows (`Spec.VerifySettings`).
    package struct Stress: Sendable {
        /// USD paid out to its depositors over its customer claims at the start (× 10^8).
        package var withdrawals: Int64
        /// Recognised losses over its equity at the start (× 10^8); nil when it started with none.
        package var losses: Int64?
        package var stressed: Bool

        package var text: String {
            "paid \(OutcomeMeasure.share(withdrawals)) of claims, " + (losses.map { "lost \(OutcomeMeasure.share($0)) of equity" } ?? "no equity at the start")
        }
        var json: JSON {
            .object([("withdrawals", .string(OutcomeMeasure.share(withdrawals))), ("losses", losses.map { .string(OutcomeMeasure.share($0)) } ?? .null),
                     ("stressed", .bool(stressed))])
        }
    }

    package var status: Status
    package var modelled: String
    package var error: String
    /// The signed error: milliseconds for dates, a share × 10^8 for the rest (relative for
    /// money, absolute points for outflows); nil when there is none.
    package var errorValue: Int64?
    /// The modelled value as a number, for intervals over paths: the time (ms) for dates (nil:
    /// it did not happen), USD × 10^8 for money, a share × 10^8 for outflows; nil for a survival.
    package var value: Int64?
    package var stress: Stress?

    init(status: Status, modelled: String, error: String = "", errorValue: Int64? = nil, value: Int64? = nil, stress: Stress? = nil) {
        self.status = status; self.modelled = modelled; self.error = error; self.errorValue = errorValue; self.value = value; self.stress = stress
    }

    /// Measures `o` on `run`.
    init(_ run: VerifyRun, _ o: Spec.KnownOutcome, settings: Spec.VerifySettings) {
        let result = run.result, m = result.model
        guard let i = result.scenario.agentIndex[o.entity] else {
            self.init(status: .notModelled, modelled: "not modelled")
            return
        }
        let agent = m.state.agents[i]
        func date(_ t: Int64?) -> String { t.map { UTCTime.formatDate($0) } ?? "none" }
        switch o.metric {
        case .halt, .default, .filing, .insolvency:
            let modelled = o.metric == .halt ? agent.haltedAt : o.metric == .default ? agent.defaultedAt : agent.insolventAt
            guard let modelled else {
                self.init(status: .outside, modelled: "none", error: "did not happen")
                return
            }
            let delta = modelled - o.date!
            self.init(status: abs(delta) <= o.toleranceTime ? .within : .outside, modelled: date(modelled),
                      error: Self.formatError(delta, o.metric), errorValue: delta, value: modelled)
        case .loss, .withdrawnBeforeHalt, .hole:
            let value: Int64
            switch o.metric {
            case .loss: value = agent.recognisedLosses.raw
            case .withdrawnBeforeHalt: value = Self.paid(m, platform: i)
            default:
                let sheet = m.balanceSheet(i)
                value = (sheet.liabilities - sheet.assets).raw
            }
            let expected = o.value!
            let share = expected == 0 ? (value == 0 ? 0 : Fixed.one) : Fixed.mulDiv(value - expected, Fixed.one, abs(expected))
            self.init(status: abs(share) <= o.toleranceShare ? .within : .outside, modelled: Summary.dollars(value),
                      error: Self.formatError(share, o.metric), errorValue: share, value: value)
        case .outflow:
            guard let paths = run.paths, let start = paths[o.from!], let end = paths[o.to!] else {
                self.init(status: .notMeasured, modelled: "n/a (verify measures paths)")
                return
            }
            let share = start.outflow(to: end, platform: i)
            let delta = share - o.value!
            self.init(status: abs(delta) <= o.toleranceShare ? .within : .outside, modelled: Self.share(share, decimals: 1),
                      error: Self.formatError(delta, o.metric), errorValue: delta, value: share)
        case .survives:
            let stress = Self.stress(result, i, settings)
            if let failed = agent.haltedAt ?? agent.defaultedAt ?? agent.insolventAt {
                self.init(status: .outside, modelled: "failed \(date(failed))", error: "failed", stress: stress)
            } else {
                self.init(status: stress.stressed ? .within : .unstressed, modelled: "survives; \(stress.text)",
                          error: stress.stressed ? "" : "no stress", stress: stress)
            }
        }
    }

    /// USD paid out to a platform's cohorts so far.
    static func paid(_ m: Model, platform i: Int) -> Int64 {
        m.state.cohorts.reduce(0) { $0 + ($1.platform.index == i ? $1.withdrawn.raw : 0) }
    }

    static func stress(_ result: ReplayResult, _ i: Int, _ settings: Spec.VerifySettings) -> Stress {
        let claims = result.claimsAtStart[i]
        let withdrawals = claims <= 0 ? 0 : Fixed.mulDiv(paid(result.model, platform: i), Fixed.one, claims)
        let equity = result.entityMetrics.first { $0.entity == i }?.equity.raw ?? 0
        let losses: Int64? = equity <= 0 ? nil : Fixed.mulDiv(result.model.state.agents[i].recognisedLosses.raw, Fixed.one, equity)
        let stressed = (claims > 0 && withdrawals >= settings.stressWithdrawals) || losses.map { $0 >= settings.stressLosses } ?? true
        return Stress(withdrawals: withdrawals, losses: losses, stressed: stressed)
    }

    // MARK: Formatting

    /// A modelled value (`value`) as the metric reads it; nil (a dated event that did not
    /// happen) is "none".
    static func formatValue(_ v: Int64?, _ metric: Spec.KnownOutcome.Metric) -> String {
        guard let v else { return "none" }
        switch metric {
        case .halt, .default, .filing, .insolvency: return UTCTime.formatDate(v)
        case .loss, .withdrawnBeforeHalt, .hole: return Summary.dollars(v)
        case .outflow: return share(v, decimals: 1)
        case .survives: return ""
        }
    }

    static func expected(_ o: Spec.KnownOutcome) -> String {
        switch o.metric {
        case .halt, .default, .filing, .insolvency: return UTCTime.formatDate(o.date!)
        case .loss, .withdrawnBeforeHalt, .hole: return Summary.dollars(o.value!)
        case .outflow: return "\(share(o.value!, decimals: 1)) \(UTCTime.formatDate(o.from!))…\(UTCTime.formatDate(o.to!))"
        case .survives: return "survives"
        }
    }

    static func tolerance(_ o: Spec.KnownOutcome) -> String {
        switch o.metric {
        case .halt, .default, .filing, .insolvency: return "±" + days(o.toleranceTime).dropFirst()
        case .loss, .withdrawnBeforeHalt, .hole: return "±" + share(o.toleranceShare)
        case .outflow: return "±" + points(o.toleranceShare).dropFirst()
        case .survives: return "under stress"
        }
    }

    /// A signed error as the metric reads it: days, percent or points.
    static func formatError(_ e: Int64, _ metric: Spec.KnownOutcome.Metric) -> String {
        if metric.isDated { return days(e) }
        if metric == .outflow { return points(e) }
        return (e < 0 ? "-" : "+") + share(abs(e))
    }

    /// Milliseconds as signed days with one decimal: `+1.5d`.
    static func days(_ ms: Int64) -> String {
        let tenths = (abs(ms) * 10 + 43_200_000) / 86_400_000
        return (ms < 0 ? "-" : "+") + "\(tenths / 10).\(tenths % 10)d"
    }

    /// A share × 10^8 as a percentage: `12%`, or with `decimals` (0 or 1) `12.3%`; sign kept.
    static func share(_ s: Int64, decimals: Int = 0) -> String {
        let scale: Int64 = decimals == 1 ? 1000 : 100
        let v = (abs(s) * scale + Fixed.one / 2) / Fixed.one
        let text = decimals == 1 ? "\(v / 10).\(v % 10)" : "\(v)"
        return (s < 0 ? "-" : "") + text + "%"
    }

    /// A difference of shares × 10^8 as signed points with one decimal: `-3.2 pts`.
    static func points(_ s: Int64) -> String {
        let v = (abs(s) * 1000 + Fixed.one / 2) / Fixed.one
        return (s < 0 ? "-" : "+") + "\(v / 10).\(v % 10) pts"
    }
}
