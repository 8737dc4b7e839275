/// A model index of one kind of thing: an agent, an asset, a loan, a cohort or a pool. The kind
/// is part of the type, so an asset index passed where an agent's is expected does not compile.
/// A plain `Int` inside (no cost); encoded as that integer.
package struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    package var index: Int

    @inlinable @inline(__always) package init(_ index: Int) { self.index = index }

    package init(from decoder: any Decoder) throws { index = try decoder.singleValueContainer().decode(Int.self) }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(index)
    }

    @inlinable @inline(__always) package static func < (a: Self, b: Self) -> Bool { a.index < b.index }

    package var description: String { "\(Kind.name) \(index)" }
}

/// The kinds of `Identifier` (types without values).
package protocol IdentifierKind: Sendable { static var name: String { get } }
package enum AgentKind: IdentifierKind { package static var name: String { "agent" } }
package enum AssetKind: IdentifierKind { package static var name: String { "asset" } }
package enum LoanKind: IdentifierKind { package static var name: String { "loan" } }
package enum CohortKind: IdentifierKind { package static var name: String { "cohort" } }
package enum PoolKind: IdentifierKind { package static var name: String { "pool" } }

package typealias AgentID = Identifier<AgentKind>
package typealias AssetID = Identifier<AssetKind>
package typealias LoanID = Identifier<LoanKind>
package typealias CohortID = Identifier<CohortKind>
package typealias PoolID = Identifier<PoolKind>
