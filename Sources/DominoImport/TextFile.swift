import DominoLog

/// One input file held in memory as bytes, with a leading UTF-8 byte-order mark removed.
/// `path` is the name errors show (as given, or joined to the data root).
struct TextFile: Sendable {
    let path: String
    let bytes: [UInt8]

    init(path: String, bytes: [UInt8]) {
        self.path = path
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.bytes = Array(bytes.dropFirst(3)) } else { self.bytes = bytes }
    }

    /// Reads the whole file; a missing or unreadable file is `LogError.Code.io` naming it.
    static func read(_ path: String) throws -> TextFile {
        let file = try ReadableFile(path: path)
        let bytes = try file.read(at: 0, count: Int(file.size))
        return TextFile(path: path, bytes: bytes)
    }

    /// Physical lines with their 1-based numbers: a line ends at LF, CR LF or a lone CR (old Mac
    /// line endings, which a spreadsheet may still write). A final line without an ending
    /// counts; an empty tail after the last ending does not.
    func forEachLine(_ body: (_ line: Int, _ text: ArraySlice<UInt8>) throws -> Void) rethrows {
        var start = 0, number = 1
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
            try body(number, bytes[start..<end])
            start = end < n && bytes[end] == 0x0D && end + 1 < n && bytes[end + 1] == 0x0A ? end + 2 : end + 1
            number += 1
        }
    }

    /// Whether a line holds only spaces and tabs.
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The file's base name without directories.
    var baseName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// First non-blank byte, for sniffing JSONL (`{`) against CSV.
    var firstSignificantByte: UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
    }
}
