/// The Morris statistics of one factor from its r elementary effects EE = Δf / Δx (the change
/// of the outcome per full range of the factor): μ* = mean |EE| (Campolongo et al. 2007), μ =
/// mean EE, σ = their standard deviation (r − 1 in the denominator; 0 for r = 1).
package struct MorrisEffects: Sendable, Equatable {
    package var effects: [Double]
    package var muStar: Double
    package var mu: Double
    package var sigma: Double

    package init(effects: [Double]) {
        self.effects = effects
        let n = Double(effects.count)
        muStar = effects.reduce(0) { $0 + abs($1) } / n
        mu = effects.reduce(0, +) / n
        let m = mu
        sigma = effects.count < 2 ? 0 : (effects.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
    }

    /// The statistics of every factor of `design` from `values`, the outcome at each point of
    /// the design in its order (`design.points`); factor i's effects in trajectory order.
    package static func estimate(_ design: MorrisDesign, values: [Double]) -> [MorrisEffects] {
        precondition(values.count == design.pointCount)
        var effects = Array(repeating: [Double](), count: design.factors)
        let stride = design.factors + 1
        for (t, trajectory) in design.trajectories.enumerated() {
            for (j, step) in trajectory.steps.enumerated() {
                let df = values[t * stride + j + 1] - values[t * stride + j]
                effects[step.factor].append(df / (Double(step.direction) * design.delta))
            }
        }
        return effects.map(MorrisEffects.init(effects:))
    }
}
