/// Appends canonical bytes to a 64 KiB buffer and hands full buffers to SHA-256.
package struct CanonicalWriter {
    private var sha = SHA256()
    private var buffer: [UInt8]
    private var count = 0
    private let keep: Bool
    private(set) var kept: [UInt8] = []
    private static let capacity = 1 << 16

    init(keep: Bool = false) {
        self.keep = keep
        buffer = [UInt8](repeating: 0, count: Self.capacity)
    }

    private mutating func flush() {
        buffer.withUnsafeBytes { sha.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        if keep { kept += buffer[0..<count] }
        count = 0
    }

    mutating func finish() -> [UInt8] {
        flush()
        return sha.finalize()
    }

    /// Appends `v` little-endian, in its own width.
    @inline(__always)
    mutating func fixed<T: FixedWidthInteger>(_ v: T) {
        let size = MemoryLayout<T>.size
        if count + size > Self.capacity { flush() }
        let at = count
        buffer.withUnsafeMutableBytes { $0.storeBytes(of: v.littleEndian, toByteOffset: at, as: T.self) }
        count += size
    }

    @inline(__always) mutating func u64(_ v: UInt64) { fixed(v) }
    @inline(__always) mutating func i64(_ v: Int64) { fixed(v) }
    @inline(__always) mutating func int(_ v: Int) { fixed(Int64(v)) }
    /// An amount is written as its fixed-point integer (as before it had a type).
    @inline(__always) mutating func i64<U>(_ v: Amount<U>) { fixed(v.raw) }
    @inline(__always) mutating func u32(_ v: UInt32) { fixed(v) }

    @inline(__always)
    mutating func bool(_ v: Bool) {
        if count + 1 > Self.capacity { flush() }
        buffer[count] = v ? 1 : 0
        count += 1
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            int(utf8.count)
            for b in utf8 {
                if count == Self.capacity { flush() }
                buffer[count] = b
                count += 1
            }
        }
    }

    @inline(__always)
    mutating func optional<T>(_ v: T?, _ body: (inout CanonicalWriter, T) -> Void) {
        if let v { bool(true); body(&self, v) } else { bool(false) }
    }

    mutating func i64s(_ a: [Int64]) {
        int(a.count)
        for v in a { i64(v) }
    }

    mutating func i64s<U>(_ a: [Amount<U>]) {
        int(a.count)
        for v in a { i64(v) }
    }

    mutating func ints(_ a: [Int]) {
        int(a.count)
        for v in a { int(v) }
    }

    mutating func array<T: CanonicalEncodable>(_ a: [T]) {
        int(a.count)
        a.withUnsafeBufferPointer { for i in $0.indices { $0[i].canonical(into: &self) } }
    }
}

/// A value with a canonical encoding (see `CanonicalState`).
package protocol CanonicalEncodable {
    func canonical(into w: inout CanonicalWriter)
}
