import Testing
@testable import DominoLog

/// The worked example of FORMAT.md §6, byte for byte: the spec and the codec agree.
@Suite struct BlockLayoutTests {
    let t: Int64 = 1_654_992_000_000 // 2022-06-12T00:00:00Z
    var events: [Event] {
        [Event(time: t, kind: .price, asset: 1, amount: 2_657_453_000_000),
         Event(time: t, kind: .deposit, entity: 5, counterparty: 1, asset: 3, amount: 2_000_000),
         Event(time: t + 3_600_000, kind: .price, asset: 1, amount: 2_658_000_000_000)]
    }

    /// The payload written out by hand from the specification's text.
    var specified: [UInt8] {
        var w = ByteWriter()
        w.u32(3); w.i64(t); w.u16(1); w.u32(1); w.i64(2_657_453_000_000)
        func column(_ width: UInt8, _ base: Int64, _ step: UInt64, _ s: [UInt64]) {
            w.u8(width); w.i64(base); w.u64(step)
            for v in s {
                switch width {
                case 1: w.u8(UInt8(v))
                case 2: w.u16(UInt16(v))
                default: break
                }
            }
        }
        column(1, 0, 3_600_000, [0, 0, 1]) // time
        column(1, 1, 1, [0, 1, 0])         // kind
        column(1, 0, 5, [0, 1, 0])         // entity
        column(1, 0, 1, [0, 1, 0])         // counterparty
        column(1, 1, 2, [0, 1, 0])         // asset
        column(2, 0, 1_000_000, [0, 2, 547]) // amount
        column(0, 0, 1, [])                // aux
        return w.bytes
    }

    @Test func encoderWritesTheSpecifiedBytes() {
        var w = ByteWriter()
        var prices = PriceTable(size: 8)
        BlockCodec.encode(events[...], prices: &prices, into: &w)
        #expect(w.bytes == specified)
    }

    @Test func decoderReadsTheSpecifiedBytes() throws {
        var columns = EventColumns()
        var prices = PriceTable(size: 8)
        var unknown = 0
        try specified.withUnsafeBytes {
            try BlockCodec.decode($0, into: &columns, prices: &prices, assetLimit: 8, lenient: false, unknown: &unknown)
        }
        #expect((0..<columns.count).map { columns[$0] } == events)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test(arguments: [
        (mutate: 0, at: 0, code: LogError.Code.badBlock),  // count 0
        (mutate: 1, at: 0, code: .badBlock),               // count beyond the payload
        (mutate: 2, at: 14, code: .badReference),          // anchor for asset 9, outside the table
        (mutate: 3, at: 26, code: .badBlock),              // time column width 3
        (mutate: 4, at: 0, code: .badBlock),               // trailing byte
        (mutate: 5, at: 0, code: .badBlock),               // payload cut short
    ])
    func malformedPayloadsAreRejected(mutate: Int, at offset: Int, code: LogError.Code) throws {
        var bytes = specified
        switch mutate {
        case 0: bytes.replaceSubrange(0..<4, with: le32(0))
        case 1: bytes.replaceSubrange(0..<4, with: le32(1000))
        case 2: bytes.replaceSubrange(offset..<offset + 4, with: le32(9))
        case 3: bytes[offset] = 3
        case 4: bytes.append(0)
        default: bytes.removeLast(3)
        }
        var columns = EventColumns()
        var prices = PriceTable(size: 8)
        var unknown = 0
        #expect(throws: LogError.self) {
            try bytes.withUnsafeBytes {
                try BlockCodec.decode($0, into: &columns, prices: &prices, assetLimit: 8, lenient: false, unknown: &unknown)
            }
        }
        do {
            try bytes.withUnsafeBytes {
                try BlockCodec.decode($0, into: &columns, prices: &prices, assetLimit: 8, lenient: false, unknown: &unknown)
            }
        } catch let error as LogError {
            #expect(error.code == code, "\(error)")
        }
    }
}
