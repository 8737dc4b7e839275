@testable import DominoReport
import Testing

@Suite struct ChartTests {
    @Test func numbersAreWrittenWithOneDecimalAtMost() {
        #expect(SVG.num(12) == "12")
        #expect(SVG.num(12.25) == "12.3")
        #expect(SVG.num(-3.04) == "-3")
        #expect(SVG.num(-0.06) == "-0.1")
        #expect(SVG.num(.nan) == "0")
    }

    @Test func axesRoundToNiceSteps() {
        #expect(Scale.nice(0, 100).step == 20)
        #expect(Scale.nice(-72.9, 1_300).lo == -500 && Scale.nice(-72.9, 1_300).hi == 1_500)
        #expect(Scale.ticks(0, 1, step: 0.25) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test func percentilesAreNearestRank() {
        let values = (1...100).map(Double.init)
        #expect(DistributionChart.percentile(values, 95) == 95 && DistributionChart.percentile(values, 99) == 99)
        #expect(DistributionChart.percentile([3, 1, 2], 95) == 3)
    }

    @Test func layersFollowTheFailureOrder() {
        let day: Int64 = 86_400_000
        #expect(NetworkChart.layers(failureTimes: [3 * day, nil, day, day + 5, nil]) == [1, 2, 0, 0, 2])
    }

    @Test func scorecardPlacesDotsInTolerances() {
        let chart = ScorecardChart(id: "s", title: "s", rows: [.init(label: "a", error: 0.5, result: "pass", note: ""), .init(label: "b", error: -9, result: "FAIL", note: "")])
        // Axis −3…+3 over x = 200…720.
        let dots = elements(chart.render(), tag: "circle", cls: "scoredot").dropLast(3).map { Double($0["cx"]!)! }
        let expected: [Double] = [503.3, 200] // 200 + 520 × 3.5 / 6 (one decimal), and −9 clamped to −3
        #expect(dots == expected)
    }

    @Test func theScrubberUnitKeepsFiveDigits() {
        #expect(Scrubber.unit(max: 1_000 * 100_000_000) == 100_000_000)
        #expect(Scrubber.unit(max: 10_000_000_000 * 100_000_000) == 1_000_000 * 100_000_000)
    }
}
