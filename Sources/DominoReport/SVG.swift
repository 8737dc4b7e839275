/// A tiny SVG writer: elements appended as text, numbers written with at most one decimal (so
/// the bytes are the same in every process and build), text escaped.
package struct SVG {
    package private(set) var text = ""
    package let width: Int
    package let height: Int

    package init(width: Int, height: Int) { self.width = width; self.height = height }

    /// `x` with one decimal at most ("12", "12.5", "-3.2").
    package static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    package static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Attributes in the order given; numbers through `num`.
    package static func attrs(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    package mutating func raw(_ s: String) { text += s }

    package mutating func open(_ tag: String, _ pairs: [(String, String)] = []) { text += "<\(tag)\(SVG.attrs(pairs))>" }
    package mutating func close(_ tag: String) { text += "</\(tag)>" }

    package mutating func element(_ tag: String, _ pairs: [(String, String)], content: String? = nil) {
        if let content { text += "<\(tag)\(SVG.attrs(pairs))>\(SVG.escape(content))</\(tag)>" } else { text += "<\(tag)\(SVG.attrs(pairs))/>" }
    }

    package mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ cls: String, extra: [(String, String)] = []) {
        element("line", [("x1", SVG.num(x1)), ("y1", SVG.num(y1)), ("x2", SVG.num(x2)), ("y2", SVG.num(y2)), ("class", cls)] + extra)
    }

    package mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ cls: String, extra: [(String, String)] = []) {
        element("rect", [("x", SVG.num(x)), ("y", SVG.num(y)), ("width", SVG.num(max(0, w))), ("height", SVG.num(max(0, h))), ("class", cls)] + extra)
    }

    package mutating func circle(_ x: Double, _ y: Double, _ r: Double, _ cls: String, extra: [(String, String)] = []) {
        element("circle", [("cx", SVG.num(x)), ("cy", SVG.num(y)), ("r", SVG.num(r)), ("class", cls)] + extra)
    }

    package mutating func label(_ x: Double, _ y: Double, _ s: String, _ cls: String, anchor: String = "start", extra: [(String, String)] = []) {
        element("text", [("x", SVG.num(x)), ("y", SVG.num(y)), ("class", cls), ("text-anchor", anchor)] + extra, content: s)
    }

    package static func polyline(_ points: [(Double, Double)]) -> String {
        points.map { "\(num($0.0)),\(num($0.1))" }.joined(separator: " ")
    }

    /// The finished element: `<svg>` with a viewBox (no xmlns: inline SVG in HTML needs none, and
    /// the file holds no URL at all), the role and title for screen readers.
    package func rendered(id: String, title: String, extra: [(String, String)] = []) -> String {
        "<svg id=\"\(SVG.escape(id))\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(SVG.escape(title))\"\(SVG.attrs(extra))>"
            + text + "</svg>"
    }
}
