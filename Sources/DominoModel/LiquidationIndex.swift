/// The positions of one (collateral, debt) pair of a pool, by liquidation key, for
/// `Model.liquidatePools`: it hands out every entry whose key is above a bound — the positions a
/// price ratio makes liquidatable — at O(1) cost per entry, and answers "none" in O(1).
///
/// Entries sit in buckets of a log-linear scale of the key (as in an HDR histogram): keys below
/// 2^10 each have a bucket, and each octave above has 2^10 buckets, about 0.1% of the key wide,
/// so `bucket(key)` never decreases as the key grows. Only the highest occupied bucket's largest
/// key is tracked. For a bound K, every entry of a bucket above K's bucket has a key above K;
/// K's own bucket is split entry by entry. As prices fall in a crash the bound moves down a few
/// buckets at a time, so extracting touches the entries it returns plus one bucket of about
/// 100k / (number of buckets in use) entries, all of them contiguous in memory.
///
/// This replaced a 4-ary max-heap (O(log n) per liquidation, about eight dependent cache
/// misses in a heap of 10^5 positions). `extract` hands entries out in `Entry.before` order, the
/// same total order the heap popped in, and `Model.liquidatePools` keeps to it, so runs are
/// unchanged — except in a pool lending
/// several debt assets against one collateral, which the single heap, keyed in mixed units, could
/// stop short on (`eachDebtAssetIsCheckedAgainstItsOwnPrice`); no spec here has one.
package struct LiquidationIndex: Sendable {
    package struct Entry: Equatable, Sendable {
        package var key: Int64
        package var position: Int32
        package var version: UInt32
        package init(key: Int64, position: Int32, version: UInt32) { self.key = key; self.position = position; self.version = version }
        /// True when `self` is liquidated before `other`: key descending, then position
        /// ascending — a total order on live entries.
        @inline(__always)
        package func before(_ other: Entry) -> Bool {
            key != other.key ? key > other.key : position < other.position
        }
    }

    static let subBits = 10
    /// Buckets for keys 0 ..< 2^63.
    package static let bucketCount = (63 - subBits + 1) << subBits

    /// The bucket of `key` (negative keys share bucket 0): non-decreasing in the key.
    @inline(__always)
    package static func bucket(_ key: Int64) -> Int {
        let k = UInt64(max(0, key))
        if k < 1 << subBits { return Int(k) }
        let e = 63 - k.leadingZeroBitCount // ≥ subBits
        return ((e - subBits + 1) << subBits) | Int((k >> UInt64(e - subBits)) & ((1 << subBits) - 1))
    }

    /// Allocated at the first insertion.
    var buckets: [[Entry]] = []
    /// Bit b of word b / 64 is set when bucket b holds entries.
    var occupied: [UInt64] = []
    /// The highest occupied bucket (-1: none) and the largest key in it.
    var top = -1
    var topMax: Int64 = .min
    /// Entries held, live or stale.
    package private(set) var count = 0

    package init() {}

    package mutating func insert(_ e: Entry) {
        if buckets.isEmpty {
            buckets = [[Entry]](repeating: [], count: Self.bucketCount)
            occupied = [UInt64](repeating: 0, count: Self.bucketCount / 64)
        }
        let b = Self.bucket(e.key)
        if buckets[b].isEmpty { occupied[b >> 6] |= 1 << UInt64(b & 63) }
        buckets[b].append(e)
        count += 1
        if b > top {
            top = b
            topMax = e.key
        } else if b == top && e.key > topMax {
            topMax = e.key
        }
    }

    /// True when some entry has a key above `bound`.
    @inline(__always)
    package func hasAbove(_ bound: Int64) -> Bool {
        top >= 0 && topMax > bound
    }

    /// Moves every entry whose key is above `bound` to the end of `out`, in `Entry.before`
    /// order: the buckets go from the highest down and each bucket's entries are sorted as they
    /// are appended (buckets hold disjoint key ranges, so that orders them all). Sorting a few
    /// dozen entries per bucket costs less than ordering them one by one in a heap.
    package mutating func extract(above bound: Int64, into out: inout [Entry]) {
        guard hasAbove(bound) else { return }
        let edge = Self.bucket(bound)
        var b = top
        while b > edge {
            let start = out.count
            out.append(contentsOf: buckets[b])
            Self.sort(&out, from: start)
            count -= buckets[b].count
            buckets[b] = [] // above the price: rarely refilled, so its memory goes
            occupied[b >> 6] &= ~(1 << UInt64(b & 63))
            b = highestOccupied(atMost: b - 1)
        }
        var keptMax = Int64.min
        if b == edge {
            // The bound's own bucket: keep what is at or below it, in place.
            let start = out.count
            defer { Self.sort(&out, from: start) }
            var kept = 0
            buckets[b].withUnsafeMutableBufferPointer { entries in
                for k in entries.indices {
                    let e = entries[k]
                    if e.key > bound {
                        out.append(e)
                    } else {
                        entries[kept] = e
                        kept += 1
                        keptMax = max(keptMax, e.key)
                    }
                }
            }
            count -= buckets[b].count - kept
            buckets[b].removeLast(buckets[b].count - kept)
            if kept == 0 {
                occupied[b >> 6] &= ~(1 << UInt64(b & 63))
                b = highestOccupied(atMost: b - 1)
            }
        }
        top = b
        if b < 0 {
            topMax = .min
        } else if b == edge {
            topMax = keptMax
        } else {
            topMax = buckets[b].reduce(Int64.min) { max($0, $1.key) }
        }
    }

    /// Sorts `out[start...]` in `Entry.before` order: insertion sort for the usual few dozen
    /// entries, the standard library's sort beyond.
    static func sort(_ out: inout [Entry], from start: Int) {
        let n = out.count - start
        guard n > 1 else { return }
        out.withUnsafeMutableBufferPointer { all in
            var e = UnsafeMutableBufferPointer(rebasing: all[start...])
            if n > 64 { e.sort { $0.before($1) }; return }
            for i in 1..<n {
                let x = e[i]
                var j = i
                while j > 0 && x.before(e[j - 1]) { e[j] = e[j - 1]; j -= 1 }
                e[j] = x
            }
        }
    }

    /// The highest occupied bucket at or below `b`, or -1.
    func highestOccupied(atMost b: Int) -> Int {
        guard b >= 0 else { return -1 }
        var word = b >> 6
        var bits = occupied[word] & (b & 63 == 63 ? ~0 : (UInt64(1) << UInt64((b & 63) + 1)) - 1)
        while bits == 0 {
            word -= 1
            guard word >= 0 else { return -1 }
            bits = occupied[word]
        }
        return word << 6 | (63 - bits.leadingZeroBitCount)
    }
}
