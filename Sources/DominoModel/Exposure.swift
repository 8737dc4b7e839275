/// The exposure graph: every claim is an edge.
///
/// - `deposit`: cohort → platform (the depositor's claim on the platform, in an asset);
/// - `loan`: lender → borrower (the lender's claim on the borrower);
/// - `collateral`: borrower → lender (the borrower's asset held by the lender);
/// - `deployment`: holder → venue (a claim on the venue, or on nobody for a direct position);
/// - `position`: owner → pool (collateral locked in a pool).
///
/// It answers, for any holder and asset, what chain of reuse stands behind it, and how many
/// claims exist on each token actually held. Parties are numbered like outcomes: agents
/// 0..<A, cohorts A..<A+C.
package struct ExposureEdge: Equatable, Sendable, Codable {
    package enum Kind: String, Sendable, Codable { case deposit, loan, collateral, deployment, position }
    package var kind: Kind
    package var from: Int
    package var to: Int?
    package var asset: Int
    package var quantity: Quantity
}

extension Model {
    /// Every claim in the model now, in a fixed order (cohorts, loans, deployments, positions).
    package func exposureEdges() -> [ExposureEdge] {
        let agents = state.agents.count
        var edges: [ExposureEdge] = []
        for (c, cohort) in state.cohorts.enumerated() {
            for a in 0..<state.assetCount where cohort.claims[a] > .zero {
                edges.append(.init(kind: .deposit, from: agents + c, to: cohort.platform.index, asset: a, quantity: cohort.claims[a]))
            }
        }
        for loan in state.loans where loan.isOpen {
            edges.append(.init(kind: .loan, from: loan.lender.index, to: loan.borrower.index, asset: loan.asset.index, quantity: loan.principal))
            for a in 0..<state.assetCount where loan.collateral[a] > .zero {
                edges.append(.init(kind: .collateral, from: loan.borrower.index, to: loan.lender.index, asset: a, quantity: loan.collateral[a]))
            }
        }
        for (i, agent) in state.agents.enumerated() {
            for d in agent.deployments where d.quantity > .zero {
                edges.append(.init(kind: .deployment, from: i, to: d.venue?.index, asset: d.asset.index, quantity: d.quantity))
            }
        }
        for pool in state.pools {
            for p in pool.positions where p.collateral > .zero {
                edges.append(.init(kind: .position, from: (p.owner ?? pool.agent).index, to: pool.agent.index, asset: p.collateralAsset.index, quantity: p.collateral))
            }
        }
        return edges
    }

    /// The chain of reuse behind `holder`'s claims in `asset`: starting from what the holder is
    /// owed, follow where the platform put that asset — lent on, pledged again, deployed —
    /// breadth first, each party visited once. The first edges are the holder's own.
    package func reuseChain(holder: Int, asset: Int, maxDepth: Int = 8) -> [ExposureEdge] {
        let edges = exposureEdges().filter { $0.asset == asset }
        var chain: [ExposureEdge] = []
        var frontier = [holder]
        var visited: Set<Int> = [holder] // membership only
        for _ in 0..<maxDepth {
            var next: [Int] = []
            for party in frontier {
                // Claims the party holds (deposits, loans made) point at who holds the asset now;
                // a party's pledges and deployments pass the asset on.
                for e in edges {
                    let onward: Int?
                    switch e.kind {
                    case .deposit, .loan, .deployment, .position: onward = e.from == party ? e.to : nil
                    case .collateral: onward = e.from == party ? e.to : nil
                    }
                    guard let to = onward else { continue }
                    chain.append(e)
                    if !visited.contains(to) { visited.insert(to); next.append(to) }
                }
            }
            if next.isEmpty { break }
            frontier = next
        }
        return chain
    }

    /// Claims on `asset` (deposits, loans and claims on venues denominated in it) per token of
    /// it actually held inside the model (liquid, pledged, in pools or deployed), × 10^8.
    package func claimMultiplier(asset: Int) -> Ratio {
        var claims: Int128 = 0
        for e in exposureEdges() where e.asset == asset {
            switch e.kind {
            case .deposit, .loan: claims += Int128(e.quantity.raw)
            case .deployment: if e.to != nil { claims += Int128(e.quantity.raw) }
            case .collateral, .position: break
            }
        }
        let held = conservedTotals()[asset] - Int128(state.outside[asset].raw)
        guard held > 0 else { return .zero }
        return Ratio(Int64(claims * Int128(Fixed.one) / held))
    }

    /// The per-entity reuse multiplier reported in metrics: what the entity owes (customer
    /// claims, loans taken, credit drawn) per dollar of assets in its custody (liquid holdings
    /// and collateral it holds for loans it made), × 10^8. 1.0 means fully backed by assets it
    /// holds; 3.0 means three dollars of claims per dollar in custody.
    package func reuseMultiplier(_ i: Int) -> Ratio {
        let sheet = balanceSheet(i)
        var custody = sheet.liquid
        for l in state.loans.indices where state.loans[l].isOpen && state.loans[l].lender.index == i { custody += collateralValue(l) }
        return sheet.liabilities.ratio(to: custody)
    }
}
