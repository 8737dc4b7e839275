/// Numbers and columns as people read them in tables: one implementation for every command.
package enum NumberText {
    /// 1234567 → "1,234,567".
    package static func grouped(_ n: some BinaryInteger) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `s` padded with spaces to `width` characters, on the right (or the left, to align numbers).
    package static func padded(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }
}
