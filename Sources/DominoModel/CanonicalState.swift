/// The canonical binary encoding of a `ModelState`, streamed into SHA-256: the state hash.
///
/// Layout (documented in `README.md`, "State hash"): the tag `domino-state/1`, then every field
/// of the state in a fixed order — the declaration order of the fields in the source, nested
/// values in place. Primitive encodings:
///
/// - `Int`, `Int64`, `UInt64`: 8 bytes, little endian, two's complement; `UInt32`: 4 bytes;
/// - `Bool`: 1 byte, 0 or 1;
/// - `String`: its UTF-8 byte count (8 bytes) then the bytes;
/// - an optional: 1 byte, 0 for nil (nothing follows) or 1 followed by the value;
/// - an array: its element count (8 bytes) then the elements in order;
/// - an enum with a raw `String` value (`Role`, `Loan.State`): that string; `Action.Kind`: its
///   `Int` raw value.
///
/// Derived data is left out, as in checkpoints: a pool's liquidation index (rebuilt from the
/// positions) is represented by its asset count only. The encoding is exact (integers only) and
/// the same on every platform and in every build; `CanonicalStateTests` pins it on a small state
/// whose bytes are written out by hand, and counts every type's fields so that a field added
/// to the state without being added here fails a test.
package enum CanonicalState {
    package static let tag = "domino-state/1"

    /// SHA-256 of the canonical encoding, lower-case hex.
    package static func sha256Hex(_ state: ModelState) -> String {
        var w = CanonicalWriter()
        w.string(tag)
        state.canonical(into: &w)
        return SHA256.hex(digest: w.finish())
    }

    /// The encoding itself (for tests and inspection; the hash streams it instead).
    package static func bytes(_ state: ModelState) -> [UInt8] {
        var w = CanonicalWriter(keep: true)
        w.string(tag)
        state.canonical(into: &w)
        _ = w.finish()
        return w.kept
    }
}

extension ModelState: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.i64(time)
        parameters.canonical(into: &w)
        market.canonical(into: &w)
        w.array(agents)
        w.array(cohorts)
        w.array(loans)
        w.array(pools)
        schedule.canonical(into: &w)
        w.int(random.count)
        for r in random { w.u64(r.state) }
        w.i64s(outside)
        w.int(cashAsset.index)
        w.u64(inputs)
        w.int(observationCursor)
        w.int(saleCursor)
        w.i64s(saleBudget)
        w.bool(settled)
        w.i64(liquidationVolume)
        w.i64(liquidations)
        w.u64(seed)
        w.int(signals.count)
        for x in signals { w.i64(x.time); w.optional(x.subject) { $0.int($1.index) }; w.i64(x.severity) }
        w.int(signalCursor)
        w.i64s(startPrices)
    }
}

extension Parameters: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.i64(haltHorizon)
        w.i64(haltTolerance)
        w.i64(marginCallWindow)
        w.i64(recallNotice)
        w.i64(swapFee)
        behaviour.canonical(into: &w)
        w.i64(metricsInterval)
        w.i64(impactSlope)
        w.i64(impactFloor)
        w.i64(impactHalfLife)
        w.i64(recoveryRate)
        w.i64(collateralHeadroom)
        w.i64(filingDelay)
    }
}

extension Market: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.array(assets)
        w.i64(historyWindow)
    }
}

extension Market.AssetState: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.string(symbol)
        w.i64(recorded)
        w.i64(price)
        w.i64(depth)
        w.i64(forcedSales)
        w.i64(excess)
        w.i64(excessTime)
        w.i64(peak)
        w.int(history.count)
        for p in history { w.i64(p.time); w.i64(p.price) }
        w.i64(pausedUntil)
        w.int(redeems?.index ?? -1)
        w.i64(redeemsPer)
    }
}

extension Policy: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.optional(rehypothecationCap) { $0.i64($1) }
        w.optional(minCollateralRatio) { $0.i64($1) }
        w.i64(liquidityBuffer)
        w.optional(concentrationLimit) { $0.i64($1) }
        w.optional(withdrawalGate) { $0.i64($1.maxShare); $0.i64($1.window) }
        w.optional(circuitBreaker) { $0.i64($1.maxDrop); $0.i64($1.window); $0.i64($1.pause) }
        w.optional(dynamicCollateral) { $0.i64($1.k); $0.i64($1.window) }
        w.bool(proofOfReserves)
        w.int(tiers.count)
        for t in tiers {
            w.int(t.assets.count)
            for a in t.assets { w.int(a) }
            w.optional(t.rehypothecationCap) { $0.i64($1) }
            w.optional(t.minCollateralRatio) { $0.i64($1) }
        }
    }
}

extension Agent: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.string(name)
        w.string(role.rawValue)
        policy.canonical(into: &w)
        w.i64s(liquid)
        w.optional(ownToken) { $0.int($1.index) }
        w.array(deployments)
        w.i64(creditLimit)
        w.i64(creditDrawn)
        w.i64s(claims)
        w.int(queue.count)
        for q in queue { w.int(q.cohort.index); w.int(q.asset.index); w.i64(q.quantity); w.i64(q.time) }
        w.int(incoming.count)
        for x in incoming { w.i64(x.due); w.int(x.asset.index); w.i64(x.quantity); w.int(x.source.code) }
        w.optional(haltedAt) { $0.i64($1) }
        w.optional(defaultedAt) { $0.i64($1) }
        w.optional(insolventAt) { $0.i64($1) }
        w.optional(filingClock) { $0.i64($1) }
        w.i64(initialEquity)
        w.i64(recognisedLosses)
        w.i64(gateWindowStart)
        w.i64(gatePaid)
        w.i64(gateBase)
        w.i64(alarm)
        w.i64(alarmTime)
        w.int(creditLines.count)
        for c in creditLines { w.string(c.providerName); w.optional(c.provider) { $0.int($1.index) }; w.i64(c.amount); w.i64(c.from); w.i64(c.drawn) }
        w.i64(recentOutflow)
        w.i64(recentTime)
        w.optional(stressSince) { $0.i64($1) }
        w.optional(defendingSince) { $0.i64($1) }
    }
}

extension Deployment: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.string(label)
        w.int(asset.index)
        w.i64(quantity)
        w.optional(venue) { $0.int($1.index) }
        w.i64(unwindDelay)
        w.i64(haircut)
        w.bool(customerFunded)
        w.bool(frozen)
        w.bool(writtenDown)
    }
}

extension Cohort: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.string(name)
        w.int(platform.index)
        w.i64(members)
        w.i64s(claims)
        w.i64(withdrawn)
        w.i64(frozenRequests)
        w.i64(initialClaims)
        w.bool(large)
        w.i64(requested)
    }
}

extension Loan: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.int(lender.index)
        w.int(borrower.index)
        w.int(asset.index)
        w.i64(principal)
        w.i64s(collateral)
        w.i64(maintenance)
        w.i64(initial)
        w.int(seniority)
        w.i64(notice)
        w.bool(customerFunded)
        w.string(state.rawValue)
        w.i64(due)
        w.optional(callDeadline) { $0.i64($1) }
        w.i64(callAmount)
    }
}

extension Pool: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.int(agent.index)
        w.i64(threshold)
        w.i64(bonus)
        w.i64(closeFactor)
        w.array(positions)
        w.ints(owned)
        w.int(assetCount)
    }
}

extension Pool.Position: CanonicalEncodable {
    @inline(__always)
    package func canonical(into w: inout CanonicalWriter) {
        w.optional(owner) { $0.int($1.index) }
        w.int(collateralAsset.index)
        w.i64(collateral)
        w.int(debtAsset.index)
        w.i64(debt)
        w.u32(version)
    }
}

extension Schedule: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.int(heap.count)
        for a in heap { w.i64(a.time); w.int(a.kind.rawValue); w.u64(a.sequence); w.int(a.subject); w.int(a.detail) }
        w.u64(nextSequence)
    }
}

extension Behaviour: CanonicalEncodable {
    package func canonical(into w: inout CanonicalWriter) {
        w.bool(active)
        // In declaration order, as fixed-point integers (ratios, the large-account line in USD,
        // durations in ms).
        for v in [base.raw, ceiling.raw, largeCeiling.raw, instantCeiling.raw, steepness.raw, threshold.raw, largeShift.raw, noise.raw, largeAccount.raw,
                  drawdown.raw, ownToken.raw, loss.raw, signal.raw, counterpartySignal.raw, peerFailure.raw, counterpartyFailure.raw,
                  queue.raw, gate.raw, rate.raw, reuse.raw, shortfall.raw, herding.raw, herdingHalfLife, signalFade, decisionLag,
                  defenceTrigger.raw, defenceDays.raw, insolvencyMargin.raw] {
            w.i64(v)
        }
    }
}
