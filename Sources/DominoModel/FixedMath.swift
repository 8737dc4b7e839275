#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Integer fixed-point arithmetic for the model.
///
/// Units (all `Int64`):
/// - **USD**: dollars × 10^8 (`USD.one`). Max ≈ $92 billion per value; sums that can exceed it are
///   accumulated in `Int128`.
/// - **quantity**: token units × 10^8 (the model normalises every asset to 8 decimals on input).
/// - **price**: USD × 10^8 per whole token.
/// - **ratio / share**: × 10^8 (`Ratio.one` = 1.0 = 100%).
///
/// Every product goes through `Int128` and every division names its rounding: `mulDiv` rounds
/// toward zero, `mulDivUp` away from zero. A result outside Int64 (a value beyond the
/// representable range, ≈ $92.2 billion or 92.2 billion tokens) never wraps and never traps: it
/// saturates and is recorded as a fault (`Fixed.faults`), and the replay engine stops the run
/// with an error naming the entity, asset and time (see "Representable range" in README.md).
package enum Fixed {
    /// Faults so far in this process (any thread), and the thread of the latest: a run checks
    /// after each input whether the count moved on its own thread.
    package static let faults = Atomic<Int>(0)
    package static let faultThread = Atomic<UInt>(0)

    /// The calling thread's id (as `faultThread` records it).
    package static var currentThread: UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }

    /// Records a result outside Int64 and returns it saturated.
    @usableFromInline
    static func fault(_ negative: Bool) -> Int64 {
        faultThread.store(currentThread, ordering: .relaxed)
        faults.add(1, ordering: .relaxed)
        return negative ? .min : .max
    }

    /// x + y, saturating (and recorded as a fault) outside Int64.
    @inlinable
    package static func add(_ x: Int64, _ y: Int64) -> Int64 {
        let (s, o) = x.addingReportingOverflow(y)
        return o ? fault(y < 0) : s
    }

    package static let one: Int64 = 100_000_000

    /// a × b / c, rounded toward zero. c ≠ 0.
    ///
    /// When a × b fits in 64 bits the division is a 64-bit one (by a constant, e.g. `one`, a
    /// multiplication); otherwise the 128-bit product is divided by |c| with one 128-by-64-bit
    /// division. Both give exactly `Int128(a) * Int128(b) / Int128(c)` (truncated), and trap
    /// where it traps (c = 0, a result outside Int64).
    @inlinable
    package static func mulDiv(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        if !overflow { return p / c }
        return wideMulDiv(a, b, c)
    }

    /// `mulDiv` for a product that does not fit in 64 bits.
    @usableFromInline
    static func wideMulDiv(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        let negative = ((a < 0) != (b < 0)) != (c < 0)
        let m = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let d = c.magnitude
        precondition(d != 0, "Fixed.mulDiv: division by zero")
        guard m.high < d else { return fault(negative) }
        let q = d.dividingFullWidth((high: m.high, low: m.low)).quotient
        if negative {
            guard q <= UInt64(1) << 63 else { return fault(true) }
            return Int64(truncatingIfNeeded: 0 &- q)
        }
        guard q <= UInt64(Int64.max) else { return fault(false) }
        return Int64(q)
    }

    /// a × b / c, rounded away from zero (for amounts owed: never understate a claim).
    @inlinable
    package static func mulDivUp(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        let p = Int128(a) * Int128(b)
        let q = p / Int128(c), r = p % Int128(c)
        let x = r == 0 ? q : ((p < 0) != (c < 0) ? q - 1 : q + 1)
        guard let v = Int64(exactly: x) else { return fault(x < 0) }
        return v
    }

    /// Value in USD of `quantity` tokens at `price` (both × 10^8), rounded toward zero.
    @inlinable
    package static func value(_ quantity: Int64, at price: Int64) -> Int64 { mulDiv(quantity, price, one) }

    /// Tokens bought by `usd` at `price`, rounded toward zero.
    @inlinable
    package static func quantity(_ usd: Int64, at price: Int64) -> Int64 {
        price == 0 ? 0 : clamp(Int128(usd) * Int128(one) / Int128(price))
    }

    /// Tokens needed to be worth `usd` at `price`, rounded up, saturating at Int64.max (at a
    /// near-zero price — LUNA after May 2022 — any amount of USD is "all the tokens there are").
    @inlinable
    package static func quantityUp(_ usd: Int64, at price: Int64) -> Int64 {
        guard price > 0 else { return .max }
        let p = Int128(usd) * Int128(one)
        let q = p / Int128(price) + (p % Int128(price) == 0 ? 0 : 1)
        return clamp(q)
    }

    /// x × ratio (ratio × 10^8), rounded toward zero.
    @inlinable
    package static func scale(_ x: Int64, by ratio: Int64) -> Int64 { mulDiv(x, ratio, one) }

    /// a / b as a ratio × 10^8, rounded toward zero; `ifZero` when b is 0. Saturates at the
    /// Int64 bounds (a ratio over a tiny denominator is "enormous", not an overflow).
    @inlinable
    package static func ratio(_ a: Int64, _ b: Int64, ifZero: Int64 = 0) -> Int64 {
        b == 0 ? ifZero : clamp(Int128(a) * Int128(one) / Int128(b))
    }

    /// Clamps an Int128 sum into Int64 (saturating): used only for reporting aggregates.
    @inlinable
    package static func clamp(_ x: Int128) -> Int64 {
        x > Int128(Int64.max) ? .max : (x < Int128(Int64.min) ? .min : Int64(x))
    }

    /// Converts a quantity from `decimals` places to the model's 8.
    package static func normalise(_ amount: Int64, decimals: Int) -> Int64 {
        if decimals == 8 { return amount }
        if decimals < 8 {
            let (v, o) = amount.multipliedReportingOverflow(by: pow10(8 - decimals))
            return o ? fault(amount < 0) : v
        }
        return amount / pow10(decimals - 8)
    }

    package static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(Int64(1)) { acc, _ in acc * 10 } }
}
