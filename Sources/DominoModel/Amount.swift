/// A fixed-point amount (× 10⁸, as everywhere in the model) of one unit: USD, a token quantity,
/// a price (USD per token) or a ratio. Amounts of one unit add, subtract and compare; across
/// units only the named operations below exist (`Quantity × Price → USD` …), each through
/// `Fixed` with its rounding, so a price used as a quantity does not compile. A plain `Int64`
/// inside (no cost: every operation is inlinable, so other modules get it specialised); encoded
/// as that integer, so checkpoints, the canonical state and its hash are what they were with
/// bare integers.
///
/// `raw` is the way out to plain fixed point, for `Fixed`'s own arithmetic and for encoders; a
/// rule that reaches for it to mix units is the thing these types are here to stop.
package struct Amount<Unit: AmountUnit>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    package var raw: Int64

    @inlinable @inline(__always) package init(_ raw: Int64) { self.raw = raw }

    @inlinable package static var zero: Self { Self(0) }
    /// The largest and smallest amounts (also the sentinels "no limit" and "none yet").
    @inlinable package static var max: Self { Self(.max) }
    @inlinable package static var min: Self { Self(.min) }
    /// 1.0 of the unit (one dollar, one token, one dollar per token, 100%).
    @inlinable package static var one: Self { Self(Fixed.one) }

    package init(from decoder: any Decoder) throws { raw = try decoder.singleValueContainer().decode(Int64.self) }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(raw)
    }

    package var description: String { String(raw) }

    @inlinable @inline(__always) package static func < (a: Self, b: Self) -> Bool { a.raw < b.raw }
    @inlinable @inline(__always) package static func + (a: Self, b: Self) -> Self { Self(a.raw + b.raw) }
    @inlinable @inline(__always) package static func - (a: Self, b: Self) -> Self { Self(a.raw - b.raw) }
    @inlinable @inline(__always) package static prefix func - (a: Self) -> Self { Self(-a.raw) }
    @inlinable @inline(__always) package static func += (a: inout Self, b: Self) { a.raw += b.raw }
    @inlinable @inline(__always) package static func -= (a: inout Self, b: Self) { a.raw -= b.raw }
    /// A whole multiple (a count, not an amount: `3 × $1` is $3).
    @inlinable @inline(__always) package static func * (n: Int64, a: Self) -> Self { Self(n * a.raw) }
    /// An even share (truncated toward zero).
    @inlinable @inline(__always) package static func / (a: Self, n: Int64) -> Self { Self(a.raw / n) }

    /// a + b, saturating (and recorded as a fault) outside Int64 (`Fixed.add`).
    @inlinable @inline(__always) package func adding(_ b: Self) -> Self { Self(Fixed.add(raw, b.raw)) }

    /// This amount scaled by a ratio (truncated toward zero, as `Fixed.scale`).
    @inlinable @inline(__always) package func scaled(by r: Ratio) -> Self { Self(Fixed.scale(raw, by: r.raw)) }
    /// This amount divided by a ratio, rounded up (away from zero), as `Fixed.mulDivUp(x, 1, r)`.
    @inlinable @inline(__always) package func dividedUp(by r: Ratio) -> Self { Self(Fixed.mulDivUp(raw, Fixed.one, r.raw)) }
    /// This amount × `numerator` / `denominator` (both of one unit), truncated: a pro-rata share
    /// (`loss × claim / claims`, a loan's principal × kept USD / total USD).
    @inlinable @inline(__always) package func scaled<V>(_ numerator: Amount<V>, over denominator: Amount<V>) -> Self {
        Self(Fixed.mulDiv(raw, numerator.raw, denominator.raw))
    }
    /// This amount × `numerator` / `denominator` of plain counts or durations, truncated (what
    /// is left of a fading alarm: `alarm × (fade − dt) / fade`).
    @inlinable @inline(__always) package func scaled(_ numerator: Int64, over denominator: Int64) -> Self {
        Self(Fixed.mulDiv(raw, numerator, denominator))
    }
    /// This amount over `whole` of the same unit, as a ratio (`ifZero` when `whole` is 0).
    @inlinable @inline(__always) package func ratio(to whole: Self, ifZero: Ratio = .zero) -> Ratio {
        Ratio(Fixed.ratio(raw, whole.raw, ifZero: ifZero.raw))
    }
}

/// The units of `Amount` (types without values).
package protocol AmountUnit: Sendable {}
package enum Dollars: AmountUnit {}
package enum Tokens: AmountUnit {}
package enum DollarsPerToken: AmountUnit {}
package enum Proportion: AmountUnit {}

/// USD × 10⁸.
package typealias USD = Amount<Dollars>
/// Tokens × 10⁸.
package typealias Quantity = Amount<Tokens>
/// USD per token × 10⁸.
package typealias Price = Amount<DollarsPerToken>
/// A share or multiple × 10⁸ (1.0 = 10⁸).
package typealias Ratio = Amount<Proportion>

/// The named operations across units, each rounding as its `Fixed` counterpart.
extension Amount where Unit == Tokens {
    /// Value at `price`: quantity × price / 10⁸, truncated (Int128 product).
    @inlinable @inline(__always) package static func * (q: Quantity, p: Price) -> USD { USD(Fixed.value(q.raw, at: p.raw)) }
    /// Value at `price`, rounded up (what a borrower owes on a quantity).
    @inlinable @inline(__always) package func valueUp(at p: Price) -> USD { USD(Fixed.mulDivUp(raw, p.raw, Fixed.one)) }
}

extension Amount where Unit == Dollars {
    /// Tokens `usd` buys at `price` (truncated).
    @inlinable @inline(__always) package func quantity(at p: Price) -> Quantity { Quantity(Fixed.quantity(raw, at: p.raw)) }
    /// Tokens worth this amount at `price`: usd × 10⁸ / price, truncated, recorded as a fault
    /// outside Int64 (`Fixed.mulDiv`; `quantity(at:)` saturates silently and gives 0 at price 0).
    @inlinable @inline(__always) package static func / (usd: USD, p: Price) -> Quantity { Quantity(Fixed.mulDiv(usd.raw, Fixed.one, p.raw)) }
    /// Tokens needed to raise `usd` at `price` (rounded up).
    @inlinable @inline(__always) package func quantityUp(at p: Price) -> Quantity { Quantity(Fixed.quantityUp(raw, at: p.raw)) }
}

extension Amount where Unit == Proportion {
    /// 1 − this ratio (the share kept after a haircut or fee).
    @inlinable @inline(__always) package var complement: Ratio { Ratio(Fixed.one - raw) }
}
