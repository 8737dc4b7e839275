import DominoModel

/// Counter-based randomness for stressed and sampled paths: every draw is keyed by
/// (seed, path, stream, index), never by the order in which paths run, so path k gives the same
/// result on any machine, shard or job count.
///
/// Streams keep the uses apart: a path's assumption draws, its price path and its shocks do not
/// shift each other, and its depositors' randomness is the model's own, seeded with
/// `behaviourSeed` (the model then keys its draws by agent, `SeededRandom(seed:stream:)`).
package enum PathRandom {
    package enum Stream: UInt64, Sendable, CaseIterable {
        case behaviour = 1, assumptions = 2, prices = 3, shocks = 4, bootstrap = 5
    }

    /// The generator for (seed, path, stream, index).
    package static func generator(seed: UInt64, path: Int, stream: Stream, index: UInt64 = 0) -> SeededRandom {
        let pathKey = SeededRandom(seed: seed, stream: UInt64(path)).state
        return SeededRandom(seed: pathKey, stream: stream.rawValue << 48 ^ index)
    }

    /// The model seed of path `path`: what `seed:` is set to for that path's replay.
    package static func behaviourSeed(seed: UInt64, path: Int) -> UInt64 {
        var g = generator(seed: seed, path: path, stream: .behaviour)
        return g.next() >> 1 // a spec seed is a non-negative Int64
    }

    /// The shares (in [0, 1) × 10⁸) that path `path` draws for `count` assumptions, one each.
    package static func assumptionShares(seed: UInt64, path: Int, count: Int) -> [Int64] {
        (0..<count).map { i in
            var g = generator(seed: seed, path: path, stream: .assumptions, index: UInt64(i))
            return g.share()
        }
    }

    /// Path `path`'s draw of the spec's assumptions and its model seed, as overrides (the seed
    /// last): the spec of that path is `root` with them applied.
    package static func overrides(_ spec: Spec, root: SpecNode, seed: UInt64, path: Int) throws -> (draw: Assumptions.Draw, overrides: [Overrides.Assignment]) {
        let draw = try Assumptions.draw(spec, root: root, shares: assumptionShares(seed: seed, path: path, count: spec.assumptions.count))
        return (draw, draw.overrides + [Overrides.Assignment(path: "seed", value: String(behaviourSeed(seed: seed, path: path)))])
    }
}
