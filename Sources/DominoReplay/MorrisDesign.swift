import DominoModel

/// A Morris screening design (Morris 1991; Campolongo, Cariboni and Saltelli 2007): `r`
/// trajectories through a `p`-level grid of the unit cube of `k` factors. Each trajectory starts
/// at a grid point and moves one factor at a time by ±Δ, Δ = p / (2(p − 1)), every factor once,
/// in a random order: k + 1 points, k elementary effects.
///
/// The design is drawn from `PathRandom` (trajectory t is path t, stream `.assumptions`, at an
/// index range of its own, so it never shares draws with a path's assumption draw): the same
/// (seed, r, p, k) give the same design on any machine.
package struct MorrisDesign: Sendable, Equatable {
    /// One trajectory: its k + 1 points (levels 0 … p − 1 per factor) and, for each step j
    /// (point j to j + 1), the factor moved and the direction (+1 up, −1 down).
    package struct Trajectory: Sendable, Equatable {
        package var points: [[Int]]
        package var steps: [(factor: Int, direction: Int)]

        package static func == (a: Trajectory, b: Trajectory) -> Bool {
            a.points == b.points && a.steps.map(\.factor) == b.steps.map(\.factor) && a.steps.map(\.direction) == b.steps.map(\.direction)
        }
    }

    package var factors: Int
    package var levels: Int
    package var trajectories: [Trajectory]

    /// The jump in levels (p / 2) and in the unit cube (Δ = p / (2(p − 1))).
    package var jump: Int { levels / 2 }
    package var delta: Double { Double(jump) / Double(levels - 1) }
    /// Points in the whole design: r × (k + 1).
    package var pointCount: Int { trajectories.count * (factors + 1) }

    /// The index range of the `.assumptions` stream a design draws from (a path's own assumption
    /// draws use indices 0 …< k).
    static let streamIndex: UInt64 = 1 << 40

    /// `r` trajectories for `k` factors over `p` levels (p even, ≥ 2), keyed by `seed`.
    package init(factors k: Int, levels p: Int, trajectories r: Int, seed: UInt64) {
        precondition(k >= 1 && p >= 2 && p % 2 == 0 && r >= 1)
        factors = k; levels = p
        let h = p / 2
        trajectories = (0..<r).map { t in
            var g = PathRandom.generator(seed: seed, path: t, stream: .assumptions, index: Self.streamIndex)
            var point: [Int] = []
            var direction: [Int] = []
            for _ in 0..<k {
                let up = g.below(2) == 0
                // Up: start at 0 … p − h − 1; down: at h … p − 1 (so the move stays on the grid).
                let start = Int(g.below(UInt64(p - h)))
                direction.append(up ? 1 : -1)
                point.append(up ? start : start + h)
            }
            var order = Array(0..<k)
            g.shuffle(&order)
            var points = [point]
            var steps: [(Int, Int)] = []
            for i in order {
                point[i] += direction[i] * h
                points.append(point)
                steps.append((i, direction[i]))
            }
            return Trajectory(points: points, steps: steps)
        }
    }

    /// A grid level as a coordinate of the unit cube: level / (p − 1).
    package func coordinate(_ level: Int) -> Double { Double(level) / Double(levels - 1) }

    /// A grid level as an assumption share in [0, 1) × 10⁸: level / (p − 1) of (10⁸ − 1), so
    /// the top level is the last share below 1 (the range's high end, to within 10⁻⁸).
    package func share(_ level: Int) -> Int64 {
        Int64(level) * (Fixed.one - 1) / Int64(levels - 1)
    }

    /// The points of the design, trajectory after trajectory (r × (k + 1) rows of k levels).
    package var points: [[Int]] { trajectories.flatMap(\.points) }
}
