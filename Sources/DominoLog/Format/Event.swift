/// One event of a log: a price tick, a flow, an announcement, or a model outcome.
///
/// Fixed-width integer fields only, so a block of events is a handful of columns. The meaning of
/// `entity`, `counterparty`, `amount` and `aux` depends on `kind`; `datasets/FORMAT.md` has the
/// table. Ids refer to the header's tables; 0 means "none".
public struct Event: Equatable, Hashable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
    public var time: Int64
    public var kind: EventKind
    /// The acting or affected entity (depositor cohort, borrower, platform …), 0 = none.
    public var entity: UInt32
    /// The other side (platform, lender, creditor …), 0 = none.
    public var counterparty: UInt32
    /// Asset id, 0 = none (USD).
    public var asset: UInt32
    /// Fixed point. A price: USD per whole unit × 10^8. A quantity: units × 10^decimals of the
    /// asset, or USD × 10^8 when `asset` is 0. A signal: intensity × 10^8.
    public var amount: Int64
    /// Kind-specific integer: a signal's code, a margin call's deadline (ms), an outcome's USD
    /// value × 10^8. 0 when unused.
    public var aux: Int64

    @inlinable
    public init(time: Int64, kind: EventKind, entity: UInt32 = 0, counterparty: UInt32 = 0,
                asset: UInt32 = 0, amount: Int64 = 0, aux: Int64 = 0) {
        self.time = time
        self.kind = kind
        self.entity = entity
        self.counterparty = counterparty
        self.asset = asset
        self.amount = amount
        self.aux = aux
    }
}

/// Scales fixed by format version 1.
public enum Scale {
    /// Decimal places of every price and every USD amount.
    public static let usdDecimals = 8
    /// Decimal places of a signal's intensity.
    public static let intensityDecimals = 8
    /// Largest number of decimal places an asset may declare.
    public static let maxAssetDecimals = 18
}
