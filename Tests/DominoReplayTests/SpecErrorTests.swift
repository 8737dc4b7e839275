import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

@Suite struct SpecErrorTests {
    let dir = TempDir()

    func error(_ spec: String) throws -> SpecError? {
        let path = try SmallEpisode.make(in: dir, spec: spec)
        do { _ = try Replay.run(try Replay.loadSpec(path: path)); return nil } catch let e as SpecError { return e }
    }

    func replacing(_ a: String, _ b: String) -> String {
        let s = SmallEpisode.spec.replacingOccurrences(of: a, with: b)
        precondition(s != SmallEpisode.spec, "fixture text not found: \(a)")
        return s
    }

    @Test func unknownKeyWithDidYouMean() throws {
        let e = try #require(try error(replacing("  swapFee: 0", "  swapFe: 0")))
        #expect(e.line == 11)
        #expect(e.message.hasPrefix("unknown key 'swapFe' in 'model'; did you mean 'swapFee'?"))
        #expect(e.description.hasPrefix(dir.file("small.yaml") + ":11: unknown key"))
    }

    @Test func wrongType() throws {
        let e = try #require(try error(replacing("liquid: {USDC: 400}", "liquid: {USDC: lots}")))
        #expect(e.line == 21)
        #expect(e.message == "'entities.L.liquid.USDC' must be a number, got 'lots'")
    }

    @Test func danglingReference() throws {
        let e = try #require(try error(replacing("{lender: L, borrower: F,", "{lender: L, borrower: FF,")))
        #expect(e.line == 28)
        #expect(e.message == "a loan names unknown entity 'FF'; did you mean 'F'?")
    }

    @Test func missingDataset() throws {
        let e = try #require(try error(replacing("  - data.zst", "  - nowhere.zst")))
        #expect(e.line == 5)
        #expect(e.message.hasPrefix("dataset 'nowhere.zst' not found"))
    }

    @Test func unknownRoleAndMetric() throws {
        let e = try #require(try error(replacing("role: fund", "role: fnd")))
        #expect(e.message.hasPrefix("unknown role 'fnd'; did you mean 'fund'?"))
        #expect(e.line == 23)
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let e = try #require(try error(replacing("window: {from: 2022-06-01, to: 2022-06-10}", "window: {from: 2022-06-01, to: [2022-06-10}")))
        #expect(e.line != nil)
        #expect(e.message.hasPrefix("YAML syntax error"))
    }

    @Test func badOverridesAreRefusedLikeTheFile() throws {
        let path = try SmallEpisode.make(in: dir)
        #expect(throws: SpecError.self) { try Replay.loadSpec(path: path, overrides: [.init(path: "entities.L.policy.rehypothecationCapp", value: "0")]) }
        do { _ = try Replay.loadSpec(path: path, overrides: [.init(path: "entities.L.policy.rehypothecationCapp", value: "0")]) } catch let e as SpecError {
            #expect(e.message.contains("did you mean 'rehypothecationCap'?"))
        }
        do { _ = try Replay.loadSpec(path: path, overrides: [.init(path: "seed", value: "-3")]) } catch let e as SpecError {
            #expect(e.message == "'seed' must not be negative")
        }
    }

    @Test func durationsAndShares() {
        #expect(SpecNode.parseDuration("1d12h") == 36 * hour)
        #expect(SpecNode.parseDuration("90s") == 90_000)
        #expect(SpecNode.parseDuration("0") == 0)
        #expect(SpecNode.parseDuration("12") == nil)
        #expect(SpecNode.parseDuration("h") == nil)
        #expect(SpecNode.parseDuration("3x") == nil)
    }
}
