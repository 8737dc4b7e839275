import DominoModel
/// Steele, Lea and Flood's SplitMix64: a tiny, fast, seeded generator whose output depends only
/// on the seed (not on the standard library's algorithms, which may change between versions).
///
/// Bounded draws use Lemire's multiply-shift with rejection, so they are exactly uniform and the
/// same on every platform.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The project's one SplitMix64 (the model's `SeededRandom`); this type adds the draws the
    /// synthetic workloads need.
    @usableFromInline var core: SeededRandom

    package var state: UInt64 { core.state }

    package init(seed: UInt64) { core = SeededRandom(seed: seed) }

    /// A generator for stream `stream` of run `seed`: adding a stream never shifts another's draws.
    package init(seed: UInt64, stream: UInt64) {
        var mixer = SeededRandom(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        core = SeededRandom(seed: mixer.next())
    }

    @inlinable
    package mutating func next() -> UInt64 { core.next() }

    /// Uniform in `0 ..< bound` (bound > 0), exactly (Lemire's method with rejection).
    @inlinable
    package mutating func below(_ bound: UInt64) -> UInt64 { core.below(bound) }

    /// Uniform in `range`.
    @inlinable
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(below(UInt64(range.upperBound - range.lowerBound) + 1))
    }

    /// True with probability `numerator / denominator`.
    @inlinable
    package mutating func chance(_ numerator: UInt64, in denominator: UInt64) -> Bool {
        below(denominator) < numerator
    }

    /// An approximately normal integer with mean 0 and standard deviation about 2^16: the centred
    /// Irwin–Hall sum of four uniform 16-bit draws (one `next()`), scaled by √3, so within about
    /// ±3.5 standard deviations. Integer only, so the same everywhere.
    @inlinable
    package mutating func gaussianish() -> Int64 {
        let r = next()
        // Four 16-bit uniforms: each has variance 2^32/12, their sum 2^32/3; × √3 gives 2^32.
        var sum: Int64 = 0
        sum &+= Int64(r & 0xFFFF)
        sum &+= Int64((r >> 16) & 0xFFFF)
        sum &+= Int64((r >> 32) & 0xFFFF)
        sum &+= Int64(r >> 48)
        sum -= 2 * 0xFFFF
        // × √3 ≈ 1.7320508 as 7094/4096.
        return (sum * 7094) >> 12
    }
}
