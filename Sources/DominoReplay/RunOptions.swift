import DominoModel

/// Options of one replay.
package struct RunOptions: Sendable {
    /// The baseline to compare with (a counterfactual run); nil for the baseline itself.
    package var reference: BaselineTrace?
    /// Write a checkpoint every this much model time (ms), into `checkpointDirectory`.
    package var checkpointEvery: Int64?
    package var checkpointDirectory: String?
    /// Continue from this checkpoint instead of from the start.
    package var resume: Checkpoint?
    /// Prices are read from this long before the window, so every asset has one at its start.
    package var warmup: Int64 = 30 * 86_400_000
    /// Let the model skip the checks after a price tick that its bounds prove would find nothing
    /// (`Model.incrementalChecks`). Outcomes and state are the same either way; off only to
    /// check exactly that.
    package var incrementalChecks = true
    /// A generated path's prices and shocks in place of the record (`PathInputs`); nil: the record.
    package var path: PathInputs?
    package init() {}
}
