/// A loan between two agents. The lender holds the collateral (per asset, × 10^8) while the loan
/// is open and returns it on repayment.
package struct Loan: Codable, Equatable, Sendable {
    package enum State: String, Codable, Sendable { case active, recalled, repaid, defaulted }
    package var lender: AgentID
    package var borrower: AgentID
    package var asset: AssetID
    package var principal: Quantity
    package var collateral: [Quantity]
    /// Collateral ratio below which the lender calls for more (× 10^8; 0 = never).
    package var maintenance: Ratio
    /// Ratio a margin call restores.
    package var initial: Ratio
    /// Lower class = more senior in a default.
    package var seniority: Int
    package var notice: Int64
    /// Funded with customer assets (rehypothecation), as opposed to the lender's own capital.
    package var customerFunded: Bool
    package var state: State = .active
    package var due: Int64 = 0
    package var callDeadline: Int64?
    package var callAmount: USD = .zero

    package init(lender: AgentID, borrower: AgentID, asset: AssetID, principal: Quantity, collateral: [Quantity], maintenance: Ratio,
                initial: Ratio, seniority: Int, notice: Int64, customerFunded: Bool) {
        self.lender = lender; self.borrower = borrower; self.asset = asset; self.principal = principal
        self.collateral = collateral; self.maintenance = maintenance; self.initial = initial
        self.seniority = seniority; self.notice = notice; self.customerFunded = customerFunded
    }

    @inline(__always) package var isOpen: Bool { state == .active || state == .recalled }
}
