@testable import DominoReport
import Testing

/// Issue 17 §4: the tornado chart of `domino sensitivity --html`.
@Suite struct TornadoChartTests {
    /// μ* of 30, 10 and 0 on an axis of 0 … 30 over x = 220 … 820: bars of 600, 200 and 0
    /// pixels, top to bottom in the given (ranked) order; σ bars under them at the same scale.
    @Test func barsAreRankedAndProportional() {
        let chart = TornadoChart(id: "t", title: "halt", unit: "days",
                                 rows: [("a", 30, 6), ("b", 10, 0), ("c", 0, 0)])
        #expect(chart.range.hi == 30)
        let svg = chart.render()
        let mu = elements(svg, tag: "rect", cls: "c0").filter { $0["data-v"] != nil }
        #expect(mu.map { $0["width"]! } == ["600", "200", "0"])
        #expect(mu.map { Double($0["y"]!)! } == [38, 64, 90])
        let sigma = elements(svg, tag: "rect", cls: "c3").filter { $0["data-v"] != nil }
        #expect(sigma.map { $0["width"]! } == ["120", "0", "0"])
        #expect(svg.contains(">a</text>") && svg.contains("μ* (mean |effect|)"))
    }

    /// Nothing moves the outcome: an axis of 0 … 1, zero-width bars, no NaN.
    @Test func allZeroEffectsDrawAnEmptyChart() {
        let svg = TornadoChart(id: "t", title: "x", unit: "USD", rows: [("a", 0, 0)]).render()
        #expect(!svg.contains("NaN") && !svg.contains("nan"))
        #expect(elements(svg, tag: "rect", cls: "c0").filter { $0["data-v"] != nil }.map { $0["width"]! } == ["0"])
    }
}
