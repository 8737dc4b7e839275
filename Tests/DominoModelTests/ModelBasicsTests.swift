import Testing
@testable import DominoModel

@Suite struct ModelBasicsTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256Vectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func sha256MillionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Fed in uneven pieces (partial blocks, several blocks at once), the digest is the same.
    @Test func sha256InPieces() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var h = SHA256()
        var at = 0
        for size in [1, 63, 64, 65, 3, 200, 0, 1000, 7] + [Int](repeating: 500, count: 20) where at < bytes.count {
            let end = min(bytes.count, at + size)
            h.update(Array(bytes[at..<end]))
            at = end
        }
        h.update(Array(bytes[at...]))
        #expect(SHA256.hex(digest: h.finalize()) == SHA256.hex(bytes))
        #expect(SHA256.hex(bytes) == "470b2cd71bff57ce8be0be3fc23df273052c4bb10a1235fddb8f158d6f928546") // Python hashlib
        #expect(SHA256.hex((0..<200).lazy.map { UInt8($0) }) == SHA256.hex((0..<200).map { UInt8($0) })) // non-contiguous input
    }

    /// The 64-bit fast path and the 128-by-64-bit slow path of `mulDiv` agree with the plain
    /// Int128 formula on every sign and magnitude (results outside Int64 are skipped: both trap).
    @Test func mulDivMatchesTheInt128Formula() {
        var r = SeededRandom(seed: 99)
        func draw() -> Int64 {
            let bits = Int64(r.below(64))
            let v = Int64(bitPattern: r.next()) >> (63 - min(62, bits))
            return r.below(2) == 0 ? v : -v
        }
        var checked = 0
        for _ in 0..<200_000 {
            let a = draw(), b = draw()
            var c = draw()
            if c == 0 { c = 1 }
            for divisor in [c, Fixed.one] {
                let exact = Int128(a) * Int128(b) / Int128(divisor)
                guard exact >= Int128(Int64.min) && exact <= Int128(Int64.max) else { continue }
                #expect(Fixed.mulDiv(a, b, divisor) == Int64(exact))
                checked += 1
            }
        }
        #expect(Fixed.mulDiv(.min, 1, 1) == .min)
        #expect(Fixed.mulDiv(Int64.max, Int64.max, Int64.max) == .max)
        #expect(Fixed.mulDiv(Int64.min, Int64.max, Int64.max) == .min)
        #expect(Fixed.mulDiv(-3_000_000_000_000, 4_000_000_000_000, Fixed.one) == -120_000_000_000_000_000)
        #expect(checked > 200_000)
    }

    /// The bucket scale is non-decreasing in the key and covers every Int64 key; hand-computed
    /// edges: one bucket per key below 2^10, then 2^10 buckets per octave.
    @Test func liquidationIndexBucketsAreMonotone() {
        #expect(LiquidationIndex.bucket(-5) == 0)
        #expect(LiquidationIndex.bucket(0) == 0)
        #expect(LiquidationIndex.bucket(1023) == 1023)
        #expect(LiquidationIndex.bucket(1024) == 1024)
        #expect(LiquidationIndex.bucket(2047) == 2047)
        #expect(LiquidationIndex.bucket(2048) == 2048) // octave 11: (2 << 10) | (2048 >> 1) & 1023
        #expect(LiquidationIndex.bucket(2049) == 2048) // same bucket: two keys per bucket there
        #expect(LiquidationIndex.bucket(3 << 40) == (32 << 10) | 512) // octave 41: (41 − 10 + 1) << 10, then (3 << 40) >> 31 = 1536, minus 1024
        #expect(LiquidationIndex.bucket(.max) == LiquidationIndex.bucketCount - 1)
        var r = SeededRandom(seed: 5)
        var keys: [Int64] = [0, 1, 1023, 1024, .max, .max - 1]
        for _ in 0..<50_000 { keys.append(Int64(bitPattern: r.next() >> r.below(64)) & Int64.max) }
        keys.sort()
        for (a, b) in zip(keys, keys.dropFirst()) { #expect(LiquidationIndex.bucket(a) <= LiquidationIndex.bucket(b)) }
    }

    /// `extract(above:)` hands out exactly the entries whose key is above the bound, in
    /// liquidation order, and keeps the rest, whatever the interleaving of insertions and
    /// extractions and the keys' scale.
    @Test func liquidationIndexExtractsExactlyTheKeysAboveABound() {
        var r = SeededRandom(seed: 3)
        var index = LiquidationIndex()
        var held: [LiquidationIndex.Entry] = []
        func draw() -> Int64 {
            switch r.below(4) {
            case 0: return Int64(r.below(3000)) // the exact buckets and the first octaves
            case 1: return 5_000_000_000 + Int64(r.below(20_000_000)) // one narrow band, as prices
            case 2: return Int64(bitPattern: r.next() >> r.below(64)) & Int64.max
            default: return held.isEmpty ? 0 : held[Int(r.below(UInt64(held.count)))].key // ties
            }
        }
        var extracted = 0
        for step in 0..<30_000 {
            if r.below(4) > 0 || held.isEmpty {
                let e = LiquidationIndex.Entry(key: draw(), position: Int32(step), version: UInt32(r.below(4)))
                index.insert(e)
                held.append(e)
            } else {
                let bound = r.below(3) == 0 ? Int64.max : draw() - Int64(r.below(2))
                var out: [LiquidationIndex.Entry] = []
                index.extract(above: bound, into: &out)
                let expected = held.filter { $0.key > bound }
                held.removeAll { $0.key > bound }
                #expect(out == expected.sorted { $0.before($1) })
                #expect(index.hasAbove(bound) == false)
                extracted += out.count
            }
            #expect(index.count == held.count)
        }
        var rest: [LiquidationIndex.Entry] = []
        index.extract(above: -1, into: &rest)
        #expect(rest == held.sorted { $0.before($1) })
        #expect(index.count == 0 && !index.hasAbove(.min))
        #expect(extracted > 5_000)
    }

    /// The due entries come out in the liquidation order: key descending, then position.
    @Test func dueEntriesPopInLiquidationOrder() {
        var r = SeededRandom(seed: 6)
        var due = DueEntries()
        var model: [LiquidationIndex.Entry] = []
        for step in 0..<5_000 {
            if r.below(3) > 0 || model.isEmpty {
                let e = LiquidationIndex.Entry(key: Int64(r.below(300)), position: Int32(r.below(1_000_000)) * 8 + Int32(step % 8), version: 0)
                due.push(e)
                model.append(e)
            } else {
                model.sort { $0.before($1) }
                #expect(due.pop() == model.removeFirst())
            }
        }
        model.sort { $0.before($1) }
        for e in model { #expect(due.pop() == e) }
        #expect(due.pop() == nil && due.isEmpty)
    }

    /// A sorted batch and entries pushed while it is read come out merged in liquidation order,
    /// as if all had been pushed one by one.
    @Test func dueEntriesMergeASortedRunWithLaterArrivals() {
        var r = SeededRandom(seed: 7)
        var due = DueEntries()
        var model: [LiquidationIndex.Entry] = []
        var popped = 0
        for step in 0..<20_000 {
            let e = LiquidationIndex.Entry(key: Int64(r.below(500)), position: Int32(step), version: 0)
            switch r.below(8) {
            case 0 where due.isEmpty:
                // A batch, as `LiquidationIndex.extract` hands it out.
                var batch = [e] + (0..<Int(r.below(40))).map { k in
                    LiquidationIndex.Entry(key: Int64(r.below(500)), position: Int32(1_000_000 + step * 64 + k), version: 0)
                }
                batch.sort { $0.before($1) }
                model += batch
                due.takeRun(&batch)
                #expect(batch.isEmpty)
            case 1, 2:
                due.push(e)
                model.append(e)
            default:
                model.sort { $0.before($1) }
                #expect(due.pop() == model.first)
                if !model.isEmpty { model.removeFirst(); popped += 1 }
            }
        }
        model.sort { $0.before($1) }
        for e in model { #expect(due.pop() == e) }
        #expect(due.pop() == nil && due.isEmpty)
        #expect(popped > 5_000)
    }

    /// `Pool.key`'s 128-by-64-bit fast path gives the Int128 formula's result.
    @Test func poolKeyMatchesTheInt128Formula() {
        var r = SeededRandom(seed: 4)
        for _ in 0..<100_000 {
            let pool = Pool(agent: AgentID(0), threshold: Ratio(Int64(r.below(200_000_000)) + 1), bonus: Ratio(0), closeFactor: Ratio(0), assetCount: 1)
            let collateral = Int64(bitPattern: r.next() >> r.below(64)) & Int64.max
            let debt = Int64(bitPattern: r.next() >> r.below(64)) & Int64.max
            let p = Pool.Position(owner: nil, collateralAsset: AssetID(0), collateral: Quantity(collateral), debtAsset: AssetID(0), debt: Quantity(debt))
            let exact: Int64
            if collateral > 0 {
                let k = Int128(debt) * Int128(Fixed.one) * Int128(Fixed.one) / (Int128(collateral) * Int128(pool.threshold.raw))
                exact = k > Int128(Int64.max) ? .max : Int64(k)
            } else {
                exact = .max
            }
            #expect(pool.key(p) == exact)
        }
    }

    @Test func splitMixMatchesTheReferenceStream() {
        var r = SeededRandom(seed: 42)
        #expect(r.next() == 0xBDD7_3226_2FEB_6E95)
    }

    @Test func streamsAreIndependentOfOtherAgents() {
        // Agent 5's stream does not depend on how many agents exist.
        var a = SeededRandom(seed: 9, stream: 5), b = SeededRandom(seed: 9, stream: 5), c = SeededRandom(seed: 9, stream: 6)
        let x = (0..<4).map { _ in a.next() }
        #expect(x == (0..<4).map { _ in b.next() })
        #expect(x != (0..<4).map { _ in c.next() })
    }

    @Test func boundedDrawAndShuffle() {
        var r = SeededRandom(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { counts[Int(r.below(7))] += 1 }
        #expect(counts.allSatisfy { $0 > 850 && $0 < 1150 })
        var deck = Array(0..<52)
        r.shuffle(&deck)
        #expect(deck.sorted() == Array(0..<52))
        #expect(deck != Array(0..<52))
    }

    @Test(arguments: [
        (Int64(7), Int64(3), Int64(2), Int64(10), Int64(11)),
        (Int64(-7), Int64(3), Int64(2), Int64(-10), Int64(-11)),
        (Int64(6), Int64(3), Int64(2), Int64(9), Int64(9)),
    ])
    func roundingDirections(a: Int64, b: Int64, c: Int64, down: Int64, up: Int64) {
        #expect(Fixed.mulDiv(a, b, c) == down)   // toward zero
        #expect(Fixed.mulDivUp(a, b, c) == up)   // away from zero
    }

    @Test func productsDoNotOverflowThroughInt128() {
        // 90 billion dollars × 1.5: the intermediate product exceeds Int64 but the result fits.
        #expect((usd(90_000_000_000) / 2).scaled(by: Ratio(150_000_000)) == usd(67_500_000_000))
    }

    @Test func scheduleOrderIsTotal() {
        var s = Schedule()
        s.add(time: 10, kind: .gateReopen, subject: 1)
        s.add(time: 10, kind: .arrival, subject: 2)
        s.add(time: 5, kind: .callDeadline, subject: 3)
        s.add(time: 10, kind: .arrival, subject: 4)
        #expect([s.pop(), s.pop(), s.pop(), s.pop()].map { $0!.subject } == [3, 2, 4, 1])
    }
}
