import Foundation
import Testing
@testable import DominoModel

/// Outcomes are packed (56 bytes instead of 120) and still read, write, compare and encode as
/// the plain fields they replace.
@Suite struct OutcomeTests {
    @Test func outcomesAreCompact() {
        #expect(MemoryLayout<Outcome>.stride == 56)
    }

    @Test func fieldsReadBackAsWritten() {
        var o = Outcome(time: 7, kind: .recall, party: .agent(AgentID(3)), counterparty: .cohort(CohortID(2)), asset: AssetID(4),
                        quantity: Quantity(-5), usd: USD(6), due: 0, owed: USD(.max))
        #expect(o.party == .agent(AgentID(3)) && o.counterparty == .cohort(CohortID(2)) && o.asset == AssetID(4))
        #expect(o.quantity == Quantity(-5) && o.due == 0 && o.owed == USD(.max) && o.usd == USD(6) && o.time == 7)
        o.quantity = nil
        o.due = nil
        o.asset = nil
        o.party = .none
        #expect(o.quantity == nil && o.due == nil && o.asset == nil && o.party == .none && o.owed == USD(.max))
        // Equal fields, equal outcomes, however they were set.
        #expect(o == Outcome(time: 7, kind: .recall, party: .none, counterparty: .cohort(CohortID(2)), usd: USD(6), owed: USD(.max)))
        #expect(o != Outcome(time: 7, kind: .recall, party: .none, counterparty: .cohort(CohortID(2)), quantity: .zero, usd: USD(6), owed: USD(.max)))
    }

    /// The keys of the unpacked struct, absent optionals left out (checkpoints).
    @Test func encodesTheFieldsAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let liquidation = Outcome(time: 1, kind: .liquidation, party: .agent(AgentID(0)), counterparty: .agent(AgentID(1)),
                                  asset: AssetID(2), quantity: Quantity(3), usd: USD(4))
        #expect(String(decoding: try encoder.encode(liquidation), as: UTF8.self)
            == #"{"asset":2,"counterparty":{"agent":{"_0":1}},"kind":"liquidation","party":{"agent":{"_0":0}},"quantity":3,"time":1,"usd":4}"#)
        let halt = Outcome(time: 5, kind: .halt, party: .cohort(CohortID(1)), usd: USD(9), due: 8)
        #expect(String(decoding: try encoder.encode(halt), as: UTF8.self)
            == #"{"counterparty":{"none":{}},"due":8,"kind":"halt","party":{"cohort":{"_0":1}},"time":5,"usd":9}"#)
        for o in [liquidation, halt] { #expect(try JSONDecoder().decode(Outcome.self, from: encoder.encode(o)) == o) }
    }
}
