import DominoReplay

/// The verify view: the known-outcome scorecard of a spec's run.
package enum VerifyView {
    package static func section(_ r: CapturedRun) -> Section? {
        let v = Verification(run: r.run)
        guard !v.rows.isEmpty else { return nil }
        let rows = v.rows.map { row in
            ScorecardChart.Row(label: "\(row.id)", error: row.scaledError, result: row.result, note: row.error)
        }
        var table = "<table><thead><tr><th>outcome</th><th>entity</th><th>metric</th><th>expected</th><th>modelled</th><th>error</th><th>tolerance</th><th>result</th><th>class</th></tr></thead><tbody>"
        for row in v.rows {
            let cls = ["pass", "holds"].contains(row.result) ? "pass" : ["gap", "unstressed", "not measured"].contains(row.result) ? "gapr" : "fail"
            table += "<tr><td>\(SVG.escape(row.id))</td><td class=\"l\">\(SVG.escape(row.entity))</td><td class=\"l\">\(row.metric)</td><td>\(SVG.escape(row.expected))</td><td>\(SVG.escape(row.modelled))</td><td>\(SVG.escape(row.error))</td><td>\(SVG.escape(row.tolerance))</td><td class=\"\(cls)\">\(row.result)</td><td>\(row.outcomeClass.label)</td></tr>"
        }
        table += "</tbody></table>"
        return Section(id: "scorecard", title: "Known outcomes: \(v.passed(.heldOut)) of \(v.total(.heldOut)) held out and \(v.passed(.fitted)) of \(v.total(.fitted)) fitted pass",
                       explanation: "Each dated event or figure the public record gives, expected against modelled: the dot is the model's error in tolerances (inside the whiskers passes), green pass, amber a known gap, red a failure. Class: fitted (a calibration target), held out (never used in fitting or in building an input) or derived (follows from the inputs by arithmetic: shown, never counted). This is the spec's own seed; outflow paths are measured by domino verify only.",
                       body: ScorecardChart(id: "chart-scorecard", title: "Scorecard", rows: rows).render() + table)
    }
}
