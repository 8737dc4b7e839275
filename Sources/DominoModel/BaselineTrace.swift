/// What a counterfactual run compares itself with: the baseline run's depositor observables at
/// each withdrawal request and its forced sales, both keyed by input sequence number. The
/// baseline run records it; a counterfactual reads it, so that under the recorded policy the
/// recorded flows and prices pass unchanged (every difference is zero).
package struct BaselineTrace: Codable, Equatable, Sendable {
    package struct Observation: Codable, Equatable, Sendable {
        package var sequence: UInt64
        package var platform: Int
        package var values: [Int64]
    }
    package struct Sale: Codable, Equatable, Sendable {
        package var sequence: UInt64
        package var asset: Int
        package var usd: Int64
    }
    package var observations: [Observation] = []
    package var sales: [Sale] = []
    package init() {}
}
