// Public, not package, only while DominoBench's public SplitMix64 inlines it (`@inlinable`); package
// once DominoBench is (issue 12 §4).
/// The model's only source of randomness: SplitMix64, seeded, with our own bounded draw and
/// shuffle (the standard library's algorithms may change between versions).
///
/// Streams are per agent: `SeededRandom(seed: runSeed, stream: agentID)` mixes both, so adding an
/// agent in a counterfactual does not shift any other agent's draws.
public struct SeededRandom: Sendable, Codable, Equatable {
    /// The generator's whole state (settable so the struct stays a plain inlinable value).
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededRandom(seed: seed ^ 0x6A09_E667_F3BC_C909)
        var s = mixer.next()
        s ^= stream &* 0x9E37_79B9_7F4A_7C15
        state = SeededRandom(seed: s).peek()
    }

    private func peek() -> UInt64 { var copy = self; return copy.next() }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's method with rejection).
    @inlinable
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }

    /// Fisher–Yates shuffle with `below`.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(below(UInt64(i + 1)))
            array.swapAt(i, j)
        }
    }

    /// A uniform share in [0, 1) × 10^8.
    public mutating func share() -> Int64 { Int64(below(UInt64(Fixed.one))) }
}
