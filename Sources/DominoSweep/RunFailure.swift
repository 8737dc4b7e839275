/// A run of a sweep that failed (its spec point is invalid, or its replay stopped with an
/// error): stored in `run_failures` with its one-line error instead of its results, so the
/// sweep goes on, a rerun skips it (it would fail the same way: runs are deterministic), and
/// `sweep report` lists it.
package struct RunFailure: Sendable, Equatable {
    package var runID: Int
    package var point: Int
    package var seed: UInt64
    package var parameters: [GridParameter]
    /// The error, one line (`file:line: what` as `domino replay` prints it).
    package var error: String

    package init(runID: Int, point: Int, seed: UInt64, parameters: [GridParameter], error: String) {
        self.runID = runID; self.point = point; self.seed = seed; self.parameters = parameters; self.error = error
    }

    /// `run 3 (policy=x seed=2)`: how messages name the run.
    package var label: String {
        "run \(runID) (" + (parameters.map { "\($0.key)=\($0.value)" } + ["seed=\(seed)"]).joined(separator: " ") + ")"
    }
}
