import Testing
@testable import DominoLog

@Suite struct FixedPointTests {
    @Test(arguments: [
        ("0.1", 8, Int64(10_000_000)),
        ("26574.53", 8, Int64(2_657_453_000_000)),
        ("-0.0005", 8, Int64(-50_000)),
        ("+12", 2, Int64(1200)),
        ("1e-5", 8, Int64(1000)),
        ("5E-05", 8, Int64(5000)),
        ("1.5e3", 0, Int64(1500)),
        (".5", 1, Int64(5)),
        ("7.", 1, Int64(70)),
        // Rounding beyond the scale is half to even.
        ("1.0031987236670998", 8, Int64(100_319_872)),
        ("0.000000005", 8, Int64(0)),      // tie, 0 is even
        ("0.000000015", 8, Int64(2)),      // tie, 2 is even
        ("0.0000000150001", 8, Int64(2)),
        ("0.0000000050001", 8, Int64(1)),  // above the tie
        ("2.5", 0, Int64(2)),
        ("3.5", 0, Int64(4)),
        ("-2.5", 0, Int64(-2)),
        ("0.00000000499", 8, Int64(0)),
        ("92233720368.54775807", 8, Int64.max),
    ])
    func parses(text: String, decimals: Int, expected: Int64) throws {
        #expect(try FixedPoint.parse(text, decimals: decimals) == expected)
    }

    @Test(arguments: ["", "-", ".", "NaN", "nan", "inf", "-Infinity", "1,5", "1.2.3", "0x10", "1e", "1e+", " 1", "1 ", "12abc"])
    func rejectsNonNumbers(text: String) {
        #expect(throws: FixedPoint.ParseError.self) { try FixedPoint.parse(text, decimals: 8) }
    }

    @Test(arguments: ["92233720368.54775808", "1e30", "-92233720368.54775809", "99999999999999999999"])
    func rejectsOutOfRange(text: String) {
        #expect(throws: FixedPoint.ParseError.outOfRange(text)) { try FixedPoint.parse(text, decimals: 8) }
    }

    @Test(arguments: [
        (Int64(2_657_453_000_000), 8, "26574.53"),
        (Int64(-50_000), 8, "-0.0005"),
        (Int64(1), 8, "0.00000001"),
        (Int64(0), 8, "0"),
        (Int64(1200), 2, "12"),
        (Int64(42), 0, "42"),
        (Int64.min, 8, "-92233720368.54775808"),
        (Int64(1_000_000_000_000_000_000), 18, "1"),
    ])
    func formats(value: Int64, decimals: Int, expected: String) {
        #expect(FixedPoint.format(value, decimals: decimals) == expected)
    }

    @Test func formatThenParseIsIdentity() throws {
        var rng = TestRandom(seed: 7)
        for _ in 0..<5000 {
            let value = Int64(bitPattern: rng.next()) >> rng.below(60)
            let decimals = rng.below(19)
            #expect(try FixedPoint.parse(FixedPoint.format(value, decimals: decimals), decimals: decimals) == value)
        }
    }
}
extension UTCTimeTests {
    /// The extremes of Int64 format without trapping (the writer quotes header ranges in errors).
    @Test func extremesFormatWithoutTrapping() {
        #expect(UTCTime.format(.min).hasSuffix("Z"))
        #expect(UTCTime.format(.max).hasSuffix("Z"))
    }
}
