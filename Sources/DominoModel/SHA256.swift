import Crypto

/// SHA-256 (FIPS 180-4), for state fingerprints: swift-crypto's, which on Linux is BoringSSL's
/// and uses the CPU's SHA extensions where it has them (about five times the 0.39 GB/s of the
/// portable Swift implementation this replaced; a 100k-position state hashes in about 3 ms
/// instead of 13). Checked against the standard test vectors in `ModelBasicsTests`.
package struct SHA256 {
    private var hasher = Crypto.SHA256()

    package init() {}

    package mutating func update(_ bytes: some Sequence<UInt8>) {
        // Contiguous input (arrays, `Data`) in one call; anything else in chunks.
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        guard done == nil else { return }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(4096)
        for b in bytes {
            chunk.append(b)
            if chunk.count == 4096 { chunk.withUnsafeBytes { update($0) }; chunk.removeAll(keepingCapacity: true) }
        }
        chunk.withUnsafeBytes { update($0) }
    }

    /// Hashes `bytes` (any length).
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        hasher.update(bufferPointer: bytes)
    }

    package mutating func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hex(digest: hasher.finalize())
    }

    /// Lower-case hexadecimal of a digest.
    package static func hex(digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
