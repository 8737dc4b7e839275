/// The state of a run at one moment, as the time scrubber shows it: a balance sheet per entity
/// and the exposures between entities. USD × 10^8.
package struct Snapshot: Equatable, Sendable {
    package struct Sheet: Equatable, Sendable {
        package var assets: Int64, liabilities: Int64, liquid: Int64, equity: Int64
        /// 0 running, 1 halted, 2 insolvent, 3 defaulted.
        package var status: Int
    }
    package struct EdgeKey: Hashable, Comparable, Sendable {
        package var from: Int, to: Int
        /// 0 loan, 1 deployment, 2 pool position.
        package var kind: Int
        package static func < (a: EdgeKey, b: EdgeKey) -> Bool { (a.from, a.to, a.kind) < (b.from, b.to, b.kind) }
    }
    package struct Edge: Equatable, Sendable {
        package var key: EdgeKey
        package var usd: Int64
    }
    package var time: Int64
    package var sheets: [Sheet]
    package var edges: [Edge]
    /// Paid out to each platform's depositors so far (USD).
    package var withdrawn: [Int64]

    package static let statusNames = ["running", "halted", "insolvent", "defaulted"]
}
