import DominoLog
import DominoModel
import Foundation

/// Reading a spec from its node tree (YAML after overrides), with `file:line` errors.
extension Spec {
    package static let topKeys = ["name", "description", "datasets", "window", "seed", "model", "cash", "assets",
                                 "entities", "cohorts", "loans", "pools", "outcomes", "flows", "verify",
                                 "behaviour", "signals", "creditLines", "assumptions"]

    /// Parses a spec node tree (after `--set` overrides were applied to it).
    package static func parse(_ root: SpecNode) throws -> Spec {
        let top = try root.record(allowed: topKeys, required: ["name", "datasets", "window", "entities", "cash"])
        let file = root.file
        let datasetNodes = try top.require("datasets").sequence()
        var spec = Spec(file: file, name: try top.require("name").name(), description: try top["description"]?.string() ?? "",
                        datasets: try datasetNodes.map { try $0.name() }, datasetLines: datasetNodes.map(\.line),
                        window: (0, 0), seed: 1, parameters: Parameters(), cash: try top.require("cash").string(),
                        assets: [], entities: [], cohorts: [], loans: [], pools: [], outcomes: [])
        let window = try top.require("window").record(allowed: ["from", "to"], required: ["from", "to"])
        // `to` is inclusive: a date alone means through its last millisecond (2022-06-30 is
        // 2022-06-30T23:59:59.999Z); a time is taken as written.
        let toNode = try window.require("to")
        var to = try toNode.time()
        if try toNode.string().count == 10 { to += 86_400_000 - 1 }
        spec.window = (try window.require("from").time(), to)
        guard spec.window.from < spec.window.to else { throw try top.require("window").error("'window.from' must be before 'window.to'") }
        guard spec.window.to - spec.window.from <= Limits.window else {
            throw try top.require("window").error("the window is longer than \(Limits.window / 86_400_000) days (the longest a run may cover)")
        }
        if let seed = top["seed"] {
            let v = try seed.integer()
            guard v >= 0 else { throw seed.error("'seed' must not be negative") }
            spec.seed = UInt64(v)
        }
        if let model = top["model"] { spec.parameters = try parseParameters(model) }
        if let assets = top["assets"] {
            for (symbol, node) in try assets.entries() {
                guard !symbol.isEmpty, symbol != "null", symbol != "~" else { throw node.error("an asset must have a name, not empty or null") }
                spec.assets.append(try parseAsset(symbol, node)) }
            try checkRedemptions(spec.assets, assets)
        }
        let symbols = spec.assets.map(\.symbol)
        for (name, node) in try top.require("entities").entries() {
            guard !name.isEmpty, name != "null", name != "~" else { throw node.error("an entity must have a name, not empty or null") }
            spec.entities.append(try parseEntity(name, node, assets: symbols)) }
        for node in try top["cohorts"]?.sequence() ?? [] { spec.cohorts.append(try parseCohort(node)) }
        for node in try top["loans"]?.sequence() ?? [] { spec.loans.append(try parseLoan(node)) }
        for (name, node) in try top["pools"]?.entries() ?? [] { spec.pools.append(try parsePool(name, node)) }
        let generated = spec.pools.reduce(0) { $0 + $1.generate.reduce(0) { $0 + $1.count } }
        guard generated <= Limits.generatedPositions else {
            throw try top.require("pools").error("the pools generate \(generated) positions in all; at most \(Limits.generatedPositions) are allowed")
        }
        if let model = top["model"] {
            let interval = spec.parameters.metricsInterval
            guard (spec.window.to - spec.window.from) / interval <= Limits.samples else {
                let node = try model.entries().first { $0.key == "metricsInterval" }?.value ?? model
                throw node.error("'model.metricsInterval' of \(interval / 60_000) minutes takes more than \(Limits.samples) samples over the window; use a longer interval")
            }
        }
        for node in try top["outcomes"]?.sequence() ?? [] { spec.outcomes.append(try parseOutcome(node)) }
        if let flows = top["flows"] { spec.flows = try parseFlows(flows, window: spec.window) }
        if let v = top["verify"] { spec.verify = try parseVerifySettings(v) } // Spec+Outcomes.swift
        try spec.parseBehaviour(top)
        try spec.parseAssumptions(top, root: root)
        try spec.validate()
        return spec
    }

    static func amounts(_ node: SpecNode) throws -> [(String, Int64)] {
        try node.entries().map { ($0.key, try amount($0.value)) }
    }

    /// A quantity or USD amount: a number, not negative.
    static func amount(_ node: SpecNode) throws -> Int64 {
        let v = try node.fixed()
        guard v >= 0 else { throw node.error("\(node.describedPath) must not be negative, got '\(FixedPoint.format(v, decimals: 8))'") }
        return v
    }

    /// A share between `low` and `high` (× 10⁸; default 0 … 100%).
    static func share(_ node: SpecNode, _ low: Int64 = 0, _ high: Int64 = Fixed.one) throws -> Int64 {
        let v = try node.ratio()
        guard v >= low && v <= high else {
            func pct(_ x: Int64) -> String { FixedPoint.format(x, decimals: 6) + "%" }
            throw node.error("\(node.describedPath) must lie between \(pct(low)) and \(pct(high)), got '\(try node.string())'")
        }
        return v
    }

    /// A duration of at least `minimum` ms.
    static func duration(_ node: SpecNode, atLeast minimum: Int64) throws -> Int64 {
        let v = try node.duration()
        guard v >= minimum else {
            throw node.error("\(node.describedPath) must be at least \(minimum >= 3_600_000 ? "\(minimum / 3_600_000)h" : "\(minimum / 60_000)m"), got '\(try node.string())'")
        }
        return v
    }

    static func parseParameters(_ node: SpecNode) throws -> Parameters {
        var p = Parameters()
        let r = try node.record(allowed: ["halt", "marginCallWindow", "recallNotice", "swapFee", "recoveryRate", "collateralHeadroom", "filingDelay", "impact",
                                          "metricsInterval"])
        if let halt = r["halt"] {
            let h = try halt.record(allowed: ["horizon", "tolerance"])
            if let v = h["horizon"] { p.haltHorizon = try v.duration() }
            if let v = h["tolerance"] { p.haltTolerance = Ratio(try share(v)) }
        }
        if let v = r["marginCallWindow"] { p.marginCallWindow = try v.duration() }
        if let v = r["recallNotice"] { p.recallNotice = try v.duration() }
        if let v = r["swapFee"] { p.swapFee = Ratio(try share(v, 0, Fixed.one - 1)) }
        if let v = r["recoveryRate"] { p.recoveryRate = Ratio(try share(v)) }
        if let v = r["collateralHeadroom"] { p.collateralHeadroom = Ratio(try share(v, 0, Limits.maxRatio)) }
        if let v = r["filingDelay"] { p.filingDelay = try v.duration() }
        if let v = r["metricsInterval"] { p.metricsInterval = try duration(v, atLeast: 60_000) }
        if let impact = r["impact"] {
            let i = try impact.record(allowed: ["slope", "floor", "halfLife"])
            if let v = i["slope"] { p.impactSlope = Ratio(try share(v, 0, Limits.maxRatio)) }
            if let v = i["floor"] { p.impactFloor = Ratio(try share(v)) }
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
        func optionalRatio(_ key: String) throws -> Ratio? {
            guard let v = r[key], !v.isNull else { return nil }
            return Ratio(try share(v, 0, key == "minCollateralRatio" ? Limits.maxRatio : Fixed.one))
        }
        p.rehypothecationCap = try optionalRatio("rehypothecationCap")
        p.minCollateralRatio = try optionalRatio("minCollateralRatio")
        p.liquidityBuffer = try optionalRatio("liquidityBuffer") ?? .zero
        p.concentrationLimit = try optionalRatio("concentrationLimit")
        if let v = r["withdrawalGate"], !v.isNull {
            let g = try v.record(allowed: ["maxShare", "window"], required: ["maxShare", "window"])
            p.withdrawalGate = .init(maxShare: Ratio(try share(g.require("maxShare"))), window: try duration(g.require("window"), atLeast: 3_600_000))
        }
        if let v = r["circuitBreaker"], !v.isNull {
            let b = try v.record(allowed: ["maxDrop", "window", "pause"], required: ["maxDrop", "window"])
            p.circuitBreaker = .init(maxDrop: Ratio(try share(b.require("maxDrop"))), window: try duration(b.require("window"), atLeast: 60_000),
                                     pause: try b["pause"].map { try duration($0, atLeast: 60_000) } ?? b.require("window").duration())
        }
        if let v = r["dynamicCollateral"], !v.isNull {
            let d = try v.record(allowed: ["k", "window"], required: ["k", "window"])
            p.dynamicCollateral = .init(k: Ratio(try amount(d.require("k"))), window: try duration(d.require("window"), atLeast: 60_000))
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
            func ratio(_ key: String) throws -> Ratio? {
                guard let v = x[key], !v.isNull else { return nil }
                return Ratio(try share(v, 0, key == "minCollateralRatio" ? Limits.maxRatio : Fixed.one))
            }
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
            deployments.append(DeploymentSpec(label: try x.require("label").name(), asset: try x.require("asset").name(),
                                              quantity: try amount(x.require("quantity")),
                                              venue: try x["venue"].flatMap { $0.isNull ? nil : try $0.name() },
                                              unwind: try x["unwind"]?.duration() ?? 0, haircut: try x["haircut"].map { try share($0) } ?? 0,
                                              customerFunded: try x["customerFunded"]?.bool() ?? true))
        }
        return EntitySpec(name: name, role: role, liquid: try r["liquid"].map(amounts) ?? [],
                          ownToken: try r["ownToken"].flatMap { $0.isNull ? nil : try $0.name() }, creditLine: try r["creditLine"].map(amount) ?? 0,
                          deployments: deployments, policy: try r["policy"].map { try parsePolicy($0, assets: assets) } ?? .recorded, line: node.line)
    }

    static func parseCohort(_ node: SpecNode) throws -> CohortSpec {
        let r = try node.record(allowed: ["name", "platform", "members", "claims"], required: ["name", "platform", "claims"])
        var members: Int64 = 1
        if let m = r["members"] {
            members = try m.integer()
            guard members >= 1 && members <= Limits.members else {
                throw m.error("\(m.describedPath) must be a whole number from 1 to \(Limits.members), got '\(try m.string())'")
            }
        }
        return CohortSpec(name: try r.require("name").name(), platform: try r.require("platform").name(),
                          members: members, claims: try amounts(r.require("claims")), line: node.line)
    }

    static func parseLoan(_ node: SpecNode) throws -> LoanSpec {
        let r = try node.record(allowed: ["lender", "borrower", "asset", "amount", "collateral", "maintenance", "initial",
                                          "seniority", "notice", "customerFunded"],
                                required: ["lender", "borrower", "asset", "amount"])
        let maintenance = try r["maintenance"].map { try share($0, 0, Limits.maxRatio) } ?? 0
        var seniority: Int64 = 1
        if let v = r["seniority"] {
            seniority = try v.integer()
            guard seniority >= 0 && seniority <= Limits.seniority else {
                throw v.error("\(v.describedPath) must be a whole number from 0 to \(Limits.seniority), got '\(try v.string())'")
            }
        }
        return LoanSpec(lender: try r.require("lender").name(), borrower: try r.require("borrower").name(),
                        asset: try r.require("asset").name(), amount: try amount(r.require("amount")),
                        collateral: try r["collateral"].map(amounts) ?? [], maintenance: maintenance,
                        initial: try r["initial"].map { try share($0, 0, Limits.maxRatio) } ?? maintenance, seniority: Int(seniority),
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
            positions.append(PositionSpec(owner: try x["owner"].flatMap { $0.isNull ? nil : try $0.name() }, collateralAsset: c[0].0, collateral: c[0].1,
                                          debtAsset: d[0].0, debt: d[0].1))
        }
        var generate: [GenerateSpec] = []
        for g in try r["generate"]?.sequence() ?? [] {
            let x = try g.record(allowed: ["count", "collateralAsset", "debtAsset", "collateral", "ltv"],
                                 required: ["count", "collateralAsset", "debtAsset", "collateral", "ltv"])
            func range(_ key: String, ratio: Bool) throws -> (Int64, Int64) {
                let items = try x.require(key).sequence()
                guard items.count == 2 else { throw try x.require(key).error("'\(key)' must be [low, high]") }
                let lo = ratio ? try share(items[0], 0, Limits.maxRatio) : try amount(items[0])
                let hi = ratio ? try share(items[1], 0, Limits.maxRatio) : try amount(items[1])
                guard lo <= hi else { throw try x.require(key).error("'\(key)' low is above high") }
                return (lo, hi)
            }
            let count = try x.require("count").integer()
            guard count >= 0 && count <= Limits.generatedPositions else {
                throw try x.require("count").error("'count' must be 0 … \(Limits.generatedPositions)")
            }
            generate.append(GenerateSpec(count: Int(count), collateralAsset: try x.require("collateralAsset").name(),
                                         debtAsset: try x.require("debtAsset").name(),
                                         collateral: try range("collateral", ratio: false), ltv: try range("ltv", ratio: true)))
        }
        return PoolSpec(entity: name, threshold: try share(r.require("threshold"), 1, Fixed.one),
                        bonus: try share(r.require("bonus"), Fixed.one, 2 * Fixed.one),
                        closeFactor: try share(r.require("closeFactor"), 1, Fixed.one), positions: positions, generate: generate, line: node.line)
    }
}
