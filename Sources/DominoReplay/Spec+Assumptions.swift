import DominoLog
import DominoModel
import Foundation
import Yams

/// A figure the spec ASSUMES (the record does not give it), with the range it may take:
/// `domino stress`, `domino verify --paths` and `domino sensitivity` draw it per path.
///
/// ```yaml
/// assumptions:
///   - {name: blockfi-assets, path: entities.BlockFi.liquid, scale: [0.8, 1.2], why: "ASSUMED at $6.5B"}
///   - {name: aave-threshold, path: pools.Aave.threshold, range: [70%, 80%], distribution: triangular, why: "…"}
/// ```
/// - `path`: an override path (`--set` syntax) to a number, or to a mapping of numbers (every
///   entry is drawn with the same multiplier, so a balance sheet keeps its mix).
/// - `scale: [low, high]`: a multiplier of the value(s) as written (low > 0). `range: [low, high]`:
///   the value itself, for a single number (written as the spec writes it: `70%` or `0.7`).
/// - `distribution`: `uniform` (default) over the range, or `triangular` with its mode at the
///   value as written (multiplier 1, clamped into the range).
/// - `why`: where the range comes from (required: every figure carries its source).
package struct Assumption: Sendable, Equatable {
    package enum Form: Sendable, Equatable {
        /// A multiplier of the written value(s), × 10⁸.
        case scale(low: Int64, high: Int64)
        /// The value itself, × 10⁸ (a share or a number, as the spec reads the key).
        case range(low: Int64, high: Int64)
    }
    package enum Distribution: String, Sendable, Equatable, CaseIterable { case uniform, triangular }

    package var name: String
    package var path: String
    package var form: Form
    package var distribution: Distribution
    package var why: String
    package var line: Int?

    /// The range's ends (a multiplier or a value, × 10⁸).
    package var bounds: (low: Int64, high: Int64) {
        switch form { case let .scale(l, h), let .range(l, h): (l, h) }
    }
}

extension Spec {
    /// Reads `assumptions:` (called by `parse` last): each path must lead to numbers in the spec.
    mutating func parseAssumptions(_ top: SpecNode.Record, root: SpecNode) throws {
        var names: Set<String> = []
        for node in try top["assumptions"]?.sequence() ?? [] {
            let r = try node.record(allowed: ["name", "path", "scale", "range", "distribution", "why"], required: ["name", "path", "why"])
            let nameNode = try r.require("name")
            let name = try nameNode.name()
            guard names.insert(name).inserted else { throw nameNode.error("assumption '\(name)' is listed twice") }
            let pathNode = try r.require("path")
            let path = try pathNode.string()
            guard let steps = Overrides.steps(path) else {
                throw pathNode.error("bad path '\(path)' (use keys separated by '.', and [n] for list items, as --set does)")
            }
            // A `--set` that rewrites the figure (or a mapping above or below it) takes it out of
            // the check: the spec as overridden may hold something else there (`loans[15].collateral={}`),
            // and draws scale the figures as written, not as overridden.
            let overridden = root.overrides.contains { o in
                o.path == path || path.hasPrefix(o.path + ".") || path.hasPrefix(o.path + "[") || o.path.hasPrefix(path + ".") || o.path.hasPrefix(path + "[")
            }
            var written: [Assumptions.Written] = [Assumptions.Written(key: nil, value: 0, style: .decimal)]
            if !overridden {
                guard let target = Assumptions.node(at: steps[...], in: root.node) else {
                    throw pathNode.error("assumption '\(name)': '\(path)' does not lead to a value in the spec")
                }
                written = try Assumptions.numbers(target, path: path, node: pathNode)
            }
            guard (r["scale"] == nil) != (r["range"] == nil) else {
                throw node.error("assumption '\(name)' needs exactly one of 'scale: [low, high]' or 'range: [low, high]'")
            }
            let form: Assumption.Form
            if let s = r["scale"] {
                let ends = try s.sequence()
                guard ends.count == 2 else { throw s.error("'scale' must be [low, high]") }
                let low = try ends[0].ratio(), high = try ends[1].ratio()
                guard low > 0, low <= high else { throw s.error("'scale' must be [low, high] with 0 < low ≤ high") }
                form = .scale(low: low, high: high)
            } else {
                let s = try r.require("range")
                let ends = try s.sequence()
                guard ends.count == 2 else { throw s.error("'range' must be [low, high]") }
                guard written.count == 1 else {
                    throw s.error("'range' sets one number, but '\(path)' holds \(written.count); use 'scale' for a mapping")
                }
                let low = try ends[0].ratio(), high = try ends[1].ratio()
                guard low >= 0, low <= high else { throw s.error("'range' must be [low, high] with 0 ≤ low ≤ high") }
                form = .range(low: low, high: high)
            }
            var distribution = Assumption.Distribution.uniform
            if let d = r["distribution"] {
                let text = try d.string()
                guard let v = Assumption.Distribution(rawValue: text) else {
                    throw d.error("'distribution' must be uniform or triangular, got '\(text)'")
                }
                distribution = v
            }
            assumptions.append(Assumption(name: name, path: path, form: form, distribution: distribution,
                                          why: try r.require("why").string(), line: node.line))
        }
    }

    /// The resolved text of `assumptions:` (run outputs' resolved spec).
    package var resolvedAssumptionsText: String {
        func f(_ v: Int64) -> String { FixedPoint.format(v, decimals: 8) }
        return "assumptions:" + (assumptions.isEmpty ? " []\n" : "\n" + assumptions.map { a in
            let form: String
            switch a.form {
            case let .scale(l, h): form = "scale: [\(f(l)), \(f(h))]"
            case let .range(l, h): form = "range: [\(f(l)), \(f(h))]"
            }
            return "  - {name: \(JSON.quote(a.name)), path: \(JSON.quote(a.path)), \(form), distribution: \(a.distribution.rawValue), why: \(JSON.quote(a.why))}\n"
        }.joined())
    }
}

/// Drawing the spec's assumptions for a path: each assumption's value from its range, written
/// back as `--set` overrides (so a drawn spec goes through the parser like any other).
package enum Assumptions {
    /// The node at `steps` in `node`, nil if the path leads nowhere.
    static func node(at steps: ArraySlice<Overrides.Step>, in node: Node) -> Node? {
        guard let step = steps.first else { return node }
        switch (step, node) {
        case let (.key(k), .mapping(m)): return m[k].flatMap { Self.node(at: steps.dropFirst(), in: $0) }
        case let (.index(i), .sequence(s)): return i < s.count ? Self.node(at: steps.dropFirst(), in: s[i]) : nil
        default: return nil
        }
    }

    /// A number as written: its value × 10⁸, and how it was written (to write a draw the same way).
    struct Written: Equatable {
        enum Style: Equatable { case integer, decimal, percent }
        var key: String? // the mapping key (nil: the path's value itself)
        var value: Int64
        var style: Style
    }

    /// The numbers at a path: the scalar itself, or each entry of a mapping of scalars.
    static func numbers(_ target: Node, path: String, node: SpecNode) throws -> [Written] {
        func number(_ text: String, key: String?) throws -> Written {
            let t = text.replacingOccurrences(of: "_", with: "")
            if t.hasSuffix("%"), let v = try? FixedPoint.parse(t.dropLast(), decimals: 6) { return Written(key: key, value: v, style: .percent) }
            guard let v = try? FixedPoint.parse(t, decimals: 8) else {
                throw node.error("assumption path '\(path)\(key.map { ".\($0)" } ?? "")' holds '\(text)', not a number or a share")
            }
            let integer = !t.contains(".") && !t.lowercased().contains("e")
            return Written(key: key, value: v, style: integer ? .integer : .decimal)
        }
        switch target {
        case .scalar(let s): return [try number(s.string, key: nil)]
        case .mapping(let m):
            guard !m.isEmpty else { throw node.error("assumption path '\(path)' leads to an empty mapping") }
            return try m.map { k, v in
                guard case .scalar(let key) = k, case .scalar(let s) = v else {
                    throw node.error("assumption path '\(path)' must lead to a number or a mapping of numbers")
                }
                return try number(s.string, key: key.string)
            }
        default: throw node.error("assumption path '\(path)' must lead to a number or a mapping of numbers, not a list")
        }
    }

    /// `written` with its fixed-point value replaced by `v`, in the same style.
    static func text(_ v: Int64, style: Written.Style) -> String {
        switch style {
        case .percent:
            // × 10⁶ of a percent = × 10⁸ of a share.
            return FixedPoint.format(v, decimals: 6).trimmingTrailingZeros + "%"
        case .integer:
            let half: Int64 = 50_000_000
            return String((v >= 0 ? v + half : v - half) / 100_000_000)
        case .decimal:
            return FixedPoint.format(v, decimals: 8).trimmingTrailingZeros
        }
    }

    /// A draw from an assumption's range for a uniform share `u` in [0, 1) × 10⁸: the value
    /// (range) or the multiplier (scale), × 10⁸. Triangular: mode at the written value (range)
    /// or at 1 (scale), clamped into the range; inverse CDF in integers.
    package static func quantile(_ a: Assumption, u: Int64, written: Int64) -> Int64 {
        let (low, high) = a.bounds
        guard high > low else { return low }
        let width = Int128(high - low)
        switch a.distribution {
        case .uniform:
            return low + Int64(width * Int128(u) / Int128(Fixed.one))
        case .triangular:
            let modeValue: Int64
            switch a.form { case .scale: modeValue = Fixed.one; case .range: modeValue = written }
            let mode = Int128(min(max(modeValue, low), high) - low) // 0 … width
            let one = Int128(Fixed.one)
            let share = Int128(u)
            // F(mode) = mode / width. Below: x = sqrt(u · width · mode); above: x = width − sqrt((1−u) · width · (width − mode)).
            if share * width < mode * one {
                return low + Int64(isqrt(share * width * mode / one))
            }
            return low + Int64(width - isqrt((one - share) * width * (width - mode) / one))
        }
    }

    /// ⌊√n⌋ for n ≥ 0, exactly (Newton's method on integers).
    static func isqrt(_ n: Int128) -> Int128 {
        guard n > 1 else { return max(0, n) }
        var x = Int128(Double(n).squareRoot())
        while x * x > n { x -= 1 }
        while (x + 1) * (x + 1) <= n { x += 1 }
        return x
    }

    /// One path's draw: the value of each assumption and the overrides that set it.
    package struct Draw: Sendable, Equatable {
        /// Per assumption, in spec order: its name and the drawn value or multiplier (× 10⁸).
        package var values: [(name: String, value: Int64)]
        /// The overrides that write the draw into the spec, in spec order.
        package var overrides: [Overrides.Assignment]

        package static func == (a: Draw, b: Draw) -> Bool {
            a.overrides == b.overrides && a.values.map(\.name) == b.values.map(\.name) && a.values.map(\.value) == b.values.map(\.value)
        }
    }

    /// The overrides that set each assumption to its value for the given shares (one per
    /// assumption, in [0, 1) × 10⁸): `u = 0` is the low end, and so on. `root` is the spec's tree
    /// (before any override: scale multiplies the figures as written).
    package static func draw(_ spec: Spec, root: SpecNode, shares: [Int64]) throws -> Draw {
        precondition(shares.count == spec.assumptions.count)
        var values: [(String, Int64)] = []
        var overrides: [Overrides.Assignment] = []
        for (a, u) in zip(spec.assumptions, shares) {
            let steps = Overrides.steps(a.path)!
            guard let target = node(at: steps[...], in: root.node) else {
                throw SpecError(file: spec.file, line: a.line, "assumption '\(a.name)': '\(a.path)' does not lead to a value in the spec")
            }
            let written = try numbers(target, path: a.path, node: root)
            switch a.form {
            case .range:
                let w = written[0]
                let v = quantile(a, u: u, written: w.value)
                values.append((a.name, v))
                overrides.append(.init(path: a.path, value: text(v, style: w.style)))
            case .scale:
                let m = quantile(a, u: u, written: Fixed.one)
                values.append((a.name, m))
                for w in written {
                    let v = Int64(clamping: Int128(w.value) * Int128(m) / Int128(Fixed.one))
                    overrides.append(.init(path: w.key.map { "\(a.path).\($0)" } ?? a.path, value: text(v, style: w.style)))
                }
            }
        }
        return Draw(values: values, overrides: overrides)
    }
}

extension String {
    /// "1.50000000" → "1.5", "2.00000000" → "2".
    var trimmingTrailingZeros: String {
        guard contains(".") else { return self }
        var s = self
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
