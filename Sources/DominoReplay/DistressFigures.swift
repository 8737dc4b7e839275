import DominoModel

/// A run's distress figures, DebtRank-style, from its sampled balance sheets (`metrics.csv`).
///
/// Each entity's equity loss is counted from its first sample `E₀` (entities that start with
/// no equity are left out) and capped at `E₀` (limited liability, as in DebtRank's `h ≤ 1`):
///
/// - **shock** at time t: Σ min(E₀, max(0, E₀ − E(t))) with book equity: what prices and the
///   losses already recognised took;
/// - **total** at time t: the same with *marked* equity, claims on distressed counterparties
///   marked to what those could pay now (`Distress.swift`);
/// - **amplification** = total / shock at the episode's *distress peak*: the sample where the
///   marks add most to the shock (total − shock largest; the first such sample), i.e. where
///   distress runs furthest ahead of the losses recognised. When the marks never add anything,
///   the peak is the sample with the largest total and the amplification 1.
package struct DistressFigures: Sendable, Equatable {
    package struct Mark: Sendable, Equatable {
        package var entity: String
        package var markdown: Int64, markedEquity: Int64, payment: Int64
    }

    package var peak: Int64? = nil
    package var shock: Int64 = 0
    package var total: Int64 = 0
    /// total / shock × 10^8 (0 when there is no shock).
    package var amplification: Int64 = 0
    /// Entities whose claims were marked down at the peak, or that could not pay all they owe.
    package var marks: [Mark] = []

    package init(metrics: [EntityMetrics], names: [String]) {
        guard let first = metrics.first?.time else { return }
        var start: [Int: Int64] = [:] // lookups only
        for m in metrics where m.time == first { start[m.entity] = m.equity.raw }
        func loss(_ e0: Int64, _ e: Int64) -> Int64 { min(e0, max(0, e0 - e)) }
        var i = 0
        while i < metrics.count {
            let t = metrics[i].time
            var shock: Int64 = 0, total: Int64 = 0
            var j = i
            while j < metrics.count && metrics[j].time == t {
                let m = metrics[j]
                if let e0 = start[m.entity], e0 > 0 {
                    shock += loss(e0, m.equity.raw)
                    total += loss(e0, m.markedEquity.raw)
                }
                j += 1
            }
            let extra = total - shock, best = self.total - self.shock
            if peak == nil || extra > best || (extra == 0 && best == 0 && total > self.total) {
                peak = t; self.shock = shock; self.total = total
                marks = metrics[i..<j].filter { $0.markedEquity != $0.equity || $0.payment < .one }.map {
                    Mark(entity: names[$0.entity], markdown: ($0.equity - $0.markedEquity).raw, markedEquity: $0.markedEquity.raw, payment: $0.payment.raw)
                }
            }
            i = j
        }
        amplification = shock > 0 ? Fixed.ratio(total, shock) : 0
    }

    package var json: JSON {
        .object([
            ("peak", .time(peak)), ("shock", .fixed(shock)), ("total", .fixed(total)), ("amplification", .fixed(amplification)),
            ("marked", .object(marks.map { m in
                (m.entity, .object([("markdown", .fixed(m.markdown)), ("markedEquity", .fixed(m.markedEquity)), ("payment", .fixed(m.payment))]))
            })),
        ])
    }
}
