import DominoModel

/// What puts a generated path in place of the record (`domino stress --generator NAME`): given a
/// path's key, its prices and shocks. Built once per study from the spec (and its recorded
/// data); `inputs` is pure and keyed by (seed, path) only (`PathRandom`), so path k is the same on
/// any machine, shard or job count.
package protocol PriceGenerator: Sendable {
    /// What the generator is, with its options, as stored with the results ("recorded",
    /// "bootstrap block=24h", …).
    var description: String { get }
    /// The prices and shocks of path `path`.
    func inputs(seed: UInt64, path: Int) throws -> PathInputs
}

/// The record itself: every path keeps the recorded prices (only the assumptions and the
/// depositors' randomness vary). `domino verify --paths` and `domino sensitivity` use it.
package struct RecordedPrices: PriceGenerator {
    package init() {}
    package var description: String { "recorded" }
    package func inputs(seed: UInt64, path: Int) throws -> PathInputs { .recorded }
}

/// The generators by name, as `--generator` takes them: `NAME` or `NAME:key=value,key=value`.
package enum Generators {
    /// The names `--generator` accepts.
    package static let names = ["recorded", "bootstrap", "gbm-jump", "scenario"]

    /// The generator `text` names, for `spec` (whose datasets it may read to calibrate itself).
    package static func make(_ text: String, spec: Spec) throws -> any PriceGenerator {
        let name = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
        switch name {
        case "recorded": return RecordedPrices()
        case "bootstrap":
            let colon = text.firstIndex(of: ":")
            return try BlockBootstrap(colon.map { String(text[text.index(after: $0)...]) } ?? "", spec: spec)
        case "gbm-jump":
            let colon = text.firstIndex(of: ":")
            return try GBMJump(colon.map { String(text[text.index(after: $0)...]) } ?? "", spec: spec)
        case "scenario":
            guard let colon = text.firstIndex(of: ":") else {
                throw SpecError(file: "--generator \(text)", line: nil, "scenario needs shocks (e.g. scenario:fall=30%,days=5,at=2022-06-10)")
            }
            return try ScenarioShocks(String(text[text.index(after: colon)...]), spec: spec)
        default:
            throw SpecError(file: "--generator \(text)", line: nil,
                            "unknown generator '\(name)' (one of: \(names.joined(separator: ", ")))\(Suggestion.didYouMean(name, in: names))")
        }
    }
}
