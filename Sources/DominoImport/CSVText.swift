/// CSV as RFC 4180 writes it: cells separated by `,`, records by LF or CRLF, a cell in double
/// quotes may hold `,`, `"` (written `""`) and line breaks. Blank lines are skipped. Cells are
/// not trimmed.
enum CSVText {
    /// A cell as it must be written: quoted when it holds `,`, `"`, CR or LF.
    static func cell(_ s: String) -> String {
        var needsQuotes = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needsQuotes = true; break }
        guard needsQuotes else { return s }
        var out = "\""
        for ch in s { if ch == "\"" { out += "\"\"" } else { out.append(ch) } }
        return out + "\""
    }
}

/// One CSV record and the line it starts on (1-based).
struct CSVRecord: Equatable, Sendable {
    var line: Int
    var cells: [String]
}

/// A malformed record: the reason and the line where the problem is.
struct CSVSyntaxError: Error, Equatable, Sendable {
    var message: String
    var line: Int
}

/// Reads records one at a time from a byte buffer.
struct CSVReader {
    private let b: [UInt8]
    private var i = 0
    private var line = 1

    /// A file whose lines end in a lone CR (old Mac line endings: it has no LF at all) is read
    /// with its CRs as line breaks, not as one long header line.
    init(bytes: [UInt8]) {
        b = !bytes.contains(0x0A) && bytes.contains(0x0D) ? bytes.map { $0 == 0x0D ? 0x0A : $0 } : bytes
    }

    /// The next record, or nil at the end of the input.
    mutating func next() throws(CSVSyntaxError) -> CSVRecord? {
        // Skip blank lines (only spaces/tabs before the line break).
        while i < b.count {
            var j = i
            while j < b.count && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
            if j < b.count && b[j] == 0x0D && j + 1 < b.count && b[j + 1] == 0x0A { j += 1 }
            if j < b.count && b[j] == 0x0A { i = j + 1; line += 1; continue }
            if j == b.count { i = j; return nil }
            break
        }
        guard i < b.count else { return nil }
        let recordLine = line
        var cells: [String] = []
        while true {
            if i < b.count && b[i] == 0x22 {
                // Quoted cell.
                let openLine = line
                i += 1
                var bytes: [UInt8] = []
                while true {
                    guard i < b.count else {
                        throw CSVSyntaxError(message: "unterminated quoted cell (opened on line \(openLine))", line: openLine)
                    }
                    let c = b[i]
                    if c == 0x22 {
                        if i + 1 < b.count && b[i + 1] == 0x22 { bytes.append(0x22); i += 2; continue }
                        i += 1
                        break
                    }
                    if c == 0x0A { line += 1 }
                    bytes.append(c)
                    i += 1
                }
                cells.append(String(decoding: bytes, as: UTF8.self))
                if i < b.count && b[i] == 0x0D && (i + 1 == b.count || b[i + 1] == 0x0A) { i += 1 }
                guard i == b.count || b[i] == 0x2C || b[i] == 0x0A else {
                    throw CSVSyntaxError(message: "unexpected text after a closing quote in cell \(cells.count)", line: line)
                }
            } else {
                let start = i
                while i < b.count && b[i] != 0x2C && b[i] != 0x0A { i += 1 }
                var end = i
                if (i == b.count || b[i] == 0x0A) && end > start && b[end - 1] == 0x0D { end -= 1 }
                cells.append(String(decoding: b[start..<end], as: UTF8.self))
            }
            if i == b.count { return CSVRecord(line: recordLine, cells: cells) }
            if b[i] == 0x0A { i += 1; line += 1; return CSVRecord(line: recordLine, cells: cells) }
            i += 1 // ','
        }
    }
}
