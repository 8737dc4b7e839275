/// What a counterfactual run compares itself with: the baseline run's forced sales, keyed by
/// input sequence number, for the market-impact overlay (a counterfactual's prices move only by
/// its sales beyond the baseline's). Depositors are not in it: the same behavioural rule runs
/// under every policy.
package struct BaselineTrace: Codable, Equatable, Sendable {
    package struct Sale: Codable, Equatable, Sendable {
        package var sequence: UInt64
        package var asset: Int
        package var usd: USD
    }
    package var sales: [Sale] = []
    package init() {}
}
