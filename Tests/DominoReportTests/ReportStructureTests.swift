import DominoLog
import DominoModel
import DominoReplay
@testable import DominoReport
import Foundation
import Testing

/// Golden tests of the SVG structure on the hand-computed episode. Window 1–10 June; L halts
/// at 12:00 on 2 June (100 left for the 200 asked), F is insolvent when ETH halves at 00:00 on
/// 3 June and defaults when L's recall (72h notice) falls due at 12:00 on 5 June; L recognises
/// the 200 loss then and is insolvent.
@Suite struct ReportStructureTests {
    @Test func theReplayForTheReportReachesTheSameStateAsReplayRun() throws {
        let e = try Episode()
        let captured = try CapturedRun.replay(e.spec(), label: "small")
        let plain = try Replay.run(e.spec())
        #expect(captured.run.finalHash == plain.finalHash)
        #expect(captured.run.entityMetrics == plain.entityMetrics)
        // One snapshot per metrics interval (1 day) from 1 to 10 June.
        #expect(captured.snapshots.map(\.time) == (0..<10).map { Episode.t("2022-06-01T00:00:00Z") + Int64($0) * 86_400_000 })
    }

    @Test func timelineMarkersSitAtTheFailureTimes() throws {
        let e = try Episode()
        let r = try CapturedRun.replay(e.spec(), label: "small")
        let view = RunView(runs: [r])
        let svg = view.timeline().body
        // Plot from x = 110 to 884 over 10 days (to: 2022-06-10 covers that day): 77.4 px a day.
        let dots = elements(svg, tag: "circle", cls: "evdot").map { Double($0["cx"]!)! }
        // L's halt and insolvency, F's default and insolvency, then the legend's four dots.
        #expect(dots.count == 8)
        let markers = Array(dots.prefix(4))
        let expected: [Double] = [226.1, 458.3, 458.3, 458.3] // 110 + 77.4 × 1.5, 4.5, 4.5 and 4.5 days
        #expect(markers == expected)
        // Rows: L and F (no pools).
        #expect(svg.components(separatedBy: "class=\"rowlabel\"").count - 1 == 2)
    }

    @Test func priceAxisRunsFromZeroToOneHundredPercent() throws {
        let e = try Episode()
        let r = try CapturedRun.replay(e.spec(), label: "small")
        let html = RunView(runs: [r]).sections().first { $0.id == "prices" }!.body
        let ticks = elements(html, tag: "text", cls: "tick")
        #expect(ticks.count == 6 + 5) // 0…100% by 20, and a date every other day (1, 3, 5, 7, 9 June)
        // y = 0% at the plot's bottom (320 − 36 = 284), 100% at its top (40); ETH ends at 50%.
        let grid = elements(html, tag: "line", cls: "grid").map { Double($0["y1"]!)! }
        #expect(grid == [284, 235.2, 186.4, 137.6, 88.8, 40])
        let lines = elements(html, tag: "polyline", cls: "series")
        #expect(lines.count == 2)
        let eth = lines[1]["points"]!.split(separator: " ")
        #expect(eth.first!.hasSuffix(",40") && eth.last!.hasSuffix(",162"))
        // Markers: L halts, F insolvent, F defaults, L insolvent.
        #expect(elements(html, tag: "line", cls: "marker").count == 4)
    }

    @Test func networkHasTwoNodesAndTheLoanUntilTheDefault() throws {
        let e = try Episode()
        let r = try CapturedRun.replay(e.spec(), label: "small")
        #expect(r.snapshots.map { $0.edges.count } == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
        #expect(r.snapshots[0].edges[0] == Snapshot.Edge(key: .init(from: 0, to: 1, kind: 0), usd: 600 * Fixed.one))
        let html = RunView(runs: [r]).network().body
        #expect(elements(html, tag: "circle").filter { ($0["id"] ?? "").hasPrefix("net0-n") }.count == 2)
        let edges = elements(html, tag: "path", cls: "edge")
        #expect(edges.count == 1)
        // Drawn at the last moment: the loan has defaulted, so the edge is hidden.
        #expect(edges[0]["visibility"] == "hidden" && edges[0]["stroke-width"] == "0")
        // Layers by failure order: L (halted 2 June) left of F (insolvent 3 June).
        let l = elements(html, tag: "circle").first { $0["id"] == "net0-n0" }!, f = elements(html, tag: "circle").first { $0["id"] == "net0-n1" }!
        #expect(Double(l["cx"]!)! < Double(f["cx"]!)!)
        // Statuses at the end: L insolvent (st2), F defaulted (st3).
        #expect(l["class"] == "st2" && f["class"] == "st3")
        // The scrubber's data: ten moments, one edge of $600 in the first five.
        #expect(html.contains("\"u\":1,"))
        #expect(html.contains("\"w\":[[600],[600],[600],[600],[600],[0],[0],[0],[0],[0]]"))
    }

    @Test func lossFlowRunsFromFsDefaultThroughLToTheDepositors() throws {
        let e = try Episode()
        let r = try CapturedRun.replay(e.spec(), label: "small")
        let sankey = RunView.lossSankey(r, id: "x")
        #expect(sankey.nodes.map(\.name) == ["L", "default of F", "retail"])
        #expect(sankey.flows.map { [$0.from, $0.to] } == [[1, 0], [0, 2]])
        #expect(sankey.flows.map(\.value) == [200 * Fixed.one, 200 * Fixed.one])
        #expect(elements(sankey.render(), tag: "path", cls: "flow").count == 2)
    }

    @Test func everyViewOfTheRunHasATitleAnExplanationAndItsChart() throws {
        let e = try Episode()
        let r = try CapturedRun.replay(e.spec(), label: "small")
        let sections = RunView(runs: [r]).sections()
        #expect(sections.map(\.id) == ["prices", "network", "timeline", "equity", "liquid", "coverage", "withdrawals", "lossflow", "losses", "liquidations", "reuse", "trace"])
        for s in sections {
            #expect(!s.title.isEmpty && !s.explanation.isEmpty && s.body.contains("<svg"), "\(s.id)")
        }
    }

    @Test func aCounterfactualPairDrawsBothRunsAndShadesTheGap() throws {
        let e = try Episode()
        let base = try CapturedRun.replay(e.spec(), label: "A")
        let cf = try CapturedRun.replay(e.spec([Overrides.Assignment("entities.L.liquid.USDC=1000")!]), label: "B", reference: base.run.model.trace)
        let sections = RunView(runs: [base, cf]).sections()
        let equity = sections.first { $0.id == "equity" }!.body
        #expect(elements(equity, tag: "polyline", cls: "series").count == 4) // L and F, A and B
        #expect(elements(equity, tag: "polygon", cls: "gap").count == 2)
        let network = sections.first { $0.id == "network" }!.body
        #expect(network.contains("id=\"net0\"") && network.contains("id=\"net1\""))
    }

    @Test func theReportIsTheSameBytesEachTime() throws {
        let e = try Episode()
        func page() throws -> String {
            let r = try CapturedRun.replay(e.spec(), label: "small")
            return ReportPage(title: "t", subtitle: [], sections: RunView(runs: [r]).sections()).html
        }
        #expect(try page() == page())
    }
}
