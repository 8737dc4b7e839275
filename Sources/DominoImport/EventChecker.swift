import DominoLog

/// `EventValidator`'s content rules plus the declared time range, which on the command line may
/// be open at either end (`--from` without `--to`). The validator runs over a copy of the header
/// whose range is all of `Int64` (it then never fails on time, and never formats an open end,
/// which `UTCTime.format` cannot do for `Int64.min`/`.max`); the range is checked here.
struct EventChecker: Sendable {
    private let validator: EventValidator
    let from: Int64?
    let to: Int64?

    init(header: LogHeader, from: Int64?, to: Int64?) {
        var unbounded = header
        unbounded.timeRange = .init(start: .min, end: .max)
        validator = EventValidator(header: unbounded)
        self.from = from
        self.to = to
    }

    /// Why `event` cannot be stored, or nil. No location: the caller knows the file and line.
    func problem(_ event: Event) -> LogError? {
        if let problem = validator.checkContent(event) { return problem }
        if let from, event.time < from { return outside(event.time) }
        if let to, event.time > to { return outside(event.time) }
        return nil
    }

    private func outside(_ t: Int64) -> LogError {
        let lo = from.map(UTCTime.format) ?? "(open)", hi = to.map(UTCTime.format) ?? "(open)"
        return LogError(.invalidEvent, "time \(UTCTime.format(t)) is outside the dataset's range \(lo) … \(hi)")
    }
}
