/// A loan between two agents. The lender holds the collateral (per asset, × 10^8) while the loan
/// is open and returns it on repayment.
public struct Loan: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable { case active, recalled, repaid, defaulted }
    public var lender: Int
    public var borrower: Int
    public var asset: Int
    public var principal: Int64
    public var collateral: [Int64]
    /// Collateral ratio below which the lender calls for more (× 10^8; 0 = never).
    public var maintenance: Int64
    /// Ratio a margin call restores.
    public var initial: Int64
    /// Lower class = more senior in a default.
    public var seniority: Int
    public var notice: Int64
    /// Funded with customer assets (rehypothecation), as opposed to the lender's own capital.
    public var customerFunded: Bool
    public var state: State = .active
    public var due: Int64 = 0
    public var callDeadline: Int64?
    public var callAmount: Int64 = 0

    public init(lender: Int, borrower: Int, asset: Int, principal: Int64, collateral: [Int64], maintenance: Int64,
                initial: Int64, seniority: Int, notice: Int64, customerFunded: Bool) {
        self.lender = lender; self.borrower = borrower; self.asset = asset; self.principal = principal
        self.collateral = collateral; self.maintenance = maintenance; self.initial = initial
        self.seniority = seniority; self.notice = notice; self.customerFunded = customerFunded
    }

    public var isOpen: Bool { state == .active || state == .recalled }
}
