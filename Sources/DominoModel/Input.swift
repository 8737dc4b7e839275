/// The inputs the model consumes, already mapped from log ids to model indices.
package enum Input: Equatable, Sendable {
    case price(asset: Int, price: Int64)
    case deposit(cohort: Int, asset: Int, quantity: Int64)
    case withdrawal(cohort: Int, asset: Int, quantity: Int64)
    /// Between agents; nil is the world outside the model (a market sale or purchase).
    case transfer(from: Int?, to: Int?, asset: Int, quantity: Int64)
    case borrow(lender: Int, borrower: Int, asset: Int, quantity: Int64)
    case repay(borrower: Int, lender: Int, asset: Int, quantity: Int64)
    case collateral(borrower: Int, lender: Int, asset: Int, quantity: Int64, posted: Bool)
    /// An announcement with an intensity (× 10^8) about one agent, or the whole market (nil).
    case signal(subject: Int?, intensity: Int64)
}
