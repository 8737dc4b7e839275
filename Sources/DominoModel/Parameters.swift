/// Model-wide parameters. Each is documented where it is used (`Sources/DominoModel/README.md`).
package struct Parameters: Codable, Equatable, Sendable {
    /// A platform halts when the withdrawals it has accepted but not paid exceed what it holds
    /// liquid plus what it expects to receive within `haltHorizon`, by more than
    /// `haltTolerance` × its customer claims.
    package var haltHorizon: Int64 = 48 * 3_600_000
    package var haltTolerance = Ratio(0)
    /// Time a borrower has to meet a margin call.
    package var marginCallWindow: Int64 = 24 * 3_600_000
    /// Notice a lender gives when recalling a loan, unless the loan sets its own.
    package var recallNotice: Int64 = 72 * 3_600_000
    /// Cost of swapping one liquid asset into another to pay a withdrawal.
    package var swapFee = Ratio(300_000) // 0.3%
    /// The depositors' and managers' behavioural rules (`Behaviour`; Sources/DominoModel/README.md,
    /// "Depositors decide" and "Managers decide").
    package var behaviour = Behaviour()
    /// Sampling interval of metrics.
    package var metricsInterval: Int64 = 6 * 3_600_000
    /// Market depth per asset for the impact overlay, in USD: selling `depth` USD more than the
    /// baseline moves the price down by 100% × `impactSlope` (see `Market`).
    package var impactSlope = Ratio(Fixed.one)
    /// Floor of the impact factor: the overlay never takes a price below this share of the record.
    package var impactFloor = Ratio(10_000_000) // 10%
    /// Half-life of the impact overlay (excess sales are forgotten at this rate). Calibrated from
    /// the record: the stETH/ETH discount of the June 2022 forced selling decays with a half-life
    /// of 8.05 days (AR(1) on daily means of ln(stETH/ETH), 13 June – 14 September 2022, φ = 0.917;
    /// 95% moving-block bootstrap interval 2.0–30.5 days), rounded to 8 days:
    /// `scripts/impact-half-life.py`, replays/README.md "Impact half-life". Was 7 days, uncalibrated.
    package var impactHalfLife: Int64 = 8 * 24 * 3_600_000
    /// Under a minimum collateral ratio r, the level a borrower posts at the start and a margin
    /// call restores: r × (1 + headroom). Lenders ask initial margin above maintenance margin.
    package var collateralHeadroom = Ratio(10_000_000) // 10%
    /// How long a lender whose equity turned negative keeps going before it files (insolvency
    /// recognised): lenders seek a rescue or a buyer first (Voyager filed 18 days after 3AC's
    /// default sank its equity, BlockFi 17 days after FTX's). If equity is back above zero when
    /// the delay ends, it does not file. Exchanges and funds are recognised at once: a custodian
    /// short of customer assets cannot trade on (FTX filed three days after it halted).
    package var filingDelay: Int64 = 14 * 24 * 3_600_000
    /// A fund's remaining assets reach its unsecured creditors at this share of market value.
    package var recoveryRate = Ratio(50_000_000)

    package init() {}
}
