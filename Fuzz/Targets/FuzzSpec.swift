import DominoModel
import DominoReplay
import Foundation

/// libFuzzer target: the spec parser with `--set` overrides. The input is a spec's YAML text;
/// each of its lines that starts with `#set ` (a YAML comment, so the spec still reads as
/// written) is also an override `path=value`, applied in order as `--set` would. The spec is
/// composed, overridden, parsed and validated, and a valid one is made into a `Scenario` (the
/// initial model state). Any `SpecError` is fine; a crash, a hang or unbounded memory is not.
enum FuzzSpec {
    static func run(_ data: UnsafePointer<UInt8>, _ size: Int) {
        guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return }
        var overrides: [Overrides.Assignment] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("#set ") {
            if let a = Overrides.Assignment(String(line.dropFirst(5))) { overrides.append(a) }
        }
        do {
            let root = try Overrides.apply(overrides, to: try SpecFile.compose(text, file: "fuzz.yaml"))
            let spec = try Spec.parse(root)
            _ = try Scenario(spec: spec)
        } catch {
            _ = "\(error)" // the message is rendered too
        }
    }
}
