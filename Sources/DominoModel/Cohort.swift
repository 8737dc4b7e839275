/// Depositors of one platform, grouped by account size. A cohort can stand for millions of
/// accounts: `members` is reported, never iterated.
package struct Cohort: Codable, Equatable, Sendable {
    package var name: String
    package var platform: AgentID
    package var members: Int64
    /// Claims on the platform per asset (tokens × 10^8).
    package var claims: [Int64]
    /// USD paid out to this cohort during the run.
    package var withdrawn: Int64 = 0
    /// USD of requests refused because the platform had halted.
    package var frozenRequests: Int64 = 0
    /// Claims at the start, valued at the first prices (USD).
    package var initialClaims: Int64 = 0
    /// A large-account cohort (average claim at the start above `Behaviour.largeAccount`): the
    /// run rule's parameters depend on it.
    package var large = false
    /// USD of withdrawals the behavioural rule asked for (background and run).
    package var requested: Int64 = 0

    package init(name: String, platform: AgentID, members: Int64, claims: [Int64]) {
        self.name = name; self.platform = platform; self.members = members; self.claims = claims
    }
}
