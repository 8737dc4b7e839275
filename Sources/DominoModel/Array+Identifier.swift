/// Dense model arrays read by typed identifiers: the agents by `AgentID`, per-asset amounts by
/// `AssetID`. The arrays stay plain and dense; these only take the index out (no cost).
extension Array where Element == Agent {
    @inline(__always) package subscript(_ id: AgentID) -> Agent {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }
}

extension Array {
    @inline(__always) package subscript<U>(_ id: AssetID) -> Element where Element == Amount<U> {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }
}
