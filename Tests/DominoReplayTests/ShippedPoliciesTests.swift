import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// The shipped policy sets are compiled in (scripts/embed-policies.sh): a name finds them from a
/// spec anywhere, and the compiled text is the file's (this fails until the script is rerun
/// after a set is edited).
@Suite struct ShippedPoliciesTests {
    @Test func compiledSetsEqualTheFiles() throws {
        let dir = "\(Episodes.root)/replays/policies"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(ShippedPolicies.sets.map(\.name) == names)
        for name in names {
            let file = try String(contentsOfFile: "\(dir)/\(name).yaml", encoding: .utf8)
            #expect(ShippedPolicies.yaml(name).map { $0 + "\n" } == file, "\(name): rerun scripts/embed-policies.sh")
        }
    }

    @Test func aNameIsFoundFromASpecAnywhereAndALocalSetWins() throws {
        let dir = TempDir()
        let spec = try dir.write("elsewhere/spec.yaml", "name: x\n")
        let shipped = try PolicySet.find("no-rehypothecation", specPath: spec)
        #expect(shipped.set.name == "no-rehypothecation")
        #expect(shipped.set.fields.map(\.key) == ["rehypothecationCap"])
        try dir.write("elsewhere/policies/no-rehypothecation.yaml", "name: local\npolicy:\n  liquidityBuffer: 0.5\n")
        let local = try PolicySet.find("no-rehypothecation", specPath: spec)
        #expect(local.set.name == "local" && local.set.fields.map(\.key) == ["liquidityBuffer"])
        #expect { try PolicySet.find("no-rehypothecaton", specPath: spec) } throws: {
            ($0 as? SpecError)?.file == "--policy no-rehypothecaton" && ($0 as? SpecError)?.message.hasSuffix("did you mean 'no-rehypothecation'?") == true
        }
    }
}
