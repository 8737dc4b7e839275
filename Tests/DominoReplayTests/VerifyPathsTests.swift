import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// `domino verify --paths` (issue 17 §3) on the small episode (Tests/DominoTestFixtures): L pays
/// 300 of its depositors' claims on 1 June and halts on 2 June; F (0.4 ETH, $400 after the crash
/// on 3 June) defaults on the 600 it owes L, which loses 600 − 1,000 × F's ETH.
@Suite struct VerifyPathsTests {
    /// Two assumptions: the depositors' claims (range, so the 1 June outflow is 300 / claims) and
    /// F's ETH (scale, so L's loss is 600 − 1,000 × 0.4 × the multiplier).
    static func spec(_ outcomes: String) -> String {
        "# verify paths tests\nname: small\n" + SmallEpisodeFixture.body + """
        assumptions:
          - {name: claims, path: "cohorts[0].claims.USDC", range: [800, 1200], why: "a test range"}
          - {name: fund-eth, path: entities.F.liquid, scale: [0.5, 1.25], why: "a test range"}
        outcomes:

        """ + outcomes
    }

    static let rows = """
      - {id: l-halt, metric: halt, entity: L, date: 2022-06-02, class: held-out, why: w, source: s}
      - {id: l-outflow, metric: outflow, entity: L, from: 2022-06-01, to: 2022-06-02, value: 30%, class: fitted, why: w, source: s}
      - {id: l-outflow-high, metric: outflow, entity: L, from: 2022-06-01, to: 2022-06-02, value: 36%, class: held-out, why: w, source: s}
      - {id: l-loss, metric: loss, entity: L, value: 200, tolerance: 10%, class: derived, why: w, source: s}

    """

    static func verify(_ dir: TempDir, paths: Int, jobs: Int, seed: UInt64 = 11) throws -> Verification {
        let path = try SmallEpisode.make(in: dir, spec: spec(rows))
        return Verification(runs: try VerifyRun.runPaths(path: path, overrides: [], count: paths, pathsSeed: seed, jobs: jobs), pathsSeed: seed)
    }

    /// The draws by hand: claims C = 800 + 400·u rounded to a whole number, F's multiplier
    /// m = 0.5 + 0.75·u′. The 1 June outflow is 300 / C: within 30% ± 5 points when 25·C ≤
    /// 30,000 ≤ 35·C, within 36% ± 5 when 300 / C ≥ 31%. L's loss is 600 − 400·m.
    @Test func theShareWithinToleranceFollowsTheDraws() throws {
        let dir = TempDir(prefix: "domino-verify-paths")
        let n = 8, seed: UInt64 = 11
        let v = try Self.verify(dir, paths: n, jobs: 1, seed: seed)
        var claims: [Int64] = [], multipliers: [Int64] = []
        for k in 0..<n {
            let u = PathRandom.assumptionShares(seed: seed, path: k, count: 2)
            claims.append((800 * Fixed.one + 400 * u[0] + Fixed.one / 2) / Fixed.one)
            multipliers.append(Fixed.one / 2 + Int64(Int128(75_000_000) * Int128(u[1]) / Int128(Fixed.one)))
        }
        #expect(claims.allSatisfy { (800...1200).contains($0) } && Set(claims).count > 1)
        // Every path: L halts on 2 June (100 left for the 200 asked, whatever the claims).
        #expect(v.rows[0].within == n && v.rows[0].interval == "2022-06-02" && v.rows[0].median == "2022-06-02")
        let within30 = claims.filter { 25 * $0 <= 30_000 && 30_000 <= 35 * $0 }.count
        let within36 = claims.filter { 30_000 * 100 >= 31 * 100 * $0 }.count
        #expect(v.rows[1].within == within30)
        #expect(v.rows[2].within == within36)
        // 36% is reached only by the smaller claims: a narrow pass (on these draws, 2 of 8).
        #expect(0 < within36 && within36 * 2 <= n && v.rows[2].result == "narrow (\((within36 * 100 + n / 2) / n)%)")
        #expect(within30 * 2 > n && v.rows[1].result == "pass")
        #expect(v.rows[1].seeds == n && v.rows[1].byPaths)
        // Outflows at the 5th and 95th percentile (nearest rank of 8: the 1st and the 8th):
        // 300 / the largest and the smallest claims.
        func pct(_ c: Int64) -> String { OutcomeMeasure.share(Fixed.mulDiv(300 * Fixed.one, Fixed.one, c * Fixed.one), decimals: 1) }
        #expect(v.rows[1].low == pct(claims.max()!) && v.rows[1].high == pct(claims.min()!))
        // The derived row's interval: 600 − 400·m at the largest and the smallest multiplier.
        func loss(_ m: Int64) -> String { Summary.dollars(600 * Fixed.one - Fixed.mulDiv(400 * Fixed.one, m, Fixed.one)) }
        #expect(v.rows[3].outcomeClass == .derived)
        #expect(v.rows[3].low == loss(multipliers.max()!) && v.rows[3].high == loss(multipliers.min()!))
        let losses = multipliers.map { 400 * Fixed.one - Fixed.mulDiv(400 * Fixed.one, $0, Fixed.one) } // loss − 200
        #expect(v.rows[3].within == losses.filter { abs($0) * 10 <= 200 * Fixed.one }.count)
        // Each path's model seed is its own.
        #expect(v.seeds == (0..<n).map { PathRandom.behaviourSeed(seed: seed, path: $0) })
        #expect(v.json.render(pretty: true).contains("\"pWithin\": \"\(v.rows[1].percentWithin)\""))
    }

    /// A row within tolerance on some paths but not on most is "narrow (P%)", and fails.
    @Test func narrowPasses() throws {
        func row(_ statuses: [OutcomeMeasure.Status], paths: Bool) -> Verification.Row {
            Verification.Row(id: "x", entity: "L", metric: "halt", outcomeClass: .heldOut, expected: "", tolerance: "", source: "", why: "",
                             gap: nil, measures: statuses.map { OutcomeMeasure(status: $0, modelled: "") }, scaledError: nil, medianError: "",
                             byPaths: paths)
        }
        let some: [OutcomeMeasure.Status] = [.within] + Array(repeating: .outside, count: 7)
        #expect(row(some, paths: true).result == "narrow (13%)" && row(some, paths: true).fails)
        #expect(row(some, paths: false).result == "FAIL") // over seeds, as before
        #expect(row(Array(repeating: .outside, count: 8), paths: true).result == "FAIL")
        #expect(row([.within, .within, .outside, .outside], paths: true).result == "narrow (50%)") // half is not most
        #expect(row([.within, .within, .outside], paths: true).result == "pass")
        #expect(Verification.quantiles([3, nil, 1, 2], [5, 50, 95]) == [1, 2, nil])
        #expect(Verification.quantiles((1...20).map { Int64($0) }, [5, 50, 95]) == [1, 10, 19])
    }

    /// The paths and their result do not depend on the job count.
    @Test func jobsDoNotChangeTheResult() throws {
        let dir = TempDir(prefix: "domino-verify-paths")
        let one = try Self.verify(dir, paths: 4, jobs: 1)
        let two = try Self.verify(dir, paths: 4, jobs: 2)
        #expect(one.json.render(pretty: true) == two.json.render(pretty: true))
        #expect(Verification.table([one]) == Verification.table([two]))
        #expect(Verification.table([one]).contains("5–95%") && Verification.table([one]).contains("P(in tol)"))
    }

    /// A drawn value the spec refuses names the path, the assumption and the value.
    @Test func aRefusedDrawNamesThePathAndTheAssumption() throws {
        let dir = TempDir(prefix: "domino-verify-paths")
        // Members drawn from [0, 0.4] round to 0: a cohort needs at least one.
        let text = Self.spec(Self.rows).replacingOccurrences(of: "  - {name: fund-eth",
                                                             with: "  - {name: members, path: \"cohorts[0].members\", range: [0, 0.4], why: w}\n  - {name: fund-eth")
        let path = try SmallEpisode.make(in: dir, spec: text)
        do {
            _ = try VerifyRun.runPaths(path: path, overrides: [], count: 2, pathsSeed: 1, jobs: 1)
            Issue.record("a cohort of no members was accepted")
        } catch let e as SpecError {
            #expect(e.message.hasPrefix("path 0: assumption 'members' drew 0."), "\(e.message)")
            #expect(e.message.contains("(cohorts[0].members=0)") && e.message.contains("from 1 to"), "\(e.message)")
        }
    }
}
