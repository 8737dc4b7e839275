/// The parameters of the depositors' run rule and the managers' decision rule: one shared set
/// for every platform and episode (Sources/DominoModel/README.md, "Depositors decide" and
/// "Managers decide"). Settable in a spec's `behaviour:` section and with
/// `--set behaviour.<name>=…`.
///
/// Shares, weights and hazards are fixed point × 10^8 (`Fixed.one` = 1); durations are
/// milliseconds. Hazards are per hour.
package struct Behaviour: Codable, Equatable, Sendable {
    /// Whether the rules run at all. Off in a bare `Parameters()` (the model's unit tests drive
    /// flows by hand); a spec turns it on unless it says `behaviour: {active: false}`.
    package var active = false

    // MARK: The hazard

    /// Background withdrawals: the share of its claims a cohort asks for per hour when nothing
    /// worries it (ordinary redemptions; ASSUMPTION, ~0.5% a month).
    package var base = Ratio(700)
    /// The hazard a retail cohort reaches when alarmed (the sigmoid's ceiling), per hour.
    package var ceiling = Ratio(207_029) // 0.207%/h: FITTED (`domino calibrate`, replays/calibration/calibration.yaml: the Anchor run and Voyager's and Celsius's May outflows; replays/README.md, "Calibration")
    /// Large accounts' ceiling relative to retail's (Chicago Fed Letter 479; BIS Bulletin 69:
    /// large accounts withdrew more).
    package var largeCeiling = Ratio(200_000_000) // ×2
    /// The ceiling of the depositors of a platform whose withdrawals are self-served and executed
    /// at once — an on-chain pool (Anchor) or an exchange (FTX) — relative to a lender's. A pool's
    /// deposits are withdrawn in one transaction at any hour (Anchor's docs: "deposits can be
    /// withdrawn at any time"); an exchange's customers, traders who watch the market by the
    /// hour, withdraw from its hot wallets automatically; a lender's savers send requests that
    /// its staff process. Cohorts of pools and exchanges only. Fitted on Anchor alone (no
    /// exchange is in the fit), so FTX's run is an out-of-sample test of it.
    package var instantCeiling = Ratio(527_148_438) // ×5.271: FITTED (`domino calibrate`; as `ceiling`)
    /// Steepness k of the sigmoid σ(k (S − θ)).
    package var steepness = Ratio(400_000_000) // 4
    /// The threshold θ of the stress index S at which a cohort's hazard is half its ceiling.
    package var threshold = Ratio(60_000_000) // 0.6: FITTED (`domino calibrate`; as `ceiling`)
    /// How much lower large accounts' threshold is (they react earlier: Chicago Fed 479, BIS 69).
    package var largeShift = Ratio(20_000_000) // 0.2
    /// Half-width of the uniform noise on θ, drawn per cohort and hour from the run's seed (the
    /// private signal of global games: Morris–Shin 1998, Goldstein–Pauzner 2005).
    package var noise = Ratio(20_000_000) // 0.2
    /// A cohort whose average claim at the start exceeds this (USD) is a large-account cohort
    /// (the $1M line of Chicago Fed Letter 479).
    package var largeAccount = USD(1_000_000 * Fixed.one)

    // MARK: Weights of the observables in S

    /// Drawdown of the platform's book at market (what it is known to hold).
    package var drawdown = Ratio(100_000_000)
    /// Drawdown of the platform's own token from its peak.
    package var ownToken = Ratio(50_000_000)
    /// Losses the platform has recognised, over its initial equity.
    package var loss = Ratio(100_000_000)
    /// Alarm from dated signals about the platform (fading over `signalFade`).
    package var signal = Ratio(100_000_000)
    /// Alarm from signals about its counterparties (borrowers, venues).
    package var counterpartySignal = Ratio(50_000_000)
    /// Per halted or defaulted peer platform or fund anywhere in the model.
    package var peerFailure = Ratio(20_000_000)
    /// Per failed counterparty of the platform (a borrower that defaulted, a venue that halted).
    package var counterpartyFailure = Ratio(100_000_000)
    /// Unpaid queue over claims (slower payouts, a growing queue).
    package var queue = Ratio(500_000_000)
    /// A withdrawal gate that is binding or about to bind (share of the window's allowance used).
    package var gate = Ratio(0)
    /// The platform's visible defence (rates raised, loans recalled) since it started.
    package var rate = Ratio(30_000_000)
    /// Under proof of reserves: its reuse of customer assets (share lent, deployed or pledged on pools).
    package var reuse = Ratio(100_000_000)
    /// Under proof of reserves: the shortfall of assets against claims, over claims.
    package var shortfall = Ratio(300_000_000)
    /// Herding (Hawkes-type self-excitation): weight of the platform's recent withdrawal
    /// requests, as a share of its claims per day.
    package var herding = Ratio(79_101_563) // 0.791: FITTED (`domino calibrate`; as `ceiling`)
    /// Half-life of the recent-withdrawal memory of herding.
    package var herdingHalfLife: Int64 = 24 * 3_600_000
    /// Signals fade linearly to nothing over this.
    package var signalFade: Int64 = 3 * 24 * 3_600_000

    // MARK: Managers

    /// How long a suspension condition must hold before the managers suspend withdrawals.
    package var decisionLag: Int64 = 12 * 3_600_000
    /// Recent withdrawal requests (share of claims in the herding memory, ≈ 1.4 days' worth) at
    /// which a platform starts to defend
    /// itself: recalls loans, unwinds deployments, raises its rates (visible to depositors).
    package var defenceTrigger = Ratio(5_000_000) // 5%
    /// Days of recent outflow a defending platform tries to have liquid or on its way.
    package var defenceDays = Ratio(7 * Fixed.one)
    /// An insolvent platform (equity at market below −this share of claims) whose depositors are
    /// running (requests above `defenceTrigger`) suspends after the decision lag. Managers go on
    /// paying through a small hole (Celsius paid for weeks while insolvent at market): 10%,
    /// ASSUMPTION.
    package var insolvencyMargin = Ratio(10_000_000) // 10%

    package init() {}
}
