import DominoModel

/// What a generated path puts in place of the record (`domino stress`): prices for some assets
/// over the window (their recorded prices are then ignored) and extra inputs (entity shocks).
/// The replay merges them with the datasets' remaining events in time order; at equal times the
/// datasets' events come first, then the path's prices (in `prices` order), then its inputs.
package struct PathInputs: Sendable {
    package struct Tick: Sendable, Equatable {
        package var time: Int64
        package var asset: AssetID
        package var price: Price
        package init(time: Int64, asset: AssetID, price: Price) { self.time = time; self.asset = asset; self.price = price }
    }
    /// Model asset indices whose recorded prices the path replaces (from the window's start on;
    /// the warm-up before it keeps the record, so every asset opens at its recorded price).
    package var replaced: Set<Int>
    /// Generated prices, in time order (ties: as listed).
    package var prices: [Tick]
    /// Extra model inputs (an entity shock), in time order.
    package var inputs: [(time: Int64, input: Input)]

    package init(replaced: Set<Int> = [], prices: [Tick] = [], inputs: [(time: Int64, input: Input)] = []) {
        self.replaced = replaced; self.prices = prices; self.inputs = inputs
    }

    /// The recorded path: nothing replaced.
    package static let recorded = PathInputs()
}
