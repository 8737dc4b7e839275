#if canImport(Glibc)
import Glibc
#endif

/// Large append-only buffers of a run (the outcomes, their USD values) are reserved up front and
/// filled as the replay goes. Each 4 KiB page costs a page fault when first written: in a run
/// with half a million liquidations, about 7,000 faults, a twentieth of the replay. On Linux
/// with transparent huge pages in `madvise` mode (the default of many distributions), advising
/// the reserved range lets the kernel back it with 2 MiB pages instead: one fault per 2 MiB.
/// Only a hint — nothing a run computes depends on it, and elsewhere it does nothing.
enum HugePages {
    static let size = 2 << 20

    /// Advises huge pages for the whole 2 MiB-aligned part of `array`'s capacity.
    static func advise<T>(_ array: inout [T]) {
        #if os(Linux)
        let bytes = array.capacity * MemoryLayout<T>.stride
        guard bytes >= 2 * size else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
            let end = (Int(bitPattern: base) + bytes) & ~(size - 1)
            guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(p, end - start, MADV_HUGEPAGE)
        }
        #endif
    }
}
