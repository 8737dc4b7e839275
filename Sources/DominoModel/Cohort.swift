/// Depositors of one platform, grouped by account size. A cohort can stand for millions of
/// accounts: `members` is reported, never iterated.
public struct Cohort: Codable, Equatable, Sendable {
    public var name: String
    public var platform: Int
    public var members: Int64
    /// Claims on the platform per asset (tokens × 10^8).
    public var claims: [Int64]
    /// USD paid out to this cohort during the run.
    public var withdrawn: Int64 = 0
    /// USD of requests refused because the platform had halted.
    public var frozenRequests: Int64 = 0
    /// Claims at the start, valued at the first prices (USD).
    public var initialClaims: Int64 = 0

    public init(name: String, platform: Int, members: Int64, claims: [Int64]) {
        self.name = name; self.platform = platform; self.members = members; self.claims = claims
    }
}
