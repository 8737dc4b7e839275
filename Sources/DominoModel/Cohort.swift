/// Depositors of one platform, grouped by account size. A cohort can stand for millions of
/// accounts: `members` is reported, never iterated.
package struct Cohort: Codable, Equatable, Sendable {
    package var name: String
    package var platform: AgentID
    package var members: Int64
    /// Claims on the platform per asset (tokens × 10^8).
    package var claims: [Quantity]
    /// USD paid out to this cohort during the run.
    package var withdrawn: USD = .zero
    /// USD of requests refused because the platform had halted.
    package var frozenRequests: USD = .zero
    /// Claims at the start, valued at the first prices (USD).
    package var initialClaims: USD = .zero
    /// A large-account cohort (average claim at the start above `Behaviour.largeAccount`): the
    /// run rule's parameters depend on it.
    package var large = false
    /// USD of withdrawals the behavioural rule asked for (background and run).
    package var requested: USD = .zero

    package init(name: String, platform: AgentID, members: Int64, claims: [Quantity]) {
        self.name = name; self.platform = platform; self.members = members; self.claims = claims
    }
}
