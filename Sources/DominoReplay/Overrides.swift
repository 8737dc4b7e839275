import Yams

/// `--set path=value` overrides, applied to the spec's YAML tree before it is parsed, so an
/// override goes through exactly the same validation as the file (unknown keys with a
/// did-you-mean, types, references).
///
/// Paths are dotted keys with `[n]` for list items: `seed=7`,
/// `model.halt.horizon=24h`, `entities.Celsius.policy.rehypothecationCap=0`,
/// `loans[2].maintenance=1.5`. The value is YAML, so `{maxShare: 0.1, window: 1d}` sets a
/// mapping. Missing mappings along the path are created.
package enum Overrides {
    package struct Assignment: Equatable, Sendable {
        package var path: String
        package var value: String
        package init(path: String, value: String) { self.path = path; self.value = value }

        /// Parses `path=value`.
        package init?(_ text: String) {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
            path = String(text[..<eq])
            value = String(text[text.index(after: eq)...])
        }
    }

    enum Step: Equatable { case key(String), index(Int) }

    static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let name = rest.prefix { $0 != "[" }
            guard !name.isEmpty else { return nil }
            steps.append(.key(String(name)))
            rest = rest.dropFirst(name.count)
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0 else { return nil }
                steps.append(.index(i))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        return steps
    }

    /// Applies the assignments in order; errors name the offending `--set`.
    package static func apply(_ assignments: [Assignment], to root: SpecNode) throws -> SpecNode {
        var node = root.node
        for a in assignments {
            guard let steps = steps(a.path) else {
                throw SpecError(file: "--set \(a.path)=\(a.value)", line: nil, "bad path '\(a.path)' (use keys separated by '.', and [n] for list items)")
            }
            let value: Node
            do {
                // Without marks: the value's lines are not the spec's (errors in it name the option).
                value = unmarked(try Yams.compose(yaml: a.value) ?? Node("null"))
            } catch {
                throw SpecError(file: "--set \(a.path)=\(a.value)", line: nil, "the value is not valid YAML")
            }
            node = try set(node, steps[...], value, assignment: a)
        }
        return SpecNode(node, file: root.file, path: root.path, overrides: root.overrides + assignments)
    }

    /// `node` with every mark removed.
    static func unmarked(_ node: Node) -> Node {
        switch node {
        case .scalar(let s): return .scalar(.init(s.string, s.tag, s.style))
        case .mapping(let m): return .mapping(.init(m.map { (unmarked($0.key), unmarked($0.value)) }, m.tag, m.style))
        case .sequence(let q): return .sequence(.init(q.map(unmarked), q.tag, q.style))
        case .alias: return node
        }
    }

    static func set(_ node: Node, _ steps: ArraySlice<Step>, _ value: Node, assignment a: Assignment) throws -> Node {
        guard let step = steps.first else { return value }
        switch (step, node) {
        case (.key(let k), .mapping(var m)):
            let child = m[k] ?? Node.mapping(.init([]))
            m[k] = try set(child, steps.dropFirst(), value, assignment: a)
            return .mapping(m)
        case (.key(let k), .scalar) where node.string == nil || node.string == "" || node.string == "null":
            var m = Node.Mapping([])
            m[k] = try set(Node.mapping(.init([])), steps.dropFirst(), value, assignment: a)
            return .mapping(m)
        case (.index(let i), .sequence(var s)):
            guard i < s.count else {
                throw SpecError(file: "--set \(a.path)=\(a.value)", line: nil, "index [\(i)] is past the end of a list of \(s.count)")
            }
            s[i] = try set(s[i], steps.dropFirst(), value, assignment: a)
            return .sequence(s)
        default:
            throw SpecError(file: "--set \(a.path)=\(a.value)", line: node.mark?.line,
                            "'\(a.path)' does not lead to a value that can be set (a \(kind(node)) is in the way)")
        }
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "single value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }
}
