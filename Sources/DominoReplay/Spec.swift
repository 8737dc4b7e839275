import DominoModel
import Foundation

/// A replay spec: which datasets, which entities with which balance sheets, the links between
/// them, model parameters, policies, the seed, and the known outcomes to verify.
///
/// Quantities in a spec are tokens (decimal text, exact); money is USD; shares are `0.25` or
/// `25%`; durations `48h`, `7d`. Every figure taken from the package record carries its source
/// in a comment beside it in the YAML.
package struct Spec: Sendable {
    package var file: String
    package var name: String
    package var description: String
    /// Dataset paths as written (relative to the spec's directory), and their lines.
    package var datasets: [String]
    package var datasetLines: [Int?] = []
    /// Both ends inclusive, in ms. `from` written as a date is 00:00 UTC of that day; `to`
    /// written as a date is the end of that day (`2022-06-30` is `2022-06-30T23:59:59.999Z`), so a
    /// window of whole days covers them all; a time is taken as written.
    package var window: (from: Int64, to: Int64)
    package var seed: UInt64
    package var parameters: Parameters
    package var cash: String
    package var assets: [AssetSpec]
    package var entities: [EntitySpec]
    package var cohorts: [CohortSpec]
    package var loans: [LoanSpec]
    package var pools: [PoolSpec]
    package var outcomes: [KnownOutcome]
    /// Withdrawals and deposits written in the spec (`Spec+Flows.swift`).
    package var flows: [FlowSpec] = []
    /// How `domino verify` runs it (`Spec+Outcomes.swift`).
    package var verify = VerifySettings()
    /// Signals, dated credit lines (`Spec+Behaviour.swift`).
    package var behaviourInputs = BehaviourInputs()
    /// Figures the spec assumes, with their ranges (`Spec+Assumptions.swift`).
    package var assumptions: [Assumption] = []

    package struct AssetSpec: Sendable {
        package var symbol: String; package var depth: Int64
        /// What one unit redeems for (`Spec+Assets.swift`): an asset symbol and a quantity.
        package var redeems: String? = nil; package var redeemsPer: Int64 = 0
    }

    package struct EntitySpec: Sendable {
        package var name: String
        package var role: Role
        package var liquid: [(String, Int64)]
        package var ownToken: String?
        package var creditLine: Int64
        package var deployments: [DeploymentSpec]
        package var policy: Policy
        package var line: Int?
    }

    package struct DeploymentSpec: Sendable {
        package var label: String
        package var asset: String
        package var quantity: Int64
        package var venue: String?
        package var unwind: Int64
        package var haircut: Int64
        package var customerFunded: Bool
    }

    package struct CohortSpec: Sendable {
        package var name: String, platform: String, members: Int64
        package var claims: [(String, Int64)]
        package var line: Int?
    }

    package struct LoanSpec: Sendable {
        package var lender: String, borrower: String, asset: String, amount: Int64
        package var collateral: [(String, Int64)]
        package var maintenance: Int64, initial: Int64, seniority: Int, notice: Int64?, customerFunded: Bool
        package var line: Int?
    }

    package struct PoolSpec: Sendable {
        package var entity: String
        package var threshold: Int64, bonus: Int64, closeFactor: Int64
        package var positions: [PositionSpec]
        package var generate: [GenerateSpec]
        package var line: Int?
    }

    package struct PositionSpec: Sendable {
        package var owner: String?
        package var collateralAsset: String
        package var collateral: Int64
        package var debtAsset: String
        package var debt: Int64
    }

    /// A synthetic crowd of positions, drawn from the seed: `count` positions with collateral
    /// uniform in `collateral` tokens and loan-to-value uniform in `ltv`, at the first price.
    package struct GenerateSpec: Sendable {
        package var count: Int, collateralAsset: String, debtAsset: String
        package var collateral: (Int64, Int64), ltv: (Int64, Int64)
    }
}

// MARK: Building a spec in memory

extension Spec {
    /// A spec built in code rather than parsed (no lines to report); `validate()` checks its names.
    package init(file: String, name: String, description: String = "", datasets: [String], window: (from: Int64, to: Int64),
                seed: UInt64 = 1, parameters: Parameters = Parameters(), cash: String, assets: [AssetSpec], entities: [EntitySpec],
                cohorts: [CohortSpec] = [], loans: [LoanSpec] = [], pools: [PoolSpec] = [], outcomes: [KnownOutcome] = []) {
        self.file = file; self.name = name; self.description = description; self.datasets = datasets
        self.datasetLines = datasets.map { _ in nil }
        self.window = window; self.seed = seed; self.parameters = parameters; self.cash = cash; self.assets = assets
        self.entities = entities; self.cohorts = cohorts; self.loans = loans; self.pools = pools; self.outcomes = outcomes
    }
}

extension Spec.AssetSpec {
    package init(_ symbol: String, depth: Int64 = 0) { self.symbol = symbol; self.depth = depth }
}

extension Spec.EntitySpec {
    package init(name: String, role: Role, liquid: [(String, Int64)] = [], ownToken: String? = nil, creditLine: Int64 = 0,
                deployments: [Spec.DeploymentSpec] = [], policy: Policy = .recorded) {
        self.name = name; self.role = role; self.liquid = liquid; self.ownToken = ownToken; self.creditLine = creditLine
        self.deployments = deployments; self.policy = policy; self.line = nil
    }
}

extension Spec.DeploymentSpec {
    /// Defaults as in a spec file: no venue, no unwind delay, no haircut, customer funded.
    package init(_ label: String, asset: String, quantity: Int64, venue: String? = nil, unwind: Int64 = 0, haircut: Int64 = 0,
                customerFunded: Bool = true) {
        self.label = label; self.asset = asset; self.quantity = quantity; self.venue = venue; self.unwind = unwind
        self.haircut = haircut; self.customerFunded = customerFunded
    }
}

extension Spec.CohortSpec {
    package init(name: String, platform: String, members: Int64 = 1, claims: [(String, Int64)]) {
        self.name = name; self.platform = platform; self.members = members; self.claims = claims; self.line = nil
    }
}

extension Spec.LoanSpec {
    /// Defaults as in a spec file: `initial` = `maintenance`, seniority 1, the model's notice,
    /// customer funded.
    package init(lender: String, borrower: String, asset: String, amount: Int64, collateral: [(String, Int64)] = [],
                maintenance: Int64 = 0, initial: Int64? = nil, seniority: Int = 1, notice: Int64? = nil, customerFunded: Bool = true) {
        self.lender = lender; self.borrower = borrower; self.asset = asset; self.amount = amount; self.collateral = collateral
        self.maintenance = maintenance; self.initial = initial ?? maintenance; self.seniority = seniority; self.notice = notice
        self.customerFunded = customerFunded; self.line = nil
    }
}

extension Spec.PoolSpec {
    package init(entity: String, threshold: Int64, bonus: Int64, closeFactor: Int64, positions: [Spec.PositionSpec] = [],
                generate: [Spec.GenerateSpec] = []) {
        self.entity = entity; self.threshold = threshold; self.bonus = bonus; self.closeFactor = closeFactor
        self.positions = positions; self.generate = generate; self.line = nil
    }
}

extension Spec.GenerateSpec {
    package init(_ count: Int, collateralAsset: String, debtAsset: String, collateral: (Int64, Int64), ltv: (Int64, Int64)) {
        self.count = count; self.collateralAsset = collateralAsset; self.debtAsset = debtAsset
        self.collateral = collateral; self.ltv = ltv
    }
}
