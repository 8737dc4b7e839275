/// A fixed-point amount (× 10⁸, as everywhere in the model) of one unit: USD, a token quantity,
/// a price (USD per token) or a ratio. Amounts of one unit add, subtract and compare; across
/// units only the named operations below exist (`Quantity × Price → USD` …), each through
/// `Fixed` with its rounding, so a price used as a quantity does not compile. A plain `Int64`
/// inside (no cost); encoded as that integer.
package struct Amount<Unit: AmountUnit>: Hashable, Comparable, Sendable, Codable {
    package var raw: Int64

    @inline(__always) package init(_ raw: Int64) { self.raw = raw }

    package static var zero: Self { Self(0) }

    package init(from decoder: any Decoder) throws { raw = try decoder.singleValueContainer().decode(Int64.self) }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(raw)
    }

    @inline(__always) package static func < (a: Self, b: Self) -> Bool { a.raw < b.raw }
    @inline(__always) package static func + (a: Self, b: Self) -> Self { Self(a.raw + b.raw) }
    @inline(__always) package static func - (a: Self, b: Self) -> Self { Self(a.raw - b.raw) }
    @inline(__always) package static prefix func - (a: Self) -> Self { Self(-a.raw) }
    @inline(__always) package static func += (a: inout Self, b: Self) { a.raw += b.raw }
    @inline(__always) package static func -= (a: inout Self, b: Self) { a.raw -= b.raw }

    /// This amount scaled by a ratio (truncated toward zero, as `Fixed.scale`).
    @inline(__always) package func scaled(by r: Ratio) -> Self { Self(Fixed.scale(raw, by: r.raw)) }
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
    @inline(__always) package static func * (q: Quantity, p: Price) -> USD { USD(Fixed.value(q.raw, at: p.raw)) }
}

extension Amount where Unit == Dollars {
    /// Tokens `usd` buys at `price` (truncated).
    @inline(__always) package func quantity(at p: Price) -> Quantity { Quantity(Fixed.quantity(raw, at: p.raw)) }
    /// Tokens needed to raise `usd` at `price` (rounded up).
    @inline(__always) package func quantityUp(at p: Price) -> Quantity { Quantity(Fixed.quantityUp(raw, at: p.raw)) }
    /// This amount over `whole` as a ratio (`ifZero` when `whole` is 0).
    @inline(__always) package func ratio(to whole: USD, ifZero: Ratio = .zero) -> Ratio { Ratio(Fixed.ratio(raw, whole.raw, ifZero: ifZero.raw)) }
}
