/// What a counterfactual run compares itself with: the baseline run's depositor observables at
/// each withdrawal request and its forced sales, both keyed by input sequence number. The
/// baseline run records it; a counterfactual reads it, so that under the recorded policy the
/// recorded flows and prices pass unchanged (every difference is zero).
public struct BaselineTrace: Codable, Equatable, Sendable {
    public struct Observation: Codable, Equatable, Sendable {
        public var sequence: UInt64
        public var platform: Int
        public var values: [Int64]
    }
    public struct Sale: Codable, Equatable, Sendable {
        public var sequence: UInt64
        public var asset: Int
        public var usd: Int64
    }
    public var observations: [Observation] = []
    public var sales: [Sale] = []
    public init() {}
}
