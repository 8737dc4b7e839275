/// Pieces the charts share: a clickable legend row and the vertical grid of a value axis.
extension SVG {
    /// One legend entry per name, left to right from `left` on the baseline `y`: a swatch of
    /// class `swatch` (its colour class given per entry) and the name; entries are `gap` plus
    /// 7.2 px per character apart, and stop before `limit` when one is given. `data-t` is the
    /// entry's index, which the page's script uses to toggle series `data-s` of the same index.
    package mutating func legend(_ entries: [(name: String, swatch: String)], left: Double, y: Double, gap: Double,
                                 limit: Double? = nil) {
        var lx = left
        for (k, entry) in entries.enumerated() {
            open("g", [("class", "legend"), ("data-t", "\(k)"), ("transform", "translate(\(SVG.num(lx)),\(SVG.num(y)))")])
            rect(0, -8, 14, 8, "swatch \(entry.swatch)")
            label(18, 0, entry.name, "legendtext")
            close("g")
            lx += gap + Double(entry.name.count) * 7.2
            if let limit, lx > limit { break }
        }
    }

    /// The vertical grid lines and tick labels of a horizontal value axis over `range`, from
    /// `top` to `bottom`.
    package mutating func valueGrid(_ x: Scale, _ range: (lo: Double, hi: Double, step: Double), top: Double, bottom: Double,
                                    unit: String) {
        for v in Scale.ticks(range.lo, range.hi, step: range.step) {
            line(x(v), top, x(v), bottom, "grid")
            label(x(v), bottom + 14, Units.tick(v, unit: unit), "tick", anchor: "middle")
        }
    }
}
