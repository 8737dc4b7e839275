import Foundation
import DominoLog
import Yams

/// Loads and composes a YAML file into a `SpecNode`, mapping YAML syntax errors to file:line.
package enum SpecFile {
    /// A spec's text: a regular file (a FIFO, device or directory is refused at once, without
    /// blocking), at most 64 MiB, UTF-8.
    package static func read(path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SpecError(file: path, line: nil, "cannot read the spec (missing or unreadable)")
        }
        let bytes: [UInt8]
        do { bytes = try ReadableFile.contents(path: path, limit: 64 << 20) } catch let e as LogError {
            throw SpecError(file: path, line: nil, "cannot read the spec: \(e.message)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw SpecError(file: path, line: nil, "the spec is not UTF-8 text") }
        return text
    }
    package static func compose(_ text: String, file: String) throws -> SpecNode {
        do {
            // No implicit tag resolution: every value is read from its text (`fixed`, `ratio`,
            // `bool` …), so the default resolver's regular expressions — run on every key when
            // Yams checks a mapping for duplicates — only cost time (half of loading a spec with
            // 10,000 cohorts). Keys still compare by their text.
            guard let node = try Yams.compose(yaml: text, .basic) else { throw SpecError(file: file, line: nil, "the spec is empty") }
            return SpecNode(node, file: file)
        } catch let error as YamlError {
            if case let .duplicatedKeysInMapping(duplicates, context) = error {
                let key = duplicates.first ?? "?"
                throw SpecError(file: file, line: duplicateLine(key, in: text, from: context.mark.line) ?? context.mark.line,
                                "duplicate key '\(key)'")
            }
            throw SpecError(file: file, line: yamlLine(error), "YAML syntax error: \(yamlProblem(error))")
        }
    }

    /// The line of the second `key:` at or after line `from` (1-based), if the text shows one.
    static func duplicateLine(_ key: String, in text: String, from: Int) -> Int? {
        var seen = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i + 1 >= from {
            var rest = Substring(line)
            while let r = rest.range(of: key + ":") {
                let before = rest[..<r.lowerBound].last
                if before == nil || before == " " || before == "{" || before == "," || before == "-" || before == "\"" || before == "'" {
                    seen += 1
                    if seen == 2 { return i + 1 }
                }
                rest = rest[r.upperBound...]
            }
        }
        return nil
    }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            // libyaml's nesting guard names its own setter; say what it means for a spec.
            if problem.contains("nesting level") || problem.contains("nest_level") {
                return "nested too deeply (at most 1000 levels of lists and mappings)"
            }
            return problem
        default: return "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        }
    }
}
