import DominoReplay

/// The page of `domino sensitivity --html`: a tornado chart per outcome.
package enum SensitivityView {
    package static func page(_ s: Sensitivity) -> ReportPage {
        let sections = s.tables.enumerated().map { k, t in
            let unit = t.outcome.unit == .usd ? "USD" : t.outcome.unit.rawValue
            let chart = TornadoChart(id: "tornado-\(k)", title: "\(t.outcome.id): μ* per assumption (\(unit) per full range)", unit: unit,
                                     rows: t.factors.map { ($0.name, $0.effects.muStar, $0.effects.sigma) })
            var note = "Morris screening over the spec's assumption ranges: μ* is the mean absolute change of \(t.outcome.id) when one assumption moves over its full range, σ the spread of that change (interaction or non-linearity). Over the design it went from \(t.outcome.format(t.range.low)) to \(t.outcome.format(t.range.high))."
            if t.outcome.unit == .days { note += " Days after the window's start; it happened on \(t.happened) of \(t.runs) runs (else counted as the window's end + 1 day)." }
            return Section(id: "sensitivity-\(k)", title: t.outcome.id, explanation: note, body: chart.render())
        }
        let seeds = s.seeds.count == 1 ? "the spec's seed \(s.seeds[0])" : "the mean over \(s.seeds.count) seeds"
        return ReportPage(title: "Domino: sensitivity of \(s.spec)",
                          subtitle: ["Morris screening: \(s.design.trajectories.count) trajectories, \(s.design.levels) levels, \(s.design.factors) assumptions, \(s.runs) runs at \(seeds); design seed \(s.designSeed)"],
                          sections: sections)
    }
}
