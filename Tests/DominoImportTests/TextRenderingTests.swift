import DominoLog
import Testing
@testable import DominoImport

/// Exact text of rendered events (JSONL and CSV) and of the header line.
@Suite struct TextRenderingTests {
    static let header = LogHeader(
        name: "render", timeRange: .init(start: 0, end: T.jun12_2022_22h + 1000),
        assets: [.init(id: 1, symbol: "BTC", decimals: 8), .init(id: 2, symbol: "USDC", decimals: 6)],
        entities: [.init(id: 1, name: "3AC", kind: "fund"), .init(id: 2, name: "Genesis", kind: "lender"),
                   .init(id: 7, name: "Three Arrows, \"3AC\"", kind: "fund"),
                   .init(id: 8, name: "back\\slash\nnew\tline\u{01}é", kind: "other")])

    let jsonl = EventTextRenderer(header: header, format: .jsonl)
    let csv = EventTextRenderer(header: header, format: .csv)

    // 26574.53 USD × 10^8 and 1,000,000 USDC × 10^6.
    let price = Event(time: T.jun12_2022_22h, kind: .price, asset: 1, amount: 2_657_453_000_000)
    let borrow = Event(time: T.jun12_2022_22h, kind: .borrow, entity: 1, counterparty: 2, asset: 2, amount: 1_000_000_000_000, aux: 5)

    @Test func priceLine() {
        #expect(jsonl.render(price) == #"{"time":"2022-06-12T22:00:00Z","kind":"price","asset":"BTC","amount":"26574.53"}"#)
        #expect(csv.render(price) == "2022-06-12T22:00:00Z,price,,,BTC,26574.53,")
    }

    @Test func borrowLine() {
        #expect(jsonl.render(borrow) == #"{"time":"2022-06-12T22:00:00Z","kind":"borrow","entity":"3AC","counterparty":"Genesis","asset":"USDC","amount":"1000000","aux":5}"#)
        #expect(csv.render(borrow) == "2022-06-12T22:00:00Z,borrow,3AC,Genesis,USDC,1000000,5")
    }

    @Test func usdSignalAndMilliseconds() {
        // Asset 0 is USD at 8 places; a signal's intensity is at 8 places and may be negative.
        let deposit = Event(time: T.jun12_2022_22h + 123, kind: .deposit, entity: 2, amount: 150_000_000)
        #expect(jsonl.render(deposit) == #"{"time":"2022-06-12T22:00:00.123Z","kind":"deposit","entity":"Genesis","amount":"1.5"}"#)
        let signal = Event(time: T.jun12_2022_22h, kind: .signal, amount: -25_000_000, aux: 3)
        #expect(jsonl.render(signal) == #"{"time":"2022-06-12T22:00:00Z","kind":"signal","amount":"-0.25","aux":3}"#)
        #expect(csv.render(signal) == "2022-06-12T22:00:00Z,signal,,,,-0.25,3")
        // A signal on an asset with 6 decimals still uses 8; a quantity of it uses 6.
        let s2 = Event(time: 0, kind: .signal, asset: 2, amount: 1)
        #expect(jsonl.render(s2) == #"{"time":"1970-01-01T00:00:00Z","kind":"signal","asset":"USDC","amount":"0.00000001"}"#)
        let q = Event(time: 0, kind: .transfer, asset: 2, amount: 1)
        #expect(jsonl.render(q) == #"{"time":"1970-01-01T00:00:00Z","kind":"transfer","asset":"USDC","amount":"0.000001"}"#)
        // Zero amount is written; zero aux is not.
        let zero = Event(time: 0, kind: .repay, amount: 0)
        #expect(jsonl.render(zero) == #"{"time":"1970-01-01T00:00:00Z","kind":"repay","amount":"0"}"#)
        #expect(csv.render(zero) == "1970-01-01T00:00:00Z,repay,,,,0,")
        // Outcome kinds use their text names; negative aux is an integer.
        let halt = Event(time: 0, kind: .withdrawalHalt, entity: 2, aux: -1)
        #expect(jsonl.render(halt) == #"{"time":"1970-01-01T00:00:00Z","kind":"halt","entity":"Genesis","amount":"0","aux":-1}"#)
    }

    @Test func escaping() {
        let e = Event(time: 0, kind: .transfer, entity: 7, counterparty: 8, amount: 1)
        #expect(jsonl.render(e) == #"{"time":"1970-01-01T00:00:00Z","kind":"transfer","entity":"Three Arrows, \"3AC\"","counterparty":"back\\slash\nnew\tline\u0001é","amount":"0.00000001"}"#)
        #expect(csv.render(e) == "1970-01-01T00:00:00Z,transfer,\"Three Arrows, \"\"3AC\"\"\",\"back\\slash\nnew\tline\u{01}é\",,0.00000001,")
    }

    @Test func unknownIdsRenderAsNumbers() {
        let e = Event(time: 0, kind: .transfer, entity: 99, asset: 40, amount: 1)
        #expect(jsonl.render(e) == ##"{"time":"1970-01-01T00:00:00Z","kind":"transfer","entity":"#99","asset":"#40","amount":"0.00000001"}"##)
    }

    @Test func csvHeader() {
        #expect(csv.csvHeaderLine == "time,kind,entity,counterparty,asset,amount,aux")
    }

    @Test func headerLine() throws {
        let line = try HeaderLine.render(Self.header)
        #expect(line == "{\"header\":" + String(decoding: try Self.header.canonicalJSON(), as: UTF8.self) + "}")
        #expect(line.hasPrefix(#"{"header":{"assets":[{"decimals":8,"id":1,"symbol":"BTC"},{"decimals":6,"id":2,"symbol":"USDC"}],"description":"","entities":[{"id":1,"kind":"fund","name":"3AC"}"#))
        #expect(line.hasSuffix(#""timeRange":{"end":1655071201000,"start":0}}}"#))
        #expect(!line.contains("\n"))
        #expect(try HeaderLine.parse(line) == Self.header)
        #expect(try HeaderLine.parse(#"{"time":"2022-01-01","kind":"price","amount":"1"}"#) == nil)
    }

    @Test func rendererOutputParsesBack() throws {
        let resolver = EventResolver(header: Self.header)
        for e in [price, borrow, Event(time: T.jun12_2022_22h + 7, kind: .signal, amount: -1, aux: 9),
                  Event(time: 5, kind: .transfer, entity: 7, counterparty: 8, asset: 2, amount: 123_456)] {
            let text = Array(jsonl.render(e).utf8)
            let node = try JSONParser.parse(text[...])
            #expect(try EventFileReader.makeEvent(EventFileReader.fields(of: node.members!), resolver: resolver) == e)
        }
    }
}
