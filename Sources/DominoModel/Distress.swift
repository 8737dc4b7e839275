/// Distress before default: claims marked to what their counterparty could pay now.
///
/// **Choice: Eisenberg–Noe clearing at market** (Eisenberg & Noe 2001, pro rata). A claim of
/// `i` on `j` is worth `p_j` of its face, where `p_j` is the share of its liabilities `j` could
/// pay if it were wound up now, at market, after its own claims on others are marked the same
/// way:
///
///     p_j = clamp((A_j − markdown_j) / L_j, 0, 1),   markdown_i = Σ_j claim_ij × (1 − p_j)
///
/// iterated from p = 1 to the greatest fixed point (each round can only lower p, so it
/// converges; at most `rounds` rounds, in index order, integers only). Secured claims are
/// covered by their collateral first: only the unsecured part of a loan (principal − collateral
/// at market, if positive) is a claim here, and `j`'s assets and liabilities leave the covered
/// part out. Deployments at a venue are claims on it. `A_j` leaves out `j`'s own token, as
/// `creditorHole` does: estates cannot sell it.
///
/// Why not DebtRank (Battiston et al. 2012; Bardoscia et al. 2015)? DebtRank marks a claim down
/// by the debtor's *relative equity loss since a reference date*, which needs a reference
/// balance sheet and marks claims on a fund that merely lost half its capital; the 2022 lenders
/// did not write such claims down, but every loss they recognised was on a counterparty
/// insolvent at market (3AC since mid-May in the model; Alameda). Clearing at market marks
/// exactly that, needs no reference date, and equals the loss the default rules would book if
/// the counterparty defaulted now with nothing reaching creditors from its estate. The
/// amplification reported per run is DebtRank's, though: total equity loss with the marks over
/// the equity loss of prices and realised losses alone (`Summary.swift`).
package struct Distress: Equatable, Sendable {
    /// Per agent: the share of its (uncovered) liabilities it could pay now, × 10^8.
    package var payment: [Ratio]
    /// Per agent: what its claims on others lose at those shares (USD × 10^8, ≥ 0).
    package var markdown: [USD]
    /// Rounds the clearing took (≤ `rounds`).
    package var rounds: Int
}

extension Model {
    /// An edge of the clearing network: `creditor`'s uncovered claim on `debtor`, USD.
    struct ClearingClaim { var creditor: Int, debtor: Int, usd: USD }

    /// The network of uncovered claims between agents now, in loan then deployment order.
    func clearingClaims() -> (claims: [ClearingClaim], covered: [USD]) {
        var claims: [ClearingClaim] = []
        var covered = [USD](repeating: .zero, count: state.agents.count)
        // Loans read in place: a copy would retain and release each loan's collateral array.
        for l in state.loans.indices where state.loans[l].isOpen {
            let owed = state.market.value(state.loans[l].asset, state.loans[l].principal)
            let secured = min(owed, collateralValue(l))
            let lender = state.loans[l].lender.index, borrower = state.loans[l].borrower.index
            covered[borrower] += secured
            if owed > secured { claims.append(.init(creditor: lender, debtor: borrower, usd: owed - secured)) }
        }
        for i in state.agents.indices {
            for d in state.agents[i].deployments where d.quantity > .zero {
                guard let venue = d.venue?.index, venue != i else { continue }
                claims.append(.init(creditor: i, debtor: venue, usd: state.market.value(d.asset, d.quantity)))
            }
        }
        return (claims, covered)
    }

    /// Eisenberg–Noe clearing at market prices now (see `Distress`).
    package func distress(rounds: Int = 64) -> Distress {
        let n = state.agents.count
        let (claims, covered) = clearingClaims()
        var assets = [USD](repeating: .zero, count: n), liabilities = [USD](repeating: .zero, count: n)
        for i in 0..<n {
            let sheet = balanceSheet(i)
            let own = state.agents[i].ownToken.map { state.agents[i].liquid[$0] > .zero ? state.market.value($0, state.agents[i].liquid[$0]) : .zero } ?? .zero
            assets[i] = sheet.assets - own - covered[i]
            liabilities[i] = sheet.liabilities - covered[i]
        }
        var payment = [Ratio](repeating: .one, count: n)
        var markdown = [USD](repeating: .zero, count: n)
        var done = 0
        for round in 1...max(1, rounds) {
            done = round
            markdown = [USD](repeating: .zero, count: n)
            for c in claims where payment[c.debtor] < .one {
                markdown[c.creditor] += c.usd - c.usd.scaled(by: payment[c.debtor])
            }
            var next = payment
            for j in 0..<n where liabilities[j] > .zero {
                next[j] = min(payment[j], max(.zero, min(.one, (assets[j] - markdown[j]).ratio(to: liabilities[j]))))
            }
            if next == payment { break }
            payment = next
        }
        return Distress(payment: payment, markdown: markdown, rounds: done)
    }
}
