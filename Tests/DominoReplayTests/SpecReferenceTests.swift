import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// docs/spec.md against the parser: every key the parser accepts is documented (a row of one of
/// its tables), every documented key is accepted, and the example at its top runs as it says.
///
/// The accepted keys are read from the parser's sources: every `allowed:` argument of
/// `SpecNode.record` in Sources/DominoReplay, either a literal list or a named key list
/// (`topKeys`, `policyKeys`, `flowKeys`…) whose definition is found there. An `allowed:` argument
/// of any other form fails the test, so a key cannot be added out of its sight.
@Suite struct SpecReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static func strings(in text: Substring) -> [String] {
        text.matches(of: /"([^"]*)"/).map { String($0.output.1) }
    }

    /// (source file, key) for every key an `allowed:` list of the replay module's sources holds.
    static func acceptedKeys() throws -> [(file: String, key: String)] {
        let dir = root.appendingPathComponent("Sources/DominoReplay")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }.sorted()
        var sources: [(String, String)] = []
        for f in files { sources.append((f, try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8))) }
        // Named key lists: `static let NAME = [ "a", "b", ... ]` (possibly over several lines).
        var named: [String: [String]] = [:]
        for (_, text) in sources {
            for m in text.matches(of: /static let (\w+)(?:\s*:\s*\[String\])?\s*=\s*\[([^\]]*)\]/) {
                named[String(m.output.1)] = strings(in: m.output.2)
            }
        }
        var out: [(String, String)] = []
        for (file, text) in sources {
            for m in text.matches(of: /allowed:\s*(\[[^\]]*\]|[\w.]+)/) {
                let argument = m.output.1
                if argument.hasPrefix("[") {
                    for key in strings(in: argument) { out.append((file, key)) }
                } else {
                    let name = String(argument.split(separator: ".").last!)
                    guard let keys = named[name] else {
                        Issue.record("\(file): 'allowed: \(argument)' is not a literal list nor a key list defined in Sources/DominoReplay")
                        continue
                    }
                    for key in keys { out.append((file, key)) }
                }
            }
        }
        return out
    }

    /// Keys documented in docs/spec.md: the first cell of a table row, in backticks; a dotted
    /// path (`halt.horizon`) documents its last key too.
    static func documentedKeys() throws -> Set<String> {
        var keys: Set<String> = []
        for line in try read("docs/spec.md").split(separator: "\n") {
            guard let m = line.firstMatch(of: /^\|\s*`([^`]+)`\s*\|/) else { continue }
            let path = String(m.output.1)
            keys.insert(path)
            if let last = path.split(separator: ".").last { keys.insert(String(last)) }
        }
        return keys
    }

    @Test func everyKeyTheParserAcceptsIsDocumented() throws {
        let accepted = try Self.acceptedKeys()
        let documented = try Self.documentedKeys()
        #expect(accepted.count > 80) // the scan found the parser's lists
        for (file, key) in accepted where !documented.contains(key) {
            Issue.record("'\(key)' (accepted in Sources/DominoReplay/\(file)) has no row in docs/spec.md")
        }
        // The parser's own lists are among them.
        let keys = Set(accepted.map(\.key))
        for key in Spec.topKeys + Spec.policyKeys + Spec.flowKeys { #expect(keys.contains(key), "\(key)") }
    }

    @Test func everyDocumentedKeyIsAccepted() throws {
        let accepted = Set(try Self.acceptedKeys().map(\.key))
        for key in try Self.documentedKeys() where !key.contains(".") && !accepted.contains(key) {
            Issue.record("docs/spec.md documents '\(key)', which the parser does not accept")
        }
    }

    /// The example at the top of docs/spec.md: L holds 400 USDC against 1,000 of claims, is asked
    /// for 500 on 2 June at noon, pays 400 and halts with 100 USDC pending (frozen: the halt's
    /// amount, in USD at the price of the moment).
    @Test func theFirstExampleRunsAsDescribed() throws {
        let doc = try Self.read("docs/spec.md")
        let example = try #require(doc.firstMatch(of: /```yaml\n([\s\S]*?)```/)).output.1
        let dir = TempDir()
        let prices = Self.root.appendingPathComponent("datasets/prices-2022.zst").path
        let text = String(example).replacingOccurrences(of: "../datasets/prices-2022.zst", with: prices)
        #expect(text != String(example))
        let run = try Replay.run(try Replay.loadSpec(path: try dir.write("first.yaml", text)))
        let halts = run.outcomes.filter { $0.kind == .halt }
        #expect(halts.count == 1)
        #expect(halts.first.map { UTCTime.format($0.time) } == "2022-06-02T12:00:00Z")
        #expect(run.model.state.agents[0].liquid[0] == .zero)
        let retail = run.model.state.cohorts[0]
        #expect(retail.claims[0] == Quantity(600 * Fixed.one)) // 1,000 less the 400 paid
        #expect(halts.first?.usd == retail.frozenRequests)
        #expect((99 * Fixed.one...101 * Fixed.one).contains(retail.frozenRequests.raw)) // 100 USDC at about $1
    }
}
