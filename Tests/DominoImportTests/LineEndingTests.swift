import DominoLog
import Testing
@testable import DominoImport

/// Issue 13 §4: a CSV saved with old Mac line endings (a lone CR, no LF) is read line by line,
/// not as one header line.
@Suite struct LineEndingTests {
    @Test func csvWithCROnlyLineEndingsHasItsLines() throws {
        var reader = CSVReader(bytes: Array("time,price\r2022-06-01,1.5\r2022-06-02,\"2\"\r".utf8))
        var out: [CSVRecord] = []
        while let r = try reader.next() { out.append(r) }
        #expect(out == [
            CSVRecord(line: 1, cells: ["time", "price"]),
            CSVRecord(line: 2, cells: ["2022-06-01", "1.5"]),
            CSVRecord(line: 3, cells: ["2022-06-02", "2"]),
        ])
    }

    @Test func jsonlWithCROnlyLineEndingsHasItsLines() {
        let file = TextFile(path: "x.jsonl", bytes: Array("{\"a\":1}\r{\"a\":2}\r\n{\"a\":3}".utf8))
        var lines: [(Int, String)] = []
        file.forEachLine { lines.append(($0, String(decoding: $1, as: UTF8.self))) }
        #expect(lines.map(\.0) == [1, 2, 3])
        #expect(lines.map(\.1) == ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"])
    }
}
