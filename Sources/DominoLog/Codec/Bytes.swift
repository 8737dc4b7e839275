/// Little-endian byte building and bounds-checked parsing for the log's binary structures.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v) }
    mutating func u32(_ v: UInt32) { append(v) }
    mutating func u64(_ v: UInt64) { append(v) }
    mutating func i64(_ v: Int64) { append(UInt64(bitPattern: v)) }
    mutating func raw(_ b: some Sequence<UInt8>) { bytes.append(contentsOf: b) }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian values from a byte buffer; every read checks the remaining length and
/// throws `LogError(code)` with `what` instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    let code: LogError.Code

    init(_ bytes: UnsafeRawBufferPointer, code: LogError.Code) {
        self.bytes = bytes
        self.code = code
    }

    var remaining: Int { bytes.count - position }

    mutating func need(_ n: Int, _ what: String) throws {
        guard n >= 0, n <= remaining else {
            throw LogError(code, "\(what): needs \(n) bytes at byte \(position) but only \(remaining) remain")
        }
    }

    mutating func u8(_ what: String) throws -> UInt8 { try value(what) }
    mutating func u16(_ what: String) throws -> UInt16 { try value(what) }
    mutating func u32(_ what: String) throws -> UInt32 { try value(what) }
    mutating func u64(_ what: String) throws -> UInt64 { try value(what) }
    mutating func i64(_ what: String) throws -> Int64 { Int64(bitPattern: try value(what) as UInt64) }

    mutating func slice(_ n: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        try need(n, what)
        defer { position += n }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + n])
    }

    private mutating func value<T: FixedWidthInteger>(_ what: String) throws -> T {
        try need(MemoryLayout<T>.size, what)
        defer { position += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF),
/// the same as zlib's `crc32`. Guards the header, index and footer, which zstd does not check.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
