import DominoLog
import DominoModel
@testable import DominoReplay
import Testing

/// Issue 14: the spec's `signals:`, `creditLines:` and `behaviour:` sections on the flagship.
@Suite struct BehaviourSpecTests {
    func error(_ overrides: [String]) -> SpecError? {
        do { _ = try Replay.loadSpec(path: Episodes.flagship, overrides: Episodes.sets(overrides)); return nil } catch let e as SpecError { return e } catch { return nil }
    }

    /// A platform's own modelled outcome is never a signal: refused on the outcome's day, and
    /// refused when its kind names the outcome.
    @Test func outcomesAreNotSignals() throws {
        let sameDay = try #require(error(["signals=[{date: 2022-06-13, about: Celsius, severity: high, source: x}]"]))
        #expect(sameDay.message.contains("falls on the day of its known outcome 'celsius-halt'"))
        let named = try #require(error(["signals=[{date: 2022-06-01, about: Celsius, severity: 0.5, kind: halt, source: x}]"]))
        #expect(named.message.contains("is its known outcome 'celsius-halt'"))
        // The same news about another entity, or another day, is a signal.
        #expect(error(["signals=[{date: 2022-06-01, about: Celsius, severity: 0.5, source: x}]"]) == nil)
        let unknown = try #require(error(["signals=[{date: 2022-06-01, about: Celsus, severity: 0.5, source: x}]"]))
        #expect(unknown.message.contains("did you mean 'Celsius'?"))
    }

    @Test func behaviourKeysAndCreditLinesReachTheModel() throws {
        let spec = try Replay.loadSpec(path: Episodes.flagship, overrides: Episodes.sets(["behaviour.ceiling=2%", "behaviour.decisionLag=6h"]))
        #expect(spec.parameters.behaviour.active)
        #expect(spec.parameters.behaviour.ceiling == Ratio(2_000_000))
        #expect(spec.parameters.behaviour.decisionLag == 6 * 3_600_000)
        let scenario = try Scenario(spec: spec)
        let voyager = scenario.state.agents[scenario.agentIndex["Voyager"]!]
        #expect(voyager.creditLines.map(\.amount) == [USD(485_000_000 * Fixed.one)])
        #expect(voyager.creditLines[0].from == UTCTime.parse("2022-06-22")!)
        #expect(voyager.creditLimit == .zero)
        #expect(error(["behaviour.ceiling=2"]) != nil)
        #expect(error(["behaviour.ceilng=0.01"])?.message.contains("did you mean 'ceiling'?") == true)
    }
}
