import DominoModel

/// The cross-references of a spec, checked once it is parsed or built.
extension Spec {
    /// Every name a spec refers to must be declared: entities, assets, the cash asset. `parse`
    /// calls it; a spec built in memory (e.g. by a benchmark) should too.
    package func validate() throws {
        let entityNames = entities.map(\.name)
        let assetNames = assets.map(\.symbol)
        func entity(_ name: String, _ line: Int?, _ what: String) throws {
            guard entityNames.contains(name) else {
                let hint = Suggestion.didYouMean(name, in: entityNames)
                throw SpecError(file: file, line: line, "\(what) names unknown entity '\(name)'\(hint)")
            }
        }
        func asset(_ name: String, _ line: Int?, _ what: String) throws {
            guard assetNames.contains(name) else {
                let hint = Suggestion.didYouMean(name, in: assetNames)
                throw SpecError(file: file, line: line, "\(what) names asset '\(name)', which is not under 'assets'\(hint)")
            }
        }
        try asset(cash, nil, "'cash'")
        for e in entities {
            for (a, _) in e.liquid { try asset(a, e.line, "entity \(e.name)") }
            if let t = e.ownToken { try asset(t, e.line, "entity \(e.name)") }
            for d in e.deployments {
                try asset(d.asset, e.line, "a deployment of \(e.name)")
                if let v = d.venue { try entity(v, e.line, "a deployment of \(e.name)") }
            }
        }
        for c in cohorts {
            try entity(c.platform, c.line, "cohort \(c.name)")
            if let role = entities.first(where: { $0.name == c.platform })?.role, ![.lender, .exchange, .pool].contains(role) {
                throw SpecError(file: file, line: c.line,
                                "cohort \(c.name)'s platform \(c.platform) is a \(role.rawValue); depositors' platforms are lenders, exchanges or pools")
            }
            for (a, _) in c.claims { try asset(a, c.line, "cohort \(c.name)") }
        }
        for l in loans {
            try entity(l.lender, l.line, "a loan"); try entity(l.borrower, l.line, "a loan"); try asset(l.asset, l.line, "a loan")
            guard l.lender != l.borrower else { throw SpecError(file: file, line: l.line, "a loan from \(l.lender) to itself") }
            for (a, _) in l.collateral { try asset(a, l.line, "a loan's collateral") }
        }
        for p in pools {
            try entity(p.entity, p.line, "pool")
            guard entities.first(where: { $0.name == p.entity })?.role == .pool else {
                throw SpecError(file: file, line: p.line, "pool \(p.entity) must be an entity with role 'pool'")
            }
            for x in p.positions {
                if let o = x.owner { try entity(o, p.line, "a position in \(p.entity)") }
                try asset(x.collateralAsset, p.line, "a position in \(p.entity)"); try asset(x.debtAsset, p.line, "a position in \(p.entity)")
            }
            for g in p.generate { try asset(g.collateralAsset, p.line, "pool \(p.entity)"); try asset(g.debtAsset, p.line, "pool \(p.entity)") }
        }
        try validateOutcomes() // Spec+Outcomes.swift
        let cohortNames = cohorts.map(\.name)
        var uses: [String: Int] = [:] // lookups only: the first duplicate is found in spec order
        for n in cohortNames { uses[n, default: 0] += 1 }
        if let duplicate = cohortNames.first(where: { uses[$0]! > 1 }) {
            throw SpecError(file: file, line: nil, "two cohorts are named '\(duplicate)'")
        }
        if let clash = cohortNames.first(where: { entityNames.contains($0) }) {
            throw SpecError(file: file, line: nil, "cohort '\(clash)' has the name of an entity")
        }
        try validateFlows()
    }
}
