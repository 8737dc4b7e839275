/// Exact conversion between decimal text and integer fixed point.
///
/// A value with `decimals` places is stored as `value × 10^decimals` in an `Int64`. Parsing never
/// goes through `Double`: the digits are read as integers, so `0.1` is exactly 10000000 at 8
/// places. Digits beyond `decimals` are rounded half to even (a tie goes to the even neighbour),
/// which is what a careful reader of a wider source expects and what `FixedPointTests` pins down.
public enum FixedPoint {
    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case notANumber(String)   // NaN, inf, or stray characters
        case outOfRange(String)   // does not fit Int64 at this scale
    }

    public static let powersOf10: [Int64] = (0...18).map { p in (0..<p).reduce(Int64(1)) { acc, _ in acc * 10 } }

    /// Parses `[-+]digits[.digits][e[-+]digits]`.
    public static func parse(_ text: some StringProtocol, decimals: Int) throws(ParseError) -> Int64 {
        precondition((0...18).contains(decimals))
        let b = Array(text.utf8)
        guard !b.isEmpty else { throw .empty }
        var i = 0
        var negative = false
        if b[0] == 45 || b[0] == 43 { negative = b[0] == 45; i = 1 }
        // Collect significant digits and the position of the decimal point.
        var digits: [UInt8] = []
        digits.reserveCapacity(b.count)
        var pointIndex: Int? = nil
        var sawDigit = false
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 { digits.append(c - 48); sawDigit = true }
            else if c == 46 && pointIndex == nil { pointIndex = digits.count }
            else { break }
            i += 1
        }
        guard sawDigit else { throw .notANumber(String(text)) }
        var exponent = 0
        if i < b.count && (b[i] == 101 || b[i] == 69) { // e / E
            i += 1
            var expNegative = false
            if i < b.count && (b[i] == 45 || b[i] == 43) { expNegative = b[i] == 45; i += 1 }
            var sawExp = false
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                exponent = exponent * 10 + Int(b[i] - 48)
                guard exponent < 1000 else { throw .outOfRange(String(text)) }
                i += 1; sawExp = true
            }
            guard sawExp else { throw .notANumber(String(text)) }
            if expNegative { exponent = -exponent }
        }
        guard i == b.count else { throw .notANumber(String(text)) }
        // value = 0.digits... scaled: integer digits count = pointIndex ?? digits.count, plus exponent.
        let integerDigits = (pointIndex ?? digits.count) + exponent
        // We want the integer N = round(value × 10^decimals): the first (integerDigits + decimals)
        // digits form N; the rest decide rounding.
        let keep = integerDigits + decimals
        // Accumulate the magnitude unsigned, so Int64.min (one more than Int64.max) parses too.
        var n: UInt64 = 0
        func push(_ d: UInt8) throws(ParseError) {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { throw .outOfRange(String(text)) }
            n = s
        }
        if keep > 0 {
            for k in 0..<keep { try push(k < digits.count ? digits[k] : 0) }
        }
        // Rounding: look at the dropped digits.
        let firstDropped = max(keep, 0)
        if firstDropped < digits.count && keep >= 0 {
            let dropped = digits[firstDropped...]
            let first = dropped.first!
            let restNonZero = dropped.dropFirst().contains { $0 != 0 }
            let roundUp = first > 5 || (first == 5 && (restNonZero || n % 2 != 0))
            if roundUp {
                let (s, o) = n.addingReportingOverflow(1)
                guard !o else { throw .outOfRange(String(text)) }
                n = s
            }
        }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard n <= limit else { throw .outOfRange(String(text)) }
        return negative ? Int64(truncatingIfNeeded: 0 &- n) : Int64(n)
    }

    /// Shortest exact text: `26574.53`, `-0.0005`, `12` (no trailing zeros, no exponent).
    public static func format(_ value: Int64, decimals: Int) -> String {
        precondition((0...18).contains(decimals))
        if decimals == 0 { return String(value) }
        let negative = value < 0
        let magnitude = value.magnitude
        let scale = UInt64(powersOf10[decimals])
        let whole = magnitude / scale
        var frac = magnitude % scale
        var text = (negative ? "-" : "") + String(whole)
        if frac != 0 {
            var width = decimals
            while frac % 10 == 0 { frac /= 10; width -= 1 }
            let f = String(frac)
            text += "." + String(repeating: "0", count: width - f.count) + f
        }
        return text
    }
}
