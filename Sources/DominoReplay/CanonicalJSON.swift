import DominoLog

/// A JSON value rendered canonically: object keys sorted, numbers written exactly from fixed
/// point (no binary floating point anywhere), no insignificant white space unless `pretty`.
/// The same value renders to the same bytes in every process.
package indirect enum JSON: Equatable, Sendable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    package static func == (a: JSON, b: JSON) -> Bool { a.render() == b.render() }

    /// USD × 10^8 (or any 8-decimal fixed point) as an exact JSON number.
    package static func fixed(_ v: Int64, decimals: Int = 8) -> JSON { .number(FixedPoint.format(v, decimals: decimals)) }
    package static func int(_ v: Int64) -> JSON { .number(String(v)) }
    package static func int(_ v: Int) -> JSON { .number(String(v)) }
    package static func time(_ ms: Int64?) -> JSON { ms.map { .string(UTCTime.format($0)) } ?? .null }

    package func render(pretty: Bool = false) -> String {
        var out = ""
        write(&out, pretty: pretty, indent: 0)
        return out
    }

    private func write(_ out: inout String, pretty: Bool, indent: Int) {
        let newline = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .object(let members):
            let sorted = members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            if sorted.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (k, v)) in sorted.enumerated() {
                out += pad + JSON.quote(k) + (pretty ? ": " : ":")
                v.write(&out, pretty: pretty, indent: indent + 1)
                out += (i + 1 < sorted.count ? "," : "") + newline
            }
            out += closePad + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, v) in items.enumerated() {
                out += pad
                v.write(&out, pretty: pretty, indent: indent + 1)
                out += (i + 1 < items.count ? "," : "") + newline
            }
            out += closePad + "]"
        case .string(let s): out += JSON.quote(s)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    package static func quote(_ s: String) -> String { JSONText.quoted(s) }
}
