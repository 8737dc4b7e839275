/// An error reading, writing or validating a Domino log.
///
/// Every error carries enough context for a one-line diagnostic: the file, and where known the
/// byte offset, block number, event ordinal or source line, plus a reason a person can act on.
/// `description` renders that line, e.g.
/// `data.zst: offset 1234 (block 3): checksum mismatch: the block's data is corrupt`.
public struct LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to match on in code and tests.
    public enum Code: String, Sendable, Equatable {
        case io                 // the OS refused a read, write or rename
        case empty              // a zero-byte file
        case notALog            // no Domino header where one must be
        case unsupportedVersion // a header from a newer (or unknown) format version
        case badHeader          // header present but malformed (JSON, CRC, tables)
        case truncated          // the file ends before a structure it declares
        case badFooter          // footer missing or malformed
        case badIndex           // index malformed or disagreeing with the frames
        case corruptBlock       // a block frame fails to decompress or its checksum
        case badBlock           // a block decompresses but its layout is invalid
        case unknownKind        // an event kind this reader does not know
        case badReference       // an event names an asset or entity absent from the header
        case order              // events out of (time, sequence) order
        case invalidEvent       // a value no event of that kind may hold
        case invalidInput       // bad text input (importer: CSV/JSONL, numbers, times)
        case usage              // a call that makes no sense (bad option value)
    }

    public var code: Code
    public var message: String
    public var file: String?
    public var offset: UInt64?
    public var block: Int?
    public var line: Int?

    public init(_ code: Code, _ message: String, file: String? = nil, offset: UInt64? = nil,
                block: Int? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.offset = offset
        self.block = block
        self.line = line
    }

    /// The same error with its location filled in where it was not known yet.
    public func at(file: String? = nil, offset: UInt64? = nil, block: Int? = nil, line: Int? = nil) -> LogError {
        var copy = self
        if copy.file == nil { copy.file = file }
        if copy.offset == nil { copy.offset = offset }
        if copy.block == nil { copy.block = block }
        if copy.line == nil { copy.line = line }
        return copy
    }

    public var description: String {
        var prefix = file.map { "\($0)" } ?? ""
        if let line { prefix += prefix.isEmpty ? "line \(line)" : ":\(line)" }
        var place: [String] = []
        if let offset { place.append("offset \(offset)") }
        if let block { place.append(offset == nil ? "block \(block)" : "(block \(block))") }
        let location = ([prefix].filter { !$0.isEmpty } + [place.joined(separator: " ")].filter { !$0.isEmpty })
            .joined(separator: ": ")
        return location.isEmpty ? message : "\(location): \(message)"
    }
}
