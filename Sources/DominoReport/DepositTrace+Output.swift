import DominoLog
import DominoModel
import DominoReplay

extension DepositTrace {
    package var text: String {
        var out = "Deposit: \(FixedPoint.format(quantity, decimals: 8)) \(asset) (\(Units.usd(usdAt))) of \(cohort) at \(platform), \(Units.minute(at)) UTC\n"
        out += "Allocation: pro rata over each holder's uses of \(asset) (README: domino trace)\n\n"
        for leg in legs {
            let pad = String(repeating: "  ", count: leg.depth)
            let q = FixedPoint.format(leg.quantity, decimals: 8)
            out += "\(pad)\(leg.from) → \(leg.to) [\(leg.kind)] \(q) \(asset) (\(Units.usd(leg.usd)))\n"
            out += "\(pad)    \(leg.terms)\n"
        }
        let reuse = claimsPerDollar
        out += "\nClaims outstanding per dollar deposited: \(FixedPoint.format(reuse, decimals: 8))\n"
        out += "At the end (\(platform) \(platformStatus)): worth \(Units.usd(usdAtEnd)); returned \(Units.usd(returned)), lost \(Units.usd(lost))\n"
        for (source, usd) in lossBySource { out += "  \(source): \(Units.usd(usd))\n" }
        out += "State hash: \(stateHash)\n"
        return out
    }

    package var json: JSON {
        .object([
            ("spec", .string(spec)), ("cohort", .string(cohort)), ("platform", .string(platform)), ("asset", .string(asset)),
            ("quantity", .fixed(quantity)), ("at", .time(at)), ("usdAt", .fixed(usdAt)),
            ("allocation", .string("pro-rata")),
            ("legs", .array(legs.map { l in
                .object([("depth", .int(l.depth)), ("from", .string(l.from)), ("to", .string(l.to)), ("kind", .string(l.kind)),
                         ("terms", .string(l.terms)), ("quantity", .fixed(l.quantity)), ("usd", .fixed(l.usd)), ("claim", .bool(l.isClaim))])
            })),
            ("claimsPerDollar", .fixed(claimsPerDollar)),
            ("end", .object([("platformStatus", .string(platformStatus)), ("usd", .fixed(usdAtEnd)), ("returned", .fixed(returned)),
                             ("lost", .fixed(lost)),
                             ("lossBySource", .array(lossBySource.map { .object([("source", .string($0.0)), ("usd", .fixed($0.1))]) }))])),
            ("stateHash", .string(stateHash)),
        ])
    }

    /// The trace as a Sankey: the deposit, then each step of the chain in its own column, then
    /// what came back and what was lost where.
    package func sankey(id: String) -> SankeyChart {
        var collected = SankeyChart.Nodes()
        _ = collected.node("\(cohort) deposit", 0)
        func node(_ name: String, _ column: Int) -> Int { collected.node(name, column) }
        var flows: [SankeyChart.Flow] = []
        let top = node(platform, 1)
        flows.append(.init(from: 0, to: top, value: usdAt))
        for leg in legs {
            let from = leg.depth == 1 ? top : node(leg.from, leg.depth)
            let terminal = leg.kind == "held" || leg.kind == "not-held" || leg.kind == "pledged" || leg.kind == "pooled" || leg.kind == "position"
            let name = terminal ? "\(leg.from): \(leg.kind == "not-held" ? "not held" : leg.kind)" + (leg.kind == "pledged" || leg.kind == "pooled" ? " at \(leg.to)" : "") : leg.to
            flows.append(.init(from: from, to: node(name, leg.depth + 1), value: leg.usd))
        }
        let columns = (collected.list.map(\.column).max() ?? 1) + 1
        return SankeyChart(id: id, title: "Where \(cohort)'s deposit went", nodes: collected.list, flows: flows,
                           columnTitles: ["deposit", platform] + (2..<max(2, columns)).map { "step \($0)" })
    }
}
