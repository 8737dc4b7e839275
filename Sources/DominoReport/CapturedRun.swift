import DominoModel
import DominoReplay

/// A run replayed for the report: the run itself and the snapshots the time scrubber shows,
/// taken every metrics interval (after the first input at or past each sample time, so each
/// shows the book as that input left it). Replays `ReplayEngine.step` by step, which reaches the
/// same state as `Replay.run` (the test checks the state hash).
package struct CapturedRun: Sendable {
    package var label: String
    package var run: ReplayResult
    package var snapshots: [Snapshot]
    /// The model once the book was settled at the window's start (for the deposit trace).
    package var startModel: Model
    /// Withdrawals the input logs request from each platform's depositors by each snapshot
    /// (USD at the prices of the moment): the record's outflows, against what was paid.
    package var requested: [[Int64]]

    /// Replays `spec` (against `reference`, the baseline's trace, for a counterfactual).
    package static func replay(_ spec: Spec, label: String, reference: BaselineTrace? = nil) throws -> CapturedRun {
        var options = RunOptions()
        options.reference = reference
        var replayer = try ReplayEngine(spec, options: options)
        let interval = max(1, spec.parameters.metricsInterval)
        var next = spec.window.from
        var snapshots: [Snapshot] = []
        var requested: [[Int64]] = []
        let flows = try RecordedFlows(spec: spec, scenario: replayer.scenario)
        var asked = [Int64](repeating: 0, count: spec.entities.count)
        var start: Model? = nil
        while try replayer.step() {
            guard replayer.model.state.settled else { continue }
            if start == nil { start = replayer.model }
            if let e = replayer.lastEvent, let (p, usd) = flows.withdrawal(e, model: replayer.model) { asked[p] += usd }
            while next <= replayer.model.state.time && next <= spec.window.to {
                snapshots.append(ModelReads.snapshot(replayer.model, at: next))
                requested.append(asked)
                next += interval
            }
        }
        let run = try replayer.finish()
        while next <= spec.window.to {
            snapshots.append(ModelReads.snapshot(run.model, at: next))
            requested.append(asked)
            next += interval
        }
        return CapturedRun(label: label, run: run, snapshots: snapshots, startModel: start ?? run.model, requested: requested)
    }

    /// A spec with overrides, as `Replay.run(path:overrides:)` runs it: with counterfactual
    /// overrides the baseline (the shared overrides only) first, then the counterfactual against
    /// its trace. Returns the run asked for and the baseline when one was run.
    package static func replay(path: String, overrides: [Overrides.Assignment], label: String) throws -> (run: CapturedRun, baseline: CapturedRun?) {
        let counterfactual = overrides.contains { !Replay.isShared($0) }
        guard counterfactual else {
            return (try replay(try Replay.loadSpec(path: path, overrides: overrides), label: label), nil)
        }
        let baseline = try replay(try Replay.loadSpec(path: path, overrides: overrides.filter(Replay.isShared)), label: "baseline")
        let run = try replay(try Replay.loadSpec(path: path, overrides: overrides), label: label, reference: baseline.run.model.trace)
        return (run, baseline)
    }

    package var spec: Spec { run.scenario.spec }
    package var names: [String] { ModelReads.agentNames(run.model) }
}
