import DominoModel
import Foundation

/// Reading a spec from its node tree (YAML after overrides), with `file:line` errors.
extension Spec {
    package static let topKeys = ["name", "description", "datasets", "window", "seed", "model", "cash", "assets",
                                 "entities", "cohorts", "loans", "pools", "outcomes",
                                 "behaviour", "signals", "creditLines"]

    /// Parses a spec node tree (after `--set` overrides were applied to it).
    package static func parse(_ root: SpecNode) throws -> Spec {
        let top = try root.record(allowed: topKeys, required: ["name", "datasets", "window", "entities", "cash"])
        let file = root.file
        let datasetNodes = try top.require("datasets").sequence()
        var spec = Spec(file: file, name: try top.require("name").string(), description: try top["description"]?.string() ?? "",
                        datasets: try datasetNodes.map { try $0.string() }, datasetLines: datasetNodes.map(\.line),
                        window: (0, 0), seed: 1, parameters: Parameters(), cash: try top.require("cash").string(),
                        assets: [], entities: [], cohorts: [], loans: [], pools: [], outcomes: [])
        let window = try top.require("window").record(allowed: ["from", "to"], required: ["from", "to"])
        spec.window = (try window.require("from").time(), try window.require("to").time())
        guard spec.window.from < spec.window.to else { throw try top.require("window").error("'window.from' must be before 'window.to'") }
        if let seed = top["seed"] {
            let v = try seed.integer()
            guard v >= 0 else { throw seed.error("'seed' must not be negative") }
            spec.seed = UInt64(v)
        }
        if let model = top["model"] { spec.parameters = try parseParameters(model) }
        if let assets = top["assets"] {
            for (symbol, node) in try assets.entries() {
                var depth: Int64 = 0
                if !node.isNull {
                    let r = try node.record(allowed: ["depth"])
                    depth = try r["depth"]?.fixed() ?? 0
                }
                spec.assets.append(AssetSpec(symbol: symbol, depth: depth))
            }
        }
        let symbols = spec.assets.map(\.symbol)
        for (name, node) in try top.require("entities").entries() { spec.entities.append(try parseEntity(name, node, assets: symbols)) }
        for node in try top["cohorts"]?.sequence() ?? [] { spec.cohorts.append(try parseCohort(node)) }
        for node in try top["loans"]?.sequence() ?? [] { spec.loans.append(try parseLoan(node)) }
        for (name, node) in try top["pools"]?.entries() ?? [] { spec.pools.append(try parsePool(name, node)) }
        for node in try top["outcomes"]?.sequence() ?? [] { spec.outcomes.append(try parseOutcome(node)) }
        try spec.parseBehaviour(top)
        try spec.validate()
        return spec
    }

    static func amounts(_ node: SpecNode) throws -> [(String, Int64)] {
        try node.entries().map { ($0.key, try $0.value.fixed()) }
    }

    static func parseParameters(_ node: SpecNode) throws -> Parameters {
        var p = Parameters()
        let r = try node.record(allowed: ["halt", "marginCallWindow", "recallNotice", "swapFee", "recoveryRate", "collateralHeadroom", "filingDelay", "impact",
                                          "metricsInterval"])
        if let halt = r["halt"] {
            let h = try halt.record(allowed: ["horizon", "tolerance"])
            if let v = h["horizon"] { p.haltHorizon = try v.duration() }
            if let v = h["tolerance"] { p.haltTolerance = try v.ratio() }
        }
        if let v = r["marginCallWindow"] { p.marginCallWindow = try v.duration() }
        if let v = r["recallNotice"] { p.recallNotice = try v.duration() }
        if let v = r["swapFee"] { p.swapFee = try v.ratio() }
        if let v = r["recoveryRate"] { p.recoveryRate = try v.ratio() }
        if let v = r["collateralHeadroom"] { p.collateralHeadroom = try v.ratio() }
        if let v = r["filingDelay"] { p.filingDelay = try v.duration() }
        if let v = r["metricsInterval"] { p.metricsInterval = try v.duration() }
        if let impact = r["impact"] {
            let i = try impact.record(allowed: ["slope", "floor", "halfLife"])
            if let v = i["slope"] { p.impactSlope = try v.ratio() }
            if let v = i["floor"] { p.impactFloor = try v.ratio() }
            if let v = i["halfLife"] { p.impactHalfLife = try v.duration() }
        }
        return p
    }

    package static let policyKeys = ["rehypothecationCap", "minCollateralRatio", "liquidityBuffer", "concentrationLimit",
                                    "withdrawalGate", "circuitBreaker", "dynamicCollateral", "proofOfReserves", "tiers"]

    /// `assets`: the spec's asset symbols, in order (tiers name assets by symbol).
    static func parsePolicy(_ node: SpecNode, assets: [String]) throws -> Policy {
        var p = Policy()
        let r = try node.record(allowed: policyKeys)
        func optionalRatio(_ key: String) throws -> Int64? {
            guard let v = r[key], !v.isNull else { return nil }
            return try v.ratio()
        }
        p.rehypothecationCap = try optionalRatio("rehypothecationCap")
        p.minCollateralRatio = try optionalRatio("minCollateralRatio")
        p.liquidityBuffer = try optionalRatio("liquidityBuffer") ?? 0
        p.concentrationLimit = try optionalRatio("concentrationLimit")
        if let v = r["withdrawalGate"], !v.isNull {
            let g = try v.record(allowed: ["maxShare", "window"], required: ["maxShare", "window"])
            p.withdrawalGate = .init(maxShare: try g.require("maxShare").ratio(), window: try g.require("window").duration())
        }
        if let v = r["circuitBreaker"], !v.isNull {
            let b = try v.record(allowed: ["maxDrop", "window", "pause"], required: ["maxDrop", "window"])
            p.circuitBreaker = .init(maxDrop: try b.require("maxDrop").ratio(), window: try b.require("window").duration(),
                                     pause: try b["pause"]?.duration() ?? b.require("window").duration())
        }
        if let v = r["dynamicCollateral"], !v.isNull {
            let d = try v.record(allowed: ["k", "window"], required: ["k", "window"])
            p.dynamicCollateral = .init(k: try d.require("k").fixed(), window: try d.require("window").duration())
        }
        if let v = r["proofOfReserves"] { p.proofOfReserves = try v.bool() }
        var tiered: Set<Int> = [] // membership only
        for t in try r["tiers"].map({ $0.isNull ? [] : try $0.sequence() }) ?? [] {
            let x = try t.record(allowed: ["assets", "rehypothecationCap", "minCollateralRatio"], required: ["assets"])
            var indices: [Int] = []
            for a in try x.require("assets").sequence() {
                let symbol = try a.string()
                guard let i = assets.firstIndex(of: symbol) else {
                    let hint = Suggestion.didYouMean(symbol, in: assets)
                    throw a.error("tier asset '\(symbol)' is not one of the spec's assets\(hint)")
                }
                guard tiered.insert(i).inserted else { throw a.error("asset '\(symbol)' is in more than one tier") }
                indices.append(i)
            }
            func ratio(_ key: String) throws -> Int64? { guard let v = x[key], !v.isNull else { return nil }; return try v.ratio() }
            p.tiers.append(.init(assets: indices, rehypothecationCap: try ratio("rehypothecationCap"), minCollateralRatio: try ratio("minCollateralRatio")))
        }
        return p
    }

    static func parseEntity(_ name: String, _ node: SpecNode, assets: [String]) throws -> EntitySpec {
        let r = try node.record(allowed: ["role", "liquid", "ownToken", "creditLine", "deployments", "policy"], required: ["role"])
        let roleNode = try r.require("role")
        let roleText = try roleNode.string()
        guard let role = Role(rawValue: roleText) else {
            let names = Role.allCases.map(\.rawValue)
            let hint = Suggestion.didYouMean(roleText, in: names)
            throw roleNode.error("unknown role '\(roleText)'\(hint) (roles: \(names.joined(separator: ", ")))")
        }
        var deployments: [DeploymentSpec] = []
        for d in try r["deployments"]?.sequence() ?? [] {
            let x = try d.record(allowed: ["label", "asset", "quantity", "venue", "unwind", "haircut", "customerFunded"],
                                 required: ["label", "asset", "quantity"])
            deployments.append(DeploymentSpec(label: try x.require("label").string(), asset: try x.require("asset").string(),
                                              quantity: try x.require("quantity").fixed(),
                                              venue: try x["venue"].flatMap { $0.isNull ? nil : try $0.string() },
                                              unwind: try x["unwind"]?.duration() ?? 0, haircut: try x["haircut"]?.ratio() ?? 0,
                                              customerFunded: try x["customerFunded"]?.bool() ?? true))
        }
        return EntitySpec(name: name, role: role, liquid: try r["liquid"].map(amounts) ?? [],
                          ownToken: try r["ownToken"].flatMap { $0.isNull ? nil : try $0.string() }, creditLine: try r["creditLine"]?.fixed() ?? 0,
                          deployments: deployments, policy: try r["policy"].map { try parsePolicy($0, assets: assets) } ?? .recorded, line: node.line)
    }

    static func parseCohort(_ node: SpecNode) throws -> CohortSpec {
        let r = try node.record(allowed: ["name", "platform", "members", "claims"], required: ["name", "platform", "claims"])
        return CohortSpec(name: try r.require("name").string(), platform: try r.require("platform").string(),
                          members: try r["members"]?.integer() ?? 1, claims: try amounts(r.require("claims")), line: node.line)
    }

    static func parseLoan(_ node: SpecNode) throws -> LoanSpec {
        let r = try node.record(allowed: ["lender", "borrower", "asset", "amount", "collateral", "maintenance", "initial",
                                          "seniority", "notice", "customerFunded"],
                                required: ["lender", "borrower", "asset", "amount"])
        let maintenance = try r["maintenance"]?.ratio() ?? 0
        return LoanSpec(lender: try r.require("lender").string(), borrower: try r.require("borrower").string(),
                        asset: try r.require("asset").string(), amount: try r.require("amount").fixed(),
                        collateral: try r["collateral"].map(amounts) ?? [], maintenance: maintenance,
                        initial: try r["initial"]?.ratio() ?? maintenance, seniority: Int(try r["seniority"]?.integer() ?? 1),
                        notice: try r["notice"]?.duration(), customerFunded: try r["customerFunded"]?.bool() ?? true, line: node.line)
    }

    static func parsePool(_ name: String, _ node: SpecNode) throws -> PoolSpec {
        let r = try node.record(allowed: ["threshold", "bonus", "closeFactor", "positions", "generate"],
                                required: ["threshold", "bonus", "closeFactor"])
        var positions: [PositionSpec] = []
        for p in try r["positions"]?.sequence() ?? [] {
            let x = try p.record(allowed: ["owner", "collateral", "debt"], required: ["collateral", "debt"])
            let c = try amounts(x.require("collateral")), d = try amounts(x.require("debt"))
            guard c.count == 1, d.count == 1 else { throw p.error("a position has one collateral asset and one debt asset") }
            positions.append(PositionSpec(owner: try x["owner"].flatMap { $0.isNull ? nil : try $0.string() }, collateralAsset: c[0].0, collateral: c[0].1,
                                          debtAsset: d[0].0, debt: d[0].1))
        }
        var generate: [GenerateSpec] = []
        for g in try r["generate"]?.sequence() ?? [] {
            let x = try g.record(allowed: ["count", "collateralAsset", "debtAsset", "collateral", "ltv"],
                                 required: ["count", "collateralAsset", "debtAsset", "collateral", "ltv"])
            func range(_ key: String, ratio: Bool) throws -> (Int64, Int64) {
                let items = try x.require(key).sequence()
                guard items.count == 2 else { throw try x.require(key).error("'\(key)' must be [low, high]") }
                let lo = ratio ? try items[0].ratio() : try items[0].fixed(), hi = ratio ? try items[1].ratio() : try items[1].fixed()
                guard lo <= hi else { throw try x.require(key).error("'\(key)' low is above high") }
                return (lo, hi)
            }
            let count = try x.require("count").integer()
            guard count >= 0 && count <= 10_000_000 else { throw try x.require("count").error("'count' must be 0 … 10,000,000") }
            generate.append(GenerateSpec(count: Int(count), collateralAsset: try x.require("collateralAsset").string(),
                                         debtAsset: try x.require("debtAsset").string(),
                                         collateral: try range("collateral", ratio: false), ltv: try range("ltv", ratio: true)))
        }
        return PoolSpec(entity: name, threshold: try r.require("threshold").ratio(), bonus: try r.require("bonus").ratio(),
                        closeFactor: try r.require("closeFactor").ratio(), positions: positions, generate: generate, line: node.line)
    }

    static func parseOutcome(_ node: SpecNode) throws -> KnownOutcome {
        let r = try node.record(allowed: ["id", "metric", "entity", "date", "tolerance", "value", "source", "heldOut", "gap"],
                                required: ["id", "metric", "entity", "source"])
        let metricNode = try r.require("metric")
        let text = try metricNode.string()
        guard let metric = KnownOutcome.Metric(rawValue: text) else {
            let names = KnownOutcome.Metric.allCases.map(\.rawValue)
            let hint = Suggestion.didYouMean(text, in: names)
            throw metricNode.error("unknown metric '\(text)'\(hint) (metrics: \(names.joined(separator: ", ")))")
        }
        var outcome = KnownOutcome(id: try r.require("id").string(), metric: metric, entity: try r.require("entity").string(),
                                   date: nil, toleranceTime: 0, value: nil, toleranceShare: 0,
                                   source: try r.require("source").string(), heldOut: try r["heldOut"]?.bool() ?? false,
                                   gap: try r["gap"]?.string(), line: node.line)
        switch metric {
        case .halt, .default, .insolvency:
            outcome.date = try r.require("date").time()
            outcome.toleranceTime = try r["tolerance"]?.duration() ?? 0
        case .loss, .withdrawnBeforeHalt, .hole:
            outcome.value = try r.require("value").fixed()
            outcome.toleranceShare = try r["tolerance"]?.ratio() ?? 0
        case .survives:
            break
        }
        return outcome
    }
}
