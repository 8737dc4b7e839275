import DominoModel
import DominoReplay
import DominoTestFixtures
import Testing

/// The exposure network a run records (`network.csv`, `summary.json`'s `network`), on the
/// hand-computed episode.
@Suite struct NetworkTests {
    /// The only edge is L's unsecured loan of 600 USDC to F. Until ETH halves F holds 0.4 ETH
    /// = $800 against $600 owed: it could pay in full. From 3 June it holds $400 against $600:
    /// it pays 400/600 = 0.66666666 (8 decimals, rounded down) and the loan is marked at
    /// 600 × 0.66666666 = 399.999996. F defaults on 5 June at 12:00; no edge is left after.
    @Test func episodeEdgesAreTheLoanMarkedByTheClearing() throws {
        let dir = try TempDir()
        let path = try SmallEpisode.make(in: dir)
        let run = try Replay.run(try Replay.loadSpec(path: path))
        #expect(RunOutput.networkCSV(run) == """
        time,lender,borrower,kind,asset,nominal,collateral,marked,loss
        2022-06-01T00:00:00Z,L,F,loan,USDC,600,0,600,0
        2022-06-02T00:00:00Z,L,F,loan,USDC,600,0,600,0
        2022-06-03T00:00:00Z,L,F,loan,USDC,600,0,600,0
        2022-06-04T00:00:00Z,L,F,loan,USDC,600,0,399.999996,200.000004
        2022-06-05T00:00:00Z,L,F,loan,USDC,600,0,399.999996,200.000004

        """)
        #expect(run.network.allSatisfy { $0.lender == 0 && $0.borrower == 1 && $0.kind == .loan && $0.asset == 0 })
        // The final network (summary.json) is empty: the loan closed with F's default.
        #expect(Summary(run: run).json.render().contains("\"network\":[]"))
    }

    /// The loan secured by 0.1 ETH pledged besides F's 0.4 ETH: the covered part keeps its value
    /// and only the rest is marked. Before 3 June the collateral is worth $200; F's uncovered
    /// liabilities are 400, its assets outside the covered part 800 + 200 − 200 = 800: pays in
    /// full. From 3 June: collateral $100, uncovered 500, assets 400 + 100 − 100 = 400, so F pays
    /// 400/500 = 0.8 and the loan is marked 100 + 500 × 0.8 = 500.
    @Test func securedPartOfALoanIsNotMarkedDown() throws {
        let dir = try TempDir()
        let text = SmallEpisode.spec.replacingOccurrences(of: "amount: 600, notice: 72h}", with: "amount: 600, collateral: {ETH: 0.1}, notice: 72h}")
        let path = try SmallEpisode.make(in: dir, spec: text)
        let run = try Replay.run(try Replay.loadSpec(path: path))
        #expect(RunOutput.networkCSV(run) == """
        time,lender,borrower,kind,asset,nominal,collateral,marked,loss
        2022-06-01T00:00:00Z,L,F,loan,USDC,600,200,600,0
        2022-06-02T00:00:00Z,L,F,loan,USDC,600,200,600,0
        2022-06-03T00:00:00Z,L,F,loan,USDC,600,200,600,0
        2022-06-04T00:00:00Z,L,F,loan,USDC,600,100,500,100
        2022-06-05T00:00:00Z,L,F,loan,USDC,600,100,500,100

        """)
    }

    /// F also holds 0.1 ETH at venue L and has given L a 50 USD credit line, which L draws when
    /// it runs short on 2 June (100 left for 200 asked). Until ETH halves everyone pays in full:
    /// the venue claim is 0.1 × $2,000 = $200 at par, the drawn line $50 at par. Ordered by
    /// lender id (L = 0 before F = 1), then borrower, then kind. Every mark is the borrower's
    /// payment share of the clearing (metrics.csv's `payment`) applied as `Distress` does.
    @Test func venueAndCreditLineEdges() throws {
        let dir = try TempDir()
        var text = SmallEpisode.spec.replacingOccurrences(of: "    liquid: {ETH: 0.4}\n", with: "    liquid: {ETH: 0.4}\n    deployments:\n      - {label: at L, asset: ETH, quantity: 0.1, venue: L}\n")
        text += "creditLines:\n  - {borrower: L, provider: F, amount: 50, from: 2022-05-01, source: test}\n"
        let path = try SmallEpisode.make(in: dir, spec: text)
        let run = try Replay.run(try Replay.loadSpec(path: path))
        let csv = RunOutput.networkCSV(run)
        #expect(csv.hasPrefix("""
        time,lender,borrower,kind,asset,nominal,collateral,marked,loss
        2022-06-01T00:00:00Z,L,F,loan,USDC,600,0,600,0
        2022-06-01T00:00:00Z,F,L,venue,ETH,200,0,200,0
        2022-06-02T00:00:00Z,L,F,loan,USDC,600,0,600,0
        2022-06-02T00:00:00Z,F,L,venue,ETH,200,0,200,0
        2022-06-03T00:00:00Z,L,F,loan,USDC,600,0,600,0
        2022-06-03T00:00:00Z,F,L,venue,ETH,200,0,200,0
        2022-06-03T00:00:00Z,F,L,creditLine,,50,0,50,0

        """))
        var payment: [Int64: [Int: Ratio]] = [:]
        for m in run.entityMetrics { payment[m.time, default: [:]][m.entity] = m.payment }
        #expect(run.network.contains { $0.kind == .venue } && run.network.contains { $0.kind == .creditLine })
        for e in run.network {
            let p = payment[e.time]![e.borrower]!
            let secured = min(e.nominal, e.collateral)
            #expect(e.marked == secured + (e.nominal - secured).scaled(by: p), "\(e)")
        }
        // Once ETH halves the venue claim is 0.1 × $1,000 = $100, marked below par.
        #expect(run.network.contains { $0.kind == .venue && $0.nominal == USD(100 * one) && $0.marked < $0.nominal })
    }

    /// Edges are ordered by lender, borrower, kind and asset whatever the state's order.
    @Test func edgesAreOrdered() {
        #expect(NetworkEdge.Kind.allCases.sorted() == [.loan, .venue, .creditLine])
    }
}
