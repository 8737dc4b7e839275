import Foundation
import Testing
@testable import DominoLog

/// The direct header reader gives what `JSONDecoder` gives, and steps aside (nil) whenever it
/// is not sure, so that `LogHeader.fromJSON` falls back to `JSONDecoder` and its messages.
@Suite struct HeaderJSONTests {
    static func rich() -> LogHeader {
        var h = Fixtures.header()
        h.description = "quotes \" backslash \\ slash / newline \n tab \t control \u{01} é 中 🚀"
        h.entities.append(.init(id: 4_000_000_000, name: "Céline \"C\" ☃", kind: "lender"))
        h.series.append(.init(label: "flows", asset: nil, kinds: ["deposit", "withdrawal-request"], from: -5, to: 0,
                              resolution: "events", origin: .reconstructed, source: "filing, p. 3", method: "scaled"))
        h.signals.append(.init(code: Int64.min, name: "min"))
        h.signals.append(.init(code: Int64.max, name: "max"))
        return h
    }

    static func viaDecoder(_ json: String) throws -> LogHeader {
        try JSONDecoder().decode(LogHeader.self, from: Data(json.utf8))
    }

    @Test func canonicalHeadersReadAsJSONDecoderReadsThem() throws {
        for header in [Fixtures.header(), Self.rich(), LogHeader(name: "empty", timeRange: .init(start: 0, end: 0), kinds: [])] {
            let json = try header.canonicalJSON()
            let direct = try #require(HeaderJSONReader.decode(json))
            #expect(direct == header)
            #expect(direct == (try JSONDecoder().decode(LogHeader.self, from: Data(json))))
            #expect(try LogHeader.fromJSON(json) == header)
        }
    }

    /// White space, keys in another order, unknown keys of every JSON type, escapes for
    /// characters the canonical form writes as they are, and an explicit null asset.
    @Test func anyValidJSONLayoutReadsTheSame() throws {
        let json = """
        {
          "kinds" : [ {"name": "price", "code": 1, "note": [1, -2.5e3, true, false, null, {"x": "y"}]} ],
          "signals": [],
          "name": "h\\u00e9llo \\ud83d\\ude80 \\/ \\b\\f\\r",
          "future": {"nested": [{"deep": [[]]}], "n": 0.5},
          "series": [{"to": 2, "from": 1, "asset": null, "kinds": [], "label": "s", "resolution": "1d",
                      "origin": "recorded", "source": "", "method": "", "extra": "ignored"}],
          "entities": [{"kind": "fund", "name": "3AC", "id": 2}],
          "description": "",
          "assets": [{"decimals": 8, "symbol": "BTC", "id": 1}],
          "timeRange": {"end": 10, "start": -10}
        }
        """
        let direct = try #require(HeaderJSONReader.decode(Array(json.utf8)))
        #expect(direct == (try Self.viaDecoder(json)))
        #expect(direct.name == "héllo 🚀 / \u{08}\u{0C}\r")
        #expect(direct.series[0].asset == nil)
        #expect(direct.timeRange == .init(start: -10, end: 10))
    }

    /// What the direct reader is not sure of goes to `JSONDecoder`: it may accept it after all
    /// (a repeated key, `1.0` for an integer) or explain what is wrong, as before.
    @Test func unsureInputFallsBackToJSONDecoder() throws {
        let base = String(decoding: try Fixtures.header().canonicalJSON(), as: UTF8.self)
        let repeated = base.replacingOccurrences(of: "{\"assets\":", with: "{\"name\":\"first\",\"assets\":")
        let fractional = base.replacingOccurrences(of: "\"decimals\":8", with: "\"decimals\":8.0")
        let missing = base.replacingOccurrences(of: "\"kinds\":[{", with: "\"kindz\":[{")
        let tooBig = base.replacingOccurrences(of: "\"id\":1,", with: "\"id\":4294967296,")
        let truncated = String(base.dropLast())
        for text in [repeated, fractional, missing, tooBig, truncated, base + "x", "\u{FEFF}" + base] {
            #expect(text != base)
            #expect(HeaderJSONReader.decode(Array(text.utf8)) == nil)
            let viaDecoder = try? Self.viaDecoder(text)
            let viaFromJSON = try? LogHeader.fromJSON(Array(text.utf8))
            #expect(viaFromJSON == viaDecoder)
        }
        let error = #expect(throws: LogError.self) { try LogHeader.fromJSON(Array(missing.utf8)) }
        #expect(error?.code == .badHeader)
        #expect(error?.message.contains("missing key 'kinds'") == true)
        // An unknown value nested 100,000 deep: no unbounded recursion, a one-line error.
        let deep = "{\"deep\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "," + base.dropFirst()
        #expect(HeaderJSONReader.decode(Array(deep.utf8)) == nil)
        let deepError = #expect(throws: LogError.self) { try LogHeader.fromJSON(Array(deep.utf8)) }
        #expect(deepError?.code == .badHeader)
        // Strings: invalid UTF-8, a raw control character, a lone low surrogate; then a valid one.
        for bad in [[0x22, 0xFF, 0x22], [0x22, 0x01, 0x22], Array("\"\\udc00\"".utf8)] as [[UInt8]] {
            #expect(HeaderJSONReader.decodeString(bad) == nil)
        }
        #expect(HeaderJSONReader.decodeString(Array("\"a\\u0041\\\\\"".utf8)) == "aA\\")
    }
}

extension HeaderJSONReader {
    /// One JSON string alone (for the tests).
    static func decodeString(_ json: [UInt8]) -> String? {
        json.withUnsafeBufferPointer { buffer in
            var reader = HeaderJSONReader(buffer)
            return reader.string()
        }
    }
}
