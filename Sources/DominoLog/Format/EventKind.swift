/// The type of an event, stored as one byte.
///
/// Codes 1–31 are *inputs* (what the world did: prices, flows, announcements); codes 32–63 are
/// *outcomes* the model emits (what the rules made of it). The same format carries both, so a
/// replay's output log can be read, filtered and diffed with the same tools as its input.
///
/// New kinds are added by giving them a new, never reused code and appending them to `known`;
/// the block layout does not change, so the format version stays 1. An older reader meeting the
/// new code stops with `LogError.Code.unknownKind` (or skips and counts it when lenient).
public struct EventKind: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    // Inputs.
    public static let price = EventKind(rawValue: 1)
    public static let deposit = EventKind(rawValue: 2)
    public static let withdrawalRequest = EventKind(rawValue: 3)
    public static let borrow = EventKind(rawValue: 4)
    public static let repay = EventKind(rawValue: 5)
    public static let collateralPosted = EventKind(rawValue: 6)
    public static let collateralReleased = EventKind(rawValue: 7)
    public static let transfer = EventKind(rawValue: 8)
    public static let signal = EventKind(rawValue: 9)
    // Outcomes.
    public static let liquidation = EventKind(rawValue: 32)
    public static let marginCall = EventKind(rawValue: 33)
    public static let `default` = EventKind(rawValue: 34)
    public static let withdrawalHalt = EventKind(rawValue: 35)
    public static let insolvency = EventKind(rawValue: 36)
    public static let lossRecognised = EventKind(rawValue: 37)
    public static let loanRecalled = EventKind(rawValue: 38)

    /// Every kind this build knows, in code order, with its stable text name (used by JSONL/CSV,
    /// `--kind` and the header's kind table).
    public static let known: [(kind: EventKind, name: String)] = [
        (.price, "price"),
        (.deposit, "deposit"),
        (.withdrawalRequest, "withdrawal-request"),
        (.borrow, "borrow"),
        (.repay, "repay"),
        (.collateralPosted, "collateral-posted"),
        (.collateralReleased, "collateral-released"),
        (.transfer, "transfer"),
        (.signal, "signal"),
        (.liquidation, "liquidation"),
        (.marginCall, "margin-call"),
        (.default, "default"),
        (.withdrawalHalt, "halt"),
        (.insolvency, "insolvency"),
        (.lossRecognised, "loss"),
        (.loanRecalled, "recall"),
    ]

    /// Lookup table by code: `nil` where the code is unknown. Built once; 256 entries.
    private static let namesByCode: [String?] = {
        var table = [String?](repeating: nil, count: 256)
        for (kind, name) in known { table[Int(kind.rawValue)] = name }
        return table
    }()

    /// Whether this build knows the code (a 256-entry table lookup).
    @inlinable public var isKnown: Bool { EventKind.isKnownTable[Int(rawValue)] }
    public static let isKnownTable: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for (kind, _) in known { table[Int(kind.rawValue)] = true }
        return table
    }()

    /// Text name, or `kind-<code>` for a code this build does not know.
    public var name: String { EventKind.namesByCode[Int(rawValue)] ?? "kind-\(rawValue)" }

    public init?(name: String) {
        guard let entry = EventKind.known.first(where: { $0.name == name }) else { return nil }
        self = entry.kind
    }

    /// True for the outcome kinds (codes 32–63) that a replay emits.
    public var isOutcome: Bool { rawValue >= 32 && rawValue < 64 }

    /// Whether `amount` is a quantity of the event's asset (or of USD when the asset is none).
    /// Prices are per-unit values; `signal` carries an intensity.
    public var amountIsPrice: Bool { self == .price }

    public var description: String { name }
    public static func < (a: EventKind, b: EventKind) -> Bool { a.rawValue < b.rawValue }
}
