/// The entries `Model.liquidatePools` has found liquidatable and not yet handled, handed out in
/// `LiquidationIndex.Entry.before` order. Most arrive in one sorted batch (`LiquidationIndex.extract`
/// sorts), which is read in order (`run` from `next`); the few that arrive while a batch is being
/// handled (a liquidated position still due, or a price a forced sale moved) go to a binary
/// max-heap, and `pop` takes the first of the two. Small (the liquidations of one price tick),
/// so it lives in cache.
struct DueEntries: Sendable {
    var run: [LiquidationIndex.Entry] = []
    var next = 0
    var heap: [LiquidationIndex.Entry] = []

    var isEmpty: Bool { next == run.count && heap.isEmpty }

    /// Takes `sorted` (in `before` order) as the run, returning the spent one's buffer in its
    /// place. Only when empty.
    mutating func takeRun(_ sorted: inout [LiquidationIndex.Entry]) {
        precondition(isEmpty)
        swap(&run, &sorted)
        next = 0
        sorted.removeAll(keepingCapacity: true)
    }

    /// Empties it, keeping the buffers.
    mutating func clear() {
        run.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        next = 0
    }

    mutating func push(_ e: LiquidationIndex.Entry) {
        heap.append(e)
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard e.before(h[parent]) else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = e
        }
    }

    mutating func pop() -> LiquidationIndex.Entry? {
        if next < run.count, heap.isEmpty || run[next].before(heap[0]) {
            next += 1
            return run[next - 1]
        }
        return popHeap()
    }

    mutating func popHeap() -> LiquidationIndex.Entry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var best = 2 * i + 1
                guard best < n else { break }
                if best + 1 < n && h[best + 1].before(h[best]) { best += 1 }
                guard h[best].before(last) else { break }
                h[i] = h[best]
                i = best
            }
            h[i] = last
        }
        return top
    }
}
