import DominoReplay

/// A usage error (exit 2) or a failure (exit 1) of a sweep, with a one-line message.
package struct SweepError: Error, Equatable, Sendable, CustomStringConvertible {
    package var usage: Bool
    package var message: String
    package init(usage: Bool, _ message: String) { self.usage = usage; self.message = message }
    package static func usage(_ message: String) -> SweepError { SweepError(usage: true, message) }
    package static func failure(_ message: String) -> SweepError { SweepError(usage: false, message) }
    package var description: String { message }
}

/// Which of a run's metrics samples a sweep stores: `all` (every sample, at the spec's
/// `metricsInterval`), `none`, or those at whole multiples of a duration from the window's
/// start (`1d`, the default: daily; a spec sampling more coarsely keeps all of its samples).
package enum MetricsSampling: Sendable, Equatable, CustomStringConvertible {
    case all, none, every(Int64)

    package static let `default` = MetricsSampling.every(86_400_000)

    /// `all`, `none` or a duration such as `1d`, `12h`.
    package static func parse(_ text: String) throws -> MetricsSampling {
        switch text {
        case "all": return .all
        case "none": return MetricsSampling.none
        default:
            guard let ms = SpecNode.parseDuration(text), ms > 0 else {
                throw SweepError.usage("--metrics-every '\(text)' is not all, none or a duration like 1d or 6h")
            }
            return .every(ms)
        }
    }

    package var description: String {
        switch self {
        case .all: return "all"
        case .none: return "none"
        case .every(let ms):
            if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
            if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
            if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
            return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
        }
    }

    /// Whether the sample at `time` of a window starting at `from` is kept.
    package func keeps(_ time: Int64, from: Int64) -> Bool {
        switch self {
        case .all: return true
        case .none: return false
        case .every(let ms): return (time - from) % ms == 0
        }
    }
}

/// One `--grid key=v1,v2,…` axis: an override path (as in `domino replay --set`) or the special
/// key `policy`, and its values in the order given.
package struct GridAxis: Equatable, Sendable {
    package var key: String
    package var values: [String]
    package init(key: String, values: [String]) { self.key = key; self.values = values }

    /// The grid key that names policy sets (`none` = the spec as written).
    package static let policyKey = "policy"
    package static let nonePolicy = "none"

    /// Parses `key=v1,v2,…`. Values are split at commas outside brackets and quotes, so a YAML
    /// value such as `{maxShare: 0.1, window: 1d}` or `[1, 2]` stays whole.
    package static func parse(_ text: String) throws -> GridAxis {
        guard let eq = text.firstIndex(of: "=") else {
            throw SweepError.usage("--grid '\(text)' is not key=value1,value2,…")
        }
        let key = String(text[..<eq]).trimmingSpaces
        guard !key.isEmpty else { throw SweepError.usage("--grid '\(text)' has no key before '='") }
        guard key.allSatisfy({ !$0.isWhitespace && $0 != "," }) else {
            throw SweepError.usage("--grid key '\(key)' contains a space or a comma")
        }
        guard Overrides.Assignment("\(key)=0") != nil, !key.hasPrefix("."), !key.hasSuffix("."), !key.contains("..") else {
            throw SweepError.usage("--grid key '\(key)' is not a spec path like entities.Celsius.policy.rehypothecationCap")
        }
        let values = try split(String(text[text.index(after: eq)...]), key: key)
        var seen = Set<String>()
        for v in values where !seen.insert(v).inserted {
            throw SweepError.usage("--grid \(key) lists the value '\(v)' twice")
        }
        return GridAxis(key: key, values: values)
    }

    static func split(_ text: String, key: String) throws -> [String] {
        var values: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        for c in text {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c; current.append(c)
            case "{", "[": depth += 1; current.append(c)
            case "}", "]":
                depth -= 1
                guard depth >= 0 else { throw SweepError.usage("--grid \(key): unbalanced '\(c)' in '\(text)'") }
                current.append(c)
            case "," where depth == 0:
                values.append(current.trimmingSpaces); current = ""
            default: current.append(c)
            }
        }
        guard quote == nil else { throw SweepError.usage("--grid \(key): unclosed quote in '\(text)'") }
        guard depth == 0 else { throw SweepError.usage("--grid \(key): unclosed bracket in '\(text)'") }
        values.append(current.trimmingSpaces)
        if values.contains(where: \.isEmpty) {
            throw SweepError.usage("--grid \(key) has an empty value in '\(text)' (values are separated by single commas)")
        }
        return values
    }
}

/// The grid of a sweep: its axes in `--grid` order and the seeds, or the paths of a stress study.
package struct Grid: Equatable, Sendable {
    package var axes: [GridAxis]
    /// `--seeds N`: every point runs with seeds 1…N (the `seed` override). nil: once, with the
    /// spec's own seed.
    package var seeds: Int?
    /// `--paths N` (a stress study, exclusive with `--seeds`): every point runs on paths 0…N−1,
    /// each with its own assumption draw, model seed and generated inputs (`SweepPlan`).
    package var paths: Int?

    package init(axes: [GridAxis], seeds: Int?, paths: Int? = nil) throws {
        var keys = Set<String>()
        for a in axes where !keys.insert(a.key).inserted {
            throw SweepError.usage("--grid \(a.key) is given twice (give its values in one --grid)")
        }
        if let seeds {
            guard seeds >= 1 else { throw SweepError.usage("--seeds must be at least 1") }
            if keys.contains("seed") { throw SweepError.usage("--grid seed=… and --seeds cannot be combined") }
        }
        if let paths {
            guard paths >= 1 else { throw SweepError.usage("--paths must be at least 1") }
            if seeds != nil { throw SweepError.usage("--seeds and --paths cannot be combined (each path has its own seed)") }
            if keys.contains("seed") { throw SweepError.usage("--grid seed=… and --paths cannot be combined (each path has its own seed)") }
        }
        self.axes = axes
        self.seeds = seeds
        self.paths = paths
        guard pointCount <= 10_000_000 / max(1, seeds ?? paths ?? 1) else {
            throw SweepError.usage("the grid has too many runs (\(pointCount) points × \(seeds ?? paths ?? 1) \(paths == nil ? "seeds" : "paths")); at most 10,000,000")
        }
    }

    /// The runs of each point: its seeds (`--seeds`) or its paths (`--paths`), 1 without either.
    package var seedCount: Int { seeds ?? paths ?? 1 }

    /// The number of grid points: the product of the axes' sizes (1 with no axis).
    package var pointCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    package var runCount: Int { pointCount * seedCount }

    /// The value index on each axis of grid point `point`: the first `--grid` is the outermost
    /// (slowest-changing) axis, the last the innermost.
    package func coordinates(ofPoint point: Int) -> [Int] {
        var rest = point
        var coordinates = [Int](repeating: 0, count: axes.count)
        for a in axes.indices.reversed() {
            coordinates[a] = rest % axes[a].values.count
            rest /= axes[a].values.count
        }
        return coordinates
    }

    /// `(key, value)` of each axis at grid point `point`, in `--grid` order.
    package func parameters(ofPoint point: Int) -> [(key: String, value: String)] {
        zip(axes, coordinates(ofPoint: point)).map { ($0.key, $0.values[$1]) }
    }

    /// Run ids: `run_id = point × seeds + (seed − 1)` — seeds innermost, then the axes with the
    /// last `--grid` changing fastest. With `--paths N`: `run_id = point × N + path`.
    package func point(ofRun run: Int) -> Int { run / seedCount }
    package func seedIndex(ofRun run: Int) -> Int { run % seedCount }
    /// The path of run `run` (0-based) in a stress study; nil in a plain sweep.
    package func path(ofRun run: Int) -> Int? { paths == nil ? nil : run % seedCount }

    /// The grid as canonical JSON (recorded in the `sweep` table and compared on resume).
    package var json: JSON {
        var fields: [(String, JSON)] = [
            ("axes", .array(axes.map { .object([("key", .string($0.key)), ("values", .array($0.values.map { .string($0) }))]) })),
            ("seeds", seeds.map { .int($0) } ?? .string("spec")),
        ]
        if let paths { fields.append(("paths", .int(paths))) } // absent in a plain sweep: its grid reads as before
        return .object(fields)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
