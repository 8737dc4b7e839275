import DominoModel

/// The result of a replay: the final model, every outcome, the sampled metrics and hashes.
package struct ReplayResult: Sendable {
    package var scenario: Scenario
    package var model: Model
    /// Every outcome, each with its USD value (`Outcome.usd`).
    package var outcomes: [Outcome]
    package var entityMetrics: [EntityMetrics]
    package var priceMetrics: [PriceMetrics]
    /// The exposure network at each metrics sample (`network.csv`).
    package var network: [NetworkEdge]
    package var initialHash: String
    package var finalHash: String
    package var inputsApplied: UInt64
    package var eventsIgnored: UInt64
    /// The checkpoints this process wrote (not those of a run it resumed).
    package var checkpoints: [(time: Int64, hash: String, path: String)]
    /// Share of customer claims each agent had lent, deployed or pledged on pools once its policy was applied
    /// (capital efficiency: what is earning).
    package var reuseAtStart: [Int64]
    /// Customer claims (USD) per agent at the start, after policies.
    package var claimsAtStart: [Int64]

    /// The result of a finished replay: its final model and what it recorded.
    package init(scenario: Scenario, model: Model, recorder: RunRecorder, checkpoints: [(time: Int64, hash: String, path: String)]) {
        self.scenario = scenario
        self.model = model
        outcomes = recorder.outcomes
        entityMetrics = recorder.entityMetrics
        priceMetrics = recorder.priceMetrics
        network = recorder.network
        initialHash = recorder.initialHash
        finalHash = Replay.stateHash(model.state)
        inputsApplied = recorder.inputsApplied
        eventsIgnored = recorder.eventsIgnored
        self.checkpoints = checkpoints
        reuseAtStart = recorder.reuseAtStart
        claimsAtStart = recorder.claimsAtStart
    }
}
