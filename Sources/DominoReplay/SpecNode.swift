import DominoLog
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

    package init(_ node: Node, file: String, path: String = "") {
        self.node = node; self.file = file; self.path = path
    }

    package var line: Int? { node.mark?.line }

    package func error(_ message: String) -> SpecError { SpecError(file: file, line: line, message) }

    var describedPath: String { path.isEmpty ? "the spec" : "'\(path)'" }

    // MARK: Scalars

    package func string() throws -> String {
        guard case .scalar(let s) = node else { throw error("\(describedPath) must be a text value") }
        return s.string
    }

    package var isNull: Bool {
        if case .scalar(let s) = node { return s.string == "null" || s.string == "~" || (s.string.isEmpty && s.style == .plain) }
        return false
    }

    /// A decimal number at `decimals` places (default 8: the model's scale).
    package func fixed(_ decimals: Int = 8) throws -> Int64 {
        let text = try string().replacingOccurrences(of: "_", with: "")
        do { return try FixedPoint.parse(text, decimals: decimals) } catch {
            throw self.error("\(describedPath) must be a number, got '\(text)'")
        }
    }

    /// A share or ratio: `0.25`, `25%`.
    package func ratio() throws -> Int64 {
        let text = try string()
        if text.hasSuffix("%") {
            let inner = String(text.dropLast())
            do { return try FixedPoint.parse(inner, decimals: 6) } catch { throw self.error("\(describedPath) must be a share like 0.25 or 25%, got '\(text)'") }
        }
        return try fixed()
    }

    package func integer() throws -> Int64 {
        let text = try string()
        guard let v = Int64(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("\(describedPath) must be a whole number, got '\(text)'")
        }
        return v
    }

    package func bool() throws -> Bool {
        switch try string() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(describedPath) must be true or false, got '\(try string())'")
        }
    }

    /// Milliseconds.
    package func duration() throws -> Int64 {
        let text = try string()
        guard let ms = SpecNode.parseDuration(text) else {
            throw error("\(describedPath) must be a duration like 90s, 30m, 48h, 7d or 1d12h, got '\(text)'")
        }
        return ms
    }

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
                total += number * unit; number = 0; sawDigit = false; sawUnit = true
            }
        }
        if sawDigit { return text == "0" ? 0 : nil }
        return sawUnit ? total : nil
    }

    /// ISO 8601 UTC time (ms).
    package func time() throws -> Int64 {
        let text = try string()
        guard let ms = UTCTime.parse(text) else { throw error("\(describedPath) must be an ISO 8601 UTC time, got '\(text)'") }
        return ms
    }

    // MARK: Collections

    package func sequence() throws -> [SpecNode] {
        guard case .sequence(let seq) = node else { throw error("\(describedPath) must be a list") }
        return seq.enumerated().map { SpecNode($1, file: file, path: "\(path)[\($0)]") }
    }

    /// The mapping's entries in document order, with duplicate keys refused.
    package func entries() throws -> [(key: String, value: SpecNode)] {
        guard case .mapping(let mapping) = node else { throw error("\(describedPath) must be a mapping of keys to values") }
        var seen: Set<String> = []
        var out: [(String, SpecNode)] = []
        for (k, v) in mapping {
            let key = try SpecNode(k, file: file, path: path).string()
            guard seen.insert(key).inserted else {
                throw SpecNode(k, file: file).error("duplicate key '\(key)' in \(describedPath)")
            }
            out.append((key, SpecNode(v, file: file, path: path.isEmpty ? key : "\(path).\(key)")))
        }
        return out
    }

    /// A mapping read as a record: every key must be one of `allowed` (else an error naming the
    /// closest allowed key), and `required` keys must be present.
    package func record(allowed: [String], required: [String] = []) throws -> Record {
        let items = try entries()
        for (key, value) in items where !allowed.contains(key) {
            let suggestion = Suggestion.didYouMean(key, in: allowed)
            throw SpecError(file: file, line: keyLine(key) ?? value.line,
                            "unknown key '\(key)' in \(describedPath)\(suggestion) (allowed: \(allowed.joined(separator: ", ")))")
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
