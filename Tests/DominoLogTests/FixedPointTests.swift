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

@Suite struct UTCTimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2022-06-12T22:00:00Z", Int64(1_655_071_200_000)),
        ("2022-06-12 22:00:00", Int64(1_655_071_200_000)),
        ("2022-06-12T22:00Z", Int64(1_655_071_200_000)),
        ("2022-06-12", Int64(1_654_992_000_000)),
        ("2022-06-12T22:00:00.5Z", Int64(1_655_071_200_500)),
        ("2022-06-12T22:00:00.123000Z", Int64(1_655_071_200_123)),
        ("2022-06-12T18:00:00-04:00", Int64(1_655_071_200_000)),
        ("2022-06-13T00:00:00+02:00", Int64(1_655_071_200_000)),
        ("2024-02-29", Int64(1_709_164_800_000)),
        ("1969-12-31T23:59:59.999Z", Int64(-1)),
    ])
    func parses(text: String, expected: Int64) {
        #expect(UTCTime.parse(text) == expected)
    }

    @Test(arguments: ["", "2022", "2022-13-01", "2022-02-29", "2022-06-31", "2022-06-12T24:00:00Z",
                      "2022-06-12T22:60Z", "2022-06-12T22:00:00.1234Z", "2022-06-12X22:00", "2022-06-12T22:00:00Zjunk",
                      "22-06-12", "2022-6-12"])
    func rejects(text: String) {
        #expect(UTCTime.parse(text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (Int64(1_655_071_200_000), "2022-06-12T22:00:00Z"),
        (Int64(1_655_071_200_123), "2022-06-12T22:00:00.123Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (Int64(951_782_400_000), "2000-02-29T00:00:00Z"),
    ])
    func formats(ms: Int64, expected: String) {
        #expect(UTCTime.format(ms) == expected)
    }

    @Test func formatThenParseIsIdentity() {
        var rng = TestRandom(seed: 11)
        for _ in 0..<5000 {
            let ms = Int64(rng.below(8_000_000_000_000)) - 1_000_000_000_000
            #expect(UTCTime.parse(UTCTime.format(ms)) == ms)
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
