/// The inputs the model consumes, already mapped from log ids to model indices.
package enum Input: Equatable, Sendable {
    case price(asset: AssetID, price: Price)
    case deposit(cohort: CohortID, asset: AssetID, quantity: Quantity)
    case withdrawal(cohort: CohortID, asset: AssetID, quantity: Quantity)
    /// Between agents; nil is the world outside the model (a market sale or purchase).
    case transfer(from: AgentID?, to: AgentID?, asset: AssetID, quantity: Quantity)
    case borrow(lender: AgentID, borrower: AgentID, asset: AssetID, quantity: Quantity)
    case repay(borrower: AgentID, lender: AgentID, asset: AssetID, quantity: Quantity)
    case collateral(borrower: AgentID, lender: AgentID, asset: AssetID, quantity: Quantity, posted: Bool)
    /// An announcement with an intensity about one agent, or the whole market (nil).
    case signal(subject: AgentID?, intensity: Ratio)
}
