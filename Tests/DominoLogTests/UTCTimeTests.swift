import Testing
@testable import DominoLog

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
