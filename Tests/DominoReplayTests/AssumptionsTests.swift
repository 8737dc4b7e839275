import DominoLog
import DominoModel
@testable import DominoReplay
import Testing

/// Issue 17 §1: the spec's `assumptions:` ranges and their per-path draws.
@Suite struct AssumptionsTests {
    func root(_ path: String = Episodes.flagship) throws -> SpecNode {
        try SpecFile.compose(try SpecFile.read(path: path), file: path)
    }

    func error(_ overrides: [String]) -> SpecError? {
        do { _ = try Replay.loadSpec(path: Episodes.flagship, overrides: Episodes.sets(overrides)); return nil } catch let e as SpecError { return e } catch { return nil }
    }

    @Test func theShippedSpecsDeclareTheirAssumptions() throws {
        let flagship = try Replay.loadSpec(path: Episodes.flagship)
        #expect(flagship.assumptions.map(\.name).contains("blockfi-assets"))
        let maintenance = try #require(flagship.assumptions.first { $0.name == "genesis-maintenance" })
        #expect(maintenance.form == .range(low: 70_000_000, high: 80_000_000))
        #expect(maintenance.distribution == .triangular)
        #expect(try Replay.loadSpec(path: Episodes.ftx).assumptions.count >= 5)
    }

    /// Uniform: low + u × width. Triangular on [70%, 80%] with mode 75%: F(mode) = 1/2;
    /// u = 1/8 → 70% + √(1/8 × 10% × 5%) = 70% + 2.5%; u = 7/8 → 80% − √(1/8 × 10% × 5%) = 77.5%.
    @Test func quantilesAreTheInverseDistributions() {
        let uniform = Assumption(name: "u", path: "x", form: .scale(low: 50_000_000, high: 200_000_000), distribution: .uniform, why: "", line: nil)
        #expect(Assumptions.quantile(uniform, u: 0, written: one) == 50_000_000)
        #expect(Assumptions.quantile(uniform, u: 50_000_000, written: one) == 125_000_000)
        let tri = Assumption(name: "t", path: "x", form: .range(low: 70_000_000, high: 80_000_000), distribution: .triangular, why: "", line: nil)
        #expect(Assumptions.quantile(tri, u: 12_500_000, written: 75_000_000) == 72_500_000)
        #expect(Assumptions.quantile(tri, u: 50_000_000, written: 75_000_000) == 75_000_000)
        #expect(Assumptions.quantile(tri, u: 87_500_000, written: 75_000_000) == 77_500_000)
        // Scale: the mode is the written value (1), clamped into [1.1, 1.3] → 1.1.
        let above = Assumption(name: "a", path: "x", form: .scale(low: 110_000_000, high: 130_000_000), distribution: .triangular, why: "", line: nil)
        #expect(Assumptions.quantile(above, u: 0, written: one) == 110_000_000)
        #expect(Assumptions.isqrt(99) == 9 && Assumptions.isqrt(100) == 10)
    }

    /// A scale draws one multiplier for a whole mapping, written in each figure's style; a
    /// range writes the value; the drawn spec parses.
    @Test func drawsWriteOverridesInTheFiguresStyle() throws {
        let spec = try Replay.loadSpec(path: Episodes.flagship)
        let shares = spec.assumptions.map { $0.name == "blockfi-assets" ? Int64(100_000_000 - 1) : 0 }
        let draw = try Assumptions.draw(spec, root: try root(), shares: shares)
        // BlockFi: {USDC: 2100000000, BTC: 53000, ETH: 548000} × (0.85 + 0.3 × 0.99999999) ≈ × 1.15.
        let usdc = try #require(draw.overrides.first { $0.path == "entities.BlockFi.liquid.USDC" })
        // The multiplier at 10⁻⁸: 0.85 + ⌊0.3 × 0.99999999⌋ = 1.14999999; 2.1e9 × 1.14999999 = 2,414,999,979.
        #expect(usdc.value == "2414999979")
        #expect(draw.overrides.contains { $0.path == "entities.BlockFi.liquid.BTC" && $0.value == "60950" })
        #expect(draw.overrides.contains { $0.path == "loans[14].maintenance" && $0.value == "70%" })
        let drawn = try Spec.parse(Overrides.apply(draw.overrides, to: try root()))
        #expect(drawn.entities.first { $0.name == "BlockFi" }!.liquid.first { $0.0 == "BTC" }!.1 == 60_950 * one)
        #expect(drawn.loans[14].maintenance == 70_000_000)
    }

    /// Keyed by (seed, path, stream): the same path draws the same whatever else was drawn,
    /// another path or seed draws otherwise.
    @Test func pathDrawsAreCounterBased() throws {
        let spec = try Replay.loadSpec(path: Episodes.flagship)
        let r = try root()
        let a = try PathRandom.overrides(spec, root: r, seed: 7, path: 41)
        _ = try PathRandom.overrides(spec, root: r, seed: 7, path: 3)
        #expect(try PathRandom.overrides(spec, root: r, seed: 7, path: 41).overrides == a.overrides)
        #expect(try PathRandom.overrides(spec, root: r, seed: 7, path: 42).overrides != a.overrides)
        #expect(try PathRandom.overrides(spec, root: r, seed: 8, path: 41).overrides != a.overrides)
        #expect(a.overrides.last?.path == "seed")
        _ = try Spec.parse(Overrides.apply(a.overrides, to: r))
    }

    @Test func badAssumptionsAreRefusedAtTheirLine() throws {
        let noPath = try #require(error(["assumptions=[{name: x, path: entities.Celsius.liquid.DOGE, scale: [0.5, 1], why: y}]"]))
        #expect(noPath.message.contains("does not lead to a value in the spec"))
        let both = try #require(error(["assumptions=[{name: x, path: seed, scale: [0.5, 1], range: [1, 2], why: y}]"]))
        #expect(both.message.contains("exactly one of"))
        let mapping = try #require(error(["assumptions=[{name: x, path: entities.Celsius.liquid, range: [1, 2], why: y}]"]))
        #expect(mapping.message.contains("use 'scale' for a mapping"))
        let inverted = try #require(error(["assumptions=[{name: x, path: seed, scale: [2, 1], why: y}]"]))
        #expect(inverted.message.contains("0 < low ≤ high"))
        let noWhy = try #require(error(["assumptions=[{name: x, path: seed, scale: [1, 2]}]"]))
        #expect(noWhy.message.contains("why"))
    }
}

extension AssumptionsTests {
    /// A `--set` that rewrites an assumed figure (here: BlockFi's 3AC collateral emptied) is not
    /// refused because the assumption's path no longer leads to numbers; a draw still scales the
    /// figures as written.
    @Test func anOverrideOfAnAssumedFigureIsAllowed() throws {
        #expect(error(["loans[15].collateral={}"]) == nil)
        #expect(error(["entities.BlockFi.liquid={USDC: 1}"]) == nil)
        let spec = try Replay.loadSpec(path: Episodes.flagship, overrides: Episodes.sets(["loans[15].collateral={}"]))
        let draw = try Assumptions.draw(spec, root: try root(), shares: spec.assumptions.map { _ in 0 })
        #expect(draw.overrides.contains { $0.path == "loans[15].collateral.BTC" && $0.value == "13140" }) // 14,600 × 0.9
    }
}
