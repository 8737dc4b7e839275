/// The rules every stored event obeys, checked by the writer before it stores an event and by
/// `domino log check` on every event it reads.
///
/// - its kind is one this build knows;
/// - its time lies in the header's time range and not before the previous event's;
/// - a non-zero asset, entity or counterparty id is listed in the header;
/// - a price names an asset and is positive;
/// - quantities (every other kind but `signal`, whose intensity may be negative) are not negative.
package struct EventValidator: Sendable {
    package let header: LogHeader
    private let assetKnown: [Bool]
    private let entityIDs: Set<UInt32> // membership only; never iterated
    package private(set) var previousTime: Int64 = .min
    /// Lets a test write kinds this build does not know, as a newer writer would.
    var allowUnknownKinds = false

    package init(header: LogHeader) {
        self.header = header
        var table = [Bool](repeating: false, count: Int(header.largestAssetID) + 1)
        for a in header.assets { table[Int(a.id)] = true }
        assetKnown = table
        entityIDs = Set(header.entities.map(\.id))
    }

    /// The reason `event` is invalid, or nil. Advances the order check on success.
    package mutating func check(_ event: Event) -> LogError? {
        if let problem = checkContent(event) { return problem }
        guard event.time >= previousTime else {
            return LogError(.order, "time \(UTCTime.format(event.time)) is before the previous event's \(UTCTime.format(previousTime)); events must be in time order")
        }
        previousTime = event.time
        return nil
    }

    /// All rules except ordering.
    package func checkContent(_ event: Event) -> LogError? {
        guard event.kind.isKnown || allowUnknownKinds else { return LogError(.unknownKind, "unknown event kind code \(event.kind.rawValue)") }
        guard header.timeRange.contains(event.time) else {
            return LogError(.invalidEvent, "time \(UTCTime.format(event.time)) is outside the dataset's range \(UTCTime.format(header.timeRange.start)) … \(UTCTime.format(header.timeRange.end))")
        }
        if event.asset != 0 {
            guard Int(event.asset) < assetKnown.count, assetKnown[Int(event.asset)] else {
                return LogError(.badReference, "unknown asset id \(event.asset) (not in the header's asset table)")
            }
        }
        if event.entity != 0 && !entityIDs.contains(event.entity) {
            return LogError(.badReference, "unknown entity id \(event.entity) (not in the header's entity table)")
        }
        if event.counterparty != 0 && !entityIDs.contains(event.counterparty) {
            return LogError(.badReference, "unknown counterparty id \(event.counterparty) (not in the header's entity table)")
        }
        switch event.kind {
        case .price:
            guard event.asset != 0 else { return LogError(.invalidEvent, "a price event must name an asset") }
            guard event.amount > 0 else {
                return LogError(.invalidEvent, "price must be positive, got \(FixedPoint.format(event.amount, decimals: Scale.usdDecimals))")
            }
        case .signal:
            break
        default:
            guard event.amount >= 0 else {
                let decimals = header.asset(id: event.asset)?.decimals ?? Scale.usdDecimals
                return LogError(.invalidEvent, "\(event.kind.name) amount must not be negative, got \(FixedPoint.format(event.amount, decimals: decimals))")
            }
        }
        return nil
    }
}
