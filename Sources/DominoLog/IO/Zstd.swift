import CZstd

/// The only file in Domino that calls libzstd. Everything else sees these Swift wrappers.
enum Zstd {
    /// Magic number of the first zstd skippable frame; the low nibble may be 0…F.
    static let skippableMagicBase: UInt32 = 0x184D_2A50
    /// Magic number of a regular zstd frame.
    static let frameMagic: UInt32 = 0xFD2F_B528

    static func isSkippable(magic: UInt32) -> Bool { magic & 0xFFFF_FFF0 == skippableMagicBase }

    static func errorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }

    static func isError(_ code: Int) -> Bool { ZSTD_isError(code) != 0 }

    static func compressBound(_ size: Int) -> Int { ZSTD_compressBound(size) }

    static var versionString: String { String(cString: ZSTD_versionString()) }

    /// The decompressed size a frame declares, or nil when absent or the frame is malformed.
    static func frameContentSize(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        if size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR { return nil }
        return UInt64(size)
    }

    /// Length in bytes of the (regular or skippable) frame at the start of `bytes`, or an error
    /// string when the bytes do not hold a whole frame.
    static func frameLength(_ bytes: UnsafeRawBufferPointer) -> Result<Int, ZstdFailure> {
        let n = ZSTD_findFrameCompressedSize(bytes.baseAddress, bytes.count)
        if isError(n) { return .failure(ZstdFailure(errorName(n))) }
        return .success(n)
    }
}

struct ZstdFailure: Error { let message: String; init(_ m: String) { message = m } }

/// A reusable compression context set for Domino blocks: a content checksum in every frame, the
/// content size in the frame header, and no worker threads (so output depends only on input,
/// level and library version).
final class ZstdCompressor {
    private let context: OpaquePointer
    let level: Int32

    init(level: Int32) throws {
        guard let context = ZSTD_createCCtx() else { throw LogError(.io, "zstd: cannot allocate a compression context") }
        self.context = context
        self.level = level
        for (parameter, value) in [(ZSTD_c_compressionLevel, level), (ZSTD_c_checksumFlag, 1),
                                   (ZSTD_c_contentSizeFlag, 1), (ZSTD_c_nbWorkers, 0)] {
            let rc = ZSTD_CCtx_setParameter(context, parameter, value)
            if Zstd.isError(rc) { throw LogError(.usage, "zstd: cannot set parameter: \(Zstd.errorName(rc))") }
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `source` into one complete frame appended to `output`.
    func compressFrame(_ source: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        let bound = Zstd.compressBound(source.count)
        let start = output.count
        output.reserveCapacity(start + bound)
        var written = 0
        var failure: Int? = nil
        // Grow, compress in place, then trim to the real size.
        output.append(contentsOf: repeatElement(0, count: bound))
        output.withUnsafeMutableBytes { raw in
            let rc = ZSTD_compress2(context, raw.baseAddress! + start, bound, source.baseAddress, source.count)
            if Zstd.isError(rc) { failure = rc } else { written = rc }
        }
        output.removeLast(bound - (failure == nil ? written : 0))
        if let failure { throw LogError(.io, "zstd: compression failed: \(Zstd.errorName(failure))") }
    }
}

/// A reusable decompression context. Checksums are verified (libzstd's default).
final class ZstdDecompressor {
    private let context: OpaquePointer

    init() throws {
        guard let context = ZSTD_createDCtx() else { throw LogError(.io, "zstd: cannot allocate a decompression context") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses exactly one frame into `destination`; returns the decompressed length.
    /// Fails with libzstd's reason (e.g. "Restored data doesn't match checksum").
    func decompressFrame(_ frame: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Result<Int, ZstdFailure> {
        let rc = ZSTD_decompressDCtx(context, destination.baseAddress, destination.count, frame.baseAddress, frame.count)
        if Zstd.isError(rc) { return .failure(ZstdFailure(Zstd.errorName(rc))) }
        return .success(rc)
    }
}
