/// Minimal JSON for the importer: quoting strings for output, and a parser that keeps what
/// `JSONDecoder` throws away — the exact text of every number (so `0.1` or `9007199254740993`
/// never passes through `Double`), the line of every value (so errors name `file:line`), and the
/// byte range of every value (so an embedded object can be handed to `JSONDecoder` as is).


/// One parsed JSON value with its position in the source.
struct JSONNode: Sendable {
    enum Value: Sendable {
        case object([Member])
        case array([JSONNode])
        case string(String)
        /// The number's text exactly as written (validated against JSON's number grammar).
        case number(String)
        case bool(Bool)
        case null
    }

    struct Member: Sendable {
        var key: String
        var value: JSONNode
    }

    var value: Value
    /// 1-based line where the value starts.
    var line: Int
    /// Byte range of the value in the parsed buffer.
    var range: Range<Int>

    /// Short name of the value's type, for messages ("expected a string, got an array").
    var typeName: String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    var members: [Member]? { if case .object(let m) = value { return m }; return nil }
    var string: String? { if case .string(let s) = value { return s }; return nil }
}

/// A JSON syntax error at a line and column (both 1-based; the column counts bytes).
struct JSONSyntaxError: Error, Equatable, Sendable {
    var message: String
    var line: Int
    var column: Int
}

/// Recursive-descent JSON parser (RFC 8259) over a byte buffer. Duplicate keys in one object
/// are an error (JSON leaves them undefined; here they would silently drop data).
struct JSONParser {
    static let maxDepth = 64

    private let b: ArraySlice<UInt8>
    private var i: Int
    private var line: Int
    private var lineStart: Int
    private var depth = 0

    /// Parses exactly one value filling `bytes` (white space around it allowed). `firstLine` is
    /// the line number of `bytes.startIndex` in its file.
    static func parse(_ bytes: ArraySlice<UInt8>, firstLine: Int = 1) throws(JSONSyntaxError) -> JSONNode {
        var p = JSONParser(b: bytes, i: bytes.startIndex, line: firstLine, lineStart: bytes.startIndex)
        p.skipSpace()
        let node = try p.value()
        p.skipSpace()
        guard p.i == p.b.endIndex else { throw p.error("unexpected text after the JSON value") }
        return node
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, line: line, column: i - lineStart + 1)
    }

    private var atEnd: Bool { i >= b.endIndex }

    private mutating func skipSpace() {
        while i < b.endIndex {
            switch b[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONNode {
        guard !atEnd else { throw error("unexpected end of input, expected a value") }
        let start = i, startLine = line
        let v: JSONNode.Value
        switch b[i] {
        case 0x7B: v = try object()
        case 0x5B: v = try array()
        case 0x22: v = .string(try string())
        case 0x74: try literal("true"); v = .bool(true)
        case 0x66: try literal("false"); v = .bool(false)
        case 0x6E: try literal("null"); v = .null
        case 0x2D, 0x30...0x39: v = .number(try number())
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(b[i])))', expected a value")
        }
        return JSONNode(value: v, line: startLine, range: start..<i)
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for c in w {
            guard !atEnd, b[i] == c else { throw error("invalid literal, expected '\(word)'") }
            i += 1
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONNode.Value {
        try enter()
        defer { depth -= 1 }
        i += 1 // {
        var members: [JSONNode.Member] = []
        skipSpace()
        if !atEnd && b[i] == 0x7D { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard !atEnd, b[i] == 0x22 else { throw error("expected a string key") }
            let keyLine = line, keyColumn = i - lineStart + 1
            let key = try string()
            if members.contains(where: { $0.key == key }) {
                throw JSONSyntaxError(message: "duplicate key '\(key)'", line: keyLine, column: keyColumn)
            }
            skipSpace()
            guard !atEnd, b[i] == 0x3A else { throw error("expected ':' after key '\(key)'") }
            i += 1
            skipSpace()
            members.append(JSONNode.Member(key: key, value: try value()))
            skipSpace()
            guard !atEnd else { throw error("unexpected end of input inside an object") }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x7D { i += 1; return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONNode.Value {
        try enter()
        defer { depth -= 1 }
        i += 1 // [
        var items: [JSONNode] = []
        skipSpace()
        if !atEnd && b[i] == 0x5D { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard !atEnd else { throw error("unexpected end of input inside an array") }
            if b[i] == 0x2C { i += 1; continue }
            if b[i] == 0x5D { i += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard !atEnd else { throw error("unexpected end of input in a \\u escape") }
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1 // opening quote
        var bytes: [UInt8] = []
        var start = i
        while true {
            guard !atEnd else { throw error("unterminated string") }
            let c = b[i]
            if c == 0x22 {
                bytes.append(contentsOf: b[start..<i])
                i += 1
                break
            }
            if c < 0x20 { throw error("control character (code \(c)) inside a string; it must be escaped") }
            if c != 0x5C { i += 1; continue }
            bytes.append(contentsOf: b[start..<i])
            i += 1
            guard !atEnd else { throw error("unterminated escape") }
            let e = b[i]
            i += 1
            switch e {
            case 0x22: bytes.append(0x22)
            case 0x5C: bytes.append(0x5C)
            case 0x2F: bytes.append(0x2F)
            case 0x62: bytes.append(0x08)
            case 0x66: bytes.append(0x0C)
            case 0x6E: bytes.append(0x0A)
            case 0x72: bytes.append(0x0D)
            case 0x74: bytes.append(0x09)
            case 0x75:
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard i + 1 < b.endIndex, b[i] == 0x5C, b[i + 1] == 0x75 else {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw error("unpaired surrogate in a \\u escape")
                }
                bytes.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
            start = i
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw error("string is not valid UTF-8") }
        return s
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as text.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = i
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if b[i] == 0x2D { i += 1 }
        guard !atEnd, isDigit(b[i]) else { throw error("invalid number: expected a digit") }
        if b[i] == 0x30 {
            i += 1
            if !atEnd && isDigit(b[i]) { throw error("invalid number: leading zero") }
        } else {
            while !atEnd && isDigit(b[i]) { i += 1 }
        }
        if !atEnd && b[i] == 0x2E {
            i += 1
            guard !atEnd, isDigit(b[i]) else { throw error("invalid number: expected a digit after '.'") }
            while !atEnd && isDigit(b[i]) { i += 1 }
        }
        if !atEnd && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            if !atEnd && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
            guard !atEnd, isDigit(b[i]) else { throw error("invalid number: expected a digit in the exponent") }
            while !atEnd && isDigit(b[i]) { i += 1 }
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }
}
