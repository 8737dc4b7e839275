/// Scheduled actions, fired in the total order (time, kind, sequence): ties never depend on a
/// heap's internal order.
package struct Action: Codable, Equatable, Sendable, Comparable {
    package enum Kind: Int, Codable, Sendable {
        case arrival = 0      // an unwind or recall matures
        case callDeadline = 1 // a margin call expires
        case gateReopen = 2   // a withdrawal-gate window ends
        case filing = 3       // a lender's filing delay ends
        case decide = 4       // the hourly decisions of depositors and managers
    }
    package var time: Int64
    package var kind: Kind
    package var sequence: UInt64
    /// Agent index (arrival, gate) or loan id (deadline).
    package var subject: Int
    /// For arrivals: index into the agent's `incoming`.
    package var detail: Int = 0

    package static func < (a: Action, b: Action) -> Bool {
        (a.time, a.kind.rawValue, a.sequence) < (b.time, b.kind.rawValue, b.sequence)
    }
}

/// A binary min-heap of actions. The key is a total order, so pops are deterministic.
package struct Schedule: Codable, Equatable, Sendable {
    package private(set) var heap: [Action] = []
    package private(set) var nextSequence: UInt64 = 0

    package init() {}

    package var next: Action? { heap.first }
    package var isEmpty: Bool { heap.isEmpty }

    package mutating func add(time: Int64, kind: Action.Kind, subject: Int, detail: Int = 0) {
        heap.append(Action(time: time, kind: kind, sequence: nextSequence, subject: subject, detail: detail))
        nextSequence += 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i] < heap[parent] else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    package mutating func pop() -> Action? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && heap[l] < heap[m] { m = l }
                if r < heap.count && heap[r] < heap[m] { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
