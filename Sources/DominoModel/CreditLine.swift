/// A committed credit line or rescue facility: drawable only from `from` (its agreement date)
/// and only while its provider, when the provider is in the model, has neither halted, defaulted
/// nor been found insolvent. What is drawn is a liability of the borrower (in
/// `Agent.creditDrawn`, with any undated line).
package struct CreditLine: Codable, Equatable, Sendable {
    /// The provider's name (for reports) and its agent, if it is in the model.
    package var providerName: String
    package var provider: AgentID?
    /// Limit (USD × 10^8).
    package var amount: USD
    /// Agreement time (ms).
    package var from: Int64
    package var drawn: USD = .zero

    package init(providerName: String, provider: AgentID?, amount: USD, from: Int64) {
        self.providerName = providerName; self.provider = provider; self.amount = amount; self.from = from
    }
}
