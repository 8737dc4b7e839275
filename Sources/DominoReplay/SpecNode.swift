import DominoLog
import Foundation
import DominoModel
import Yams

/// An error in a spec: names the file and line, and what is wrong.
package struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var message: String
    package init(file: String, line: Int?, _ message: String) { self.file = file; self.line = line; self.message = message }
    package var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// A YAML node with its place in the file, and typed accessors that fail with `file:line`.
///
/// Numbers are read from the scalar's *text* with `FixedPoint.parse` — never through `Double` —
/// so `0.1`, `2.5e9` and `75000000` are exact. Durations are `90s`, `30m`, `48h`, `7d` or
/// combinations (`1d12h`).
package struct SpecNode {
    package let node: Node
    package let file: String
    package let path: String
    /// The `--set` assignments applied to the tree: an error in a value one of them wrote is
    /// blamed on that option, not on a line of the file.
    package let overrides: [Overrides.Assignment]

    package init(_ node: Node, file: String, path: String = "", overrides: [Overrides.Assignment] = []) {
        self.node = node; self.file = file; self.path = path; self.overrides = overrides
    }

    func child(_ node: Node, path: String) -> SpecNode { SpecNode(node, file: file, path: path, overrides: overrides) }

    package var line: Int? { node.mark?.line }

    package func error(_ message: String) -> SpecError { error(message, at: path, line: line) }

    /// An error about the value at `path` (this node's or a child's): blamed on the last `--set`
    /// that wrote it or a mapping above it, else on the file's `line`.
    func error(_ message: String, at path: String, line: Int?) -> SpecError {
        if let a = overrides.last(where: { path == $0.path || path.hasPrefix($0.path + ".") || path.hasPrefix($0.path + "[") }) {
            return SpecError(file: "--set \(a.path)=\(a.value)", line: nil, message)
        }
        return SpecError(file: file, line: line, message)
    }

    var describedPath: String { path.isEmpty ? "the spec" : "'\(path)'" }

    // MARK: Scalars

    package func string() throws -> String { try scalar(expected: "a single value (text)") }

    /// The scalar's text; a mapping or list where `expected` was wanted is an error that says
    /// what was expected and what was found.
    func scalar(expected: String) throws -> String {
        guard case .scalar(let s) = node else { throw error("\(describedPath) must be \(expected), got a \(kind)") }
        return s.string
    }

    var kind: String {
        switch node {
        case .scalar: "single value"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }

    /// A name (of an entity, cohort, asset, deployment, outcome): text, neither empty nor null.
    package func name() throws -> String {
        let text = try scalar(expected: "a name")
        guard !isNull, !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("\(describedPath) must be a name, not empty or null") }
        return text
    }

    package var isNull: Bool {
        if case .scalar(let s) = node { return s.string == "null" || s.string == "~" || (s.string.isEmpty && s.style == .plain) }
        return false
    }

    /// A decimal number at `decimals` places (default 8: the model's scale).
    package func fixed(_ decimals: Int = 8) throws -> Int64 {
        let text = try scalar(expected: "a number (e.g. 1500 or 0.25)").replacingOccurrences(of: "_", with: "")
        let value: Int64
        do { value = try FixedPoint.parse(text, decimals: decimals) } catch {
            if case .outOfRange = error {
                let limit = FixedPoint.format(.max, decimals: decimals)
                throw self.error("\(describedPath) is out of range: '\(text)' (numbers lie between -\(limit) and \(limit))")
            }
            throw self.error("\(describedPath) must be a number, got '\(text)'")
        }
        // A non-zero amount that rounds to 0 at the model's resolution is an error, not 0.
        if value == 0, text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) {
            throw self.error("\(describedPath) is below the smallest amount, \(FixedPoint.format(1, decimals: decimals)): got '\(text)'")
        }
        return value
    }

    /// A share or ratio: `0.25`, `25%`.
    package func ratio() throws -> Int64 {
        let text = try scalar(expected: "a share like 0.25 or 25%")
        if text.hasSuffix("%") {
            let inner = String(text.dropLast())
            let value: Int64
            do { value = try FixedPoint.parse(inner, decimals: 6) } catch { throw self.error("\(describedPath) must be a share like 0.25 or 25%, got '\(text)'") }
            if value == 0, inner.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) {
                throw self.error("\(describedPath) is below the smallest share, 0.000001%: got '\(text)'")
            }
            return value
        }
        return try fixed()
    }

    package func integer() throws -> Int64 {
        let text = try scalar(expected: "a whole number")
        guard let v = Int64(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("\(describedPath) must be a whole number between \(Int64.min) and \(Int64.max), got '\(text)'")
        }
        return v
    }

    package func bool() throws -> Bool {
        switch try scalar(expected: "true or false") {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(describedPath) must be true or false, got '\(try string())'")
        }
    }

    /// Milliseconds.
    package func duration() throws -> Int64 {
        let text = try scalar(expected: "a duration like 48h")
        guard let ms = SpecNode.parseDuration(text) else {
            throw error("\(describedPath) must be a duration like 90s, 30m, 48h, 7d or 1d12h, got '\(text)'")
        }
        return ms
    }

    /// The longest duration a spec may write: 1,000 years (in ms), far beyond any window.
    package static let maxDuration: Int64 = 1000 * 366 * 86_400_000

    package static func parseDuration(_ text: String) -> Int64? {
        var total: Int64 = 0, number: Int64 = 0, sawDigit = false, sawUnit = false
        for c in text {
            if let d = c.wholeNumberValue, c.isASCII {
                number = number * 10 + Int64(d); sawDigit = true
                guard number < 1_000_000_000 else { return nil }
            } else {
                guard sawDigit else { return nil }
                let unit: Int64
                switch c {
                case "s": unit = 1000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                case "w": unit = 7 * 86_400_000
                default: return nil
                }
                let (sum, overflow) = total.addingReportingOverflow(number * unit)
                guard !overflow, sum <= maxDuration else { return nil }
                total = sum; number = 0; sawDigit = false; sawUnit = true
            }
        }
        if sawDigit { return text == "0" ? 0 : nil }
        return sawUnit ? total : nil
    }

    /// ISO 8601 UTC time (ms).
    package func time() throws -> Int64 {
        let text = try scalar(expected: "an ISO 8601 UTC time like 2022-06-30")
        guard let ms = UTCTime.parse(text) else { throw error("\(describedPath) must be an ISO 8601 UTC time, got '\(text)'") }
        return ms
    }

    // MARK: Collections

    package func sequence() throws -> [SpecNode] {
        guard case .sequence(let seq) = node else { throw error("\(describedPath) must be a list, got a \(kind)") }
        return seq.enumerated().map { child($1, path: "\(path)[\($0)]") }
    }

    /// The mapping's entries in document order, with duplicate keys refused.
    package func entries() throws -> [(key: String, value: SpecNode)] {
        guard case .mapping(let mapping) = node else { throw error("\(describedPath) must be a mapping of keys to values, got a \(kind)") }
        var seen: Set<String> = []
        var out: [(String, SpecNode)] = []
        for (k, v) in mapping {
            let key = try child(k, path: path).name()
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard seen.insert(key).inserted else {
                throw error("duplicate key '\(key)' in \(describedPath)", at: childPath, line: k.mark?.line)
            }
            out.append((key, child(v, path: childPath)))
        }
        return out
    }

    /// A mapping read as a record: every key must be one of `allowed` (else an error naming the
    /// closest allowed key), and `required` keys must be present.
    package func record(allowed: [String], required: [String] = []) throws -> Record {
        let items = try entries()
        for (key, value) in items where !allowed.contains(key) {
            let suggestion = Suggestion.didYouMean(key, in: allowed)
            throw error("unknown key '\(key)' in \(describedPath)\(suggestion) (allowed: \(allowed.joined(separator: ", ")))",
                        at: value.path, line: keyLine(key) ?? value.line)
        }
        for key in required where !items.contains(where: { $0.key == key }) {
            throw error("\(describedPath) is missing '\(key)'")
        }
        return Record(node: self, items: items)
    }

    func keyLine(_ key: String) -> Int? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first { $0.key.string == key }?.key.mark?.line
    }

    package struct Record {
        package let node: SpecNode
        package let items: [(key: String, value: SpecNode)]
        package subscript(_ key: String) -> SpecNode? { items.first { $0.key == key }?.value }
        package func require(_ key: String) throws -> SpecNode {
            guard let v = self[key] else { throw node.error("\(node.describedPath) is missing '\(key)'") }
            return v
        }
    }
}
