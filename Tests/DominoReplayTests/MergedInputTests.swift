import DominoLog
import DominoModel
@testable import DominoReplay
import DominoTestFixtures
import Foundation
import Testing

/// `Replay.run` applies runs of price ticks straight from the decoded columns (the fast path,
/// `MergedInput.applyPriceRun`); `domino diff` steps one event at a time (the slow path). Over the episodes — two and
/// three datasets interleaved, ties between them, metrics samples and checkpoints inside runs of
/// ticks — both must be the same run.
@Suite(.serialized) struct BatchedReplayEqualsStepping {
    func stepped(_ spec: Spec, _ options: RunOptions = RunOptions()) throws -> ReplayResult {
        var engine = try ReplayEngine(spec, options: options)
        var events = 0
        while try engine.step() { events += 1 }
        #expect(events > 10_000)
        return try engine.finish()
    }

    @Test(arguments: ["3ac-celsius-2022.yaml", "ftx-2022.yaml", "terra-2022.yaml"])
    func sameRunEitherWay(_ name: String) throws {
        let spec = try Replay.loadSpec(path: Episodes.path(name))
        let batched = try Replay.run(spec), stepped = try stepped(spec)
        // (Compared as Bools: a failure should name what differs, not print both runs.)
        #expect(batched.finalHash == stepped.finalHash)
        let sameOutcomes = batched.outcomes == stepped.outcomes
        #expect(sameOutcomes, "outcomes differ")
        let sameEntityMetrics = batched.entityMetrics == stepped.entityMetrics
        #expect(sameEntityMetrics, "entity metrics differ")
        let samePriceMetrics = batched.priceMetrics == stepped.priceMetrics
        #expect(samePriceMetrics, "price metrics differ")
        #expect(batched.inputsApplied == stepped.inputsApplied && batched.eventsIgnored == stepped.eventsIgnored)
        #expect(!batched.outcomes.isEmpty)
    }

    @Test func checkpointsFallAtTheSameEvents() throws {
        let spec = try Replay.loadSpec(path: Episodes.flagship)
        let dir = TempDir()
        var a = RunOptions(), b = RunOptions()
        a.checkpointEvery = 86_400_000 * 7 + 3_600_000 // not on an hour of the price series
        b.checkpointEvery = a.checkpointEvery
        a.checkpointDirectory = dir.file("a")
        b.checkpointDirectory = dir.file("b")
        let batched = try Replay.run(spec, options: a), stepped = try stepped(spec, b)
        #expect(batched.checkpoints.count >= 10)
        #expect(batched.checkpoints.map(\.hash) == stepped.checkpoints.map(\.hash))
        #expect(batched.finalHash == stepped.finalHash)
    }
}

/// The merge hands out events in the strict order of their key (time, dataset order, position):
/// over an episode of three datasets, every key is greater than the one before, and the input
/// position counts the events handed out.
@Suite struct MergedInputOrder {
    @Test func keysStrictlyIncrease() throws {
        let spec = try Replay.loadSpec(path: Episodes.path("terra-2022.yaml"))
        #expect(spec.datasets.count >= 2)
        let scenario = try Scenario(spec: spec)
        var input = try MergedInput(try Replay.openDatasets(spec), scenario: scenario, from: spec.window.from - RunOptions().warmup, to: spec.window.to)
        var previous: MergedInput.Key? = nil
        var datasets = Set<Int>()
        var ties = 0
        while let key = input.key, let head = input.head {
            #expect(head.event.time == key.time && head.dataset == key.dataset)
            if let previous {
                if !(previous < key) { Issue.record("key \(key) after \(previous)"); return }
                if previous.time == key.time && previous.dataset != key.dataset { ties += 1 }
            }
            datasets.insert(key.dataset)
            previous = key
            try input.consume(head)
        }
        #expect(datasets.count == spec.datasets.count)
        #expect(input.position > 10_000)
        #expect(ties > 0) // events of different datasets at one time: the dataset order decides
    }
}
