/// One edge of the exposure network at a time, in USD: what `lender` is owed by (or has placed
/// with) `borrower`, the collateral it holds against it, and the claim marked to what the
/// borrower could pay now (Eisenberg–Noe clearing at market, `Distress.swift`).
///
/// Kinds: `loan` (an open loan, lender → borrower, in its asset), `venue` (a deployment at a
/// venue in the model, holder → venue: a deposit at an exchange, a position with a fund) and
/// `creditLine` (what a borrower has drawn on a line whose provider is in the model, provider →
/// borrower). Marks follow the clearing: the covered part of a loan (up to its collateral at
/// market) keeps its value; the rest, and every venue claim and drawn line, is worth the
/// borrower's payment share. Read from the state only (the model stays a pure fold).
package struct NetworkEdge: Equatable, Sendable, Codable {
    package enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        case loan, venue, creditLine
        package static func < (a: Kind, b: Kind) -> Bool { a.order < b.order }
        var order: Int { switch self { case .loan: 0; case .venue: 1; case .creditLine: 2 } }
    }
    package var time: Int64
    package var lender: Int
    package var borrower: Int
    package var kind: Kind
    /// Asset of the claim (nil for a credit line, drawn in USD).
    package var asset: Int?
    /// Face value of the claim at market, USD × 10^8.
    package var nominal: USD
    /// Collateral the lender holds against it at market, USD × 10^8 (0 but for loans).
    package var collateral: USD
    /// The claim marked to what the borrower could pay now, USD × 10^8 (≤ nominal).
    package var marked: USD
    /// The loss at the mark: nominal − marked.
    package var loss: USD { nominal - marked }
}

extension Model {
    /// The exposure network now, with marks from `marks` (this state's clearing; computed when
    /// nil), ordered by lender, borrower, kind, asset, then the state's own order (loans, then
    /// deployments, then credit lines, by index).
    package func networkEdges(marks: Distress? = nil) -> [NetworkEdge] {
        let payment = (marks ?? distress()).payment
        var edges: [NetworkEdge] = []
        for l in state.loans.indices where state.loans[l].isOpen { // read in place, as `clearingClaims`
            let asset = state.loans[l].asset, lender = state.loans[l].lender.index, borrower = state.loans[l].borrower.index
            let owed = state.market.value(asset, state.loans[l].principal)
            let held = collateralValue(l)
            let secured = min(owed, held)
            let marked = secured + (owed - secured).scaled(by: payment[borrower])
            edges.append(.init(time: state.time, lender: lender, borrower: borrower, kind: .loan,
                               asset: asset.index, nominal: owed, collateral: held, marked: marked))
        }
        for i in state.agents.indices {
            for d in state.agents[i].deployments where d.quantity > .zero {
                guard let venue = d.venue?.index, venue != i else { continue }
                let usd = state.market.value(d.asset, d.quantity)
                edges.append(.init(time: state.time, lender: i, borrower: venue, kind: .venue, asset: d.asset.index,
                                   nominal: usd, collateral: .zero, marked: usd.scaled(by: payment[venue])))
            }
        }
        for i in state.agents.indices {
            for line in state.agents[i].creditLines where line.drawn > .zero {
                guard let provider = line.provider?.index, provider != i else { continue }
                edges.append(.init(time: state.time, lender: provider, borrower: i, kind: .creditLine, asset: nil,
                                   nominal: line.drawn, collateral: .zero, marked: line.drawn.scaled(by: payment[i])))
            }
        }
        // Stable: equal keys keep the state's order.
        return edges.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.lender != y.lender { return x.lender < y.lender }
            if x.borrower != y.borrower { return x.borrower < y.borrower }
            if x.kind != y.kind { return x.kind < y.kind }
            if (x.asset ?? -1) != (y.asset ?? -1) { return (x.asset ?? -1) < (y.asset ?? -1) }
            return a.offset < b.offset
        }.map(\.element)
    }
}
