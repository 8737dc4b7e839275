/// A direct reader of the header's JSON into a `LogHeader`, for opening a log quickly: a
/// header names every entity of the dataset (10k depositor cohorts in the replay benchmark), and
/// `JSONDecoder` took about 17 ms over such a header, this reader about a tenth of that.
///
/// It accepts any JSON text (white space, unknown keys — skipped, as readers must — escapes,
/// keys in any order) and gives exactly what `JSONDecoder` gives, or nil whenever it would not be
/// sure to: a missing or repeated key, a number that is not a plain integer in range, invalid
/// UTF-8, anything malformed or nested deeper than 512. `LogHeader.fromJSON` then asks `JSONDecoder`, which either decodes
/// it after all or says precisely what is wrong.
struct HeaderJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    /// Nesting of the unknown value being skipped: beyond `maxDepth` the reader gives up (and
    /// `JSONDecoder`, which has its own limit, reports it) rather than recurse without bound.
    var depth = 0
    static let maxDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func decode(_ json: [UInt8]) -> LogHeader? {
        json.withUnsafeBufferPointer { buffer in
            var reader = HeaderJSONReader(buffer)
            guard let header = reader.header() else { return nil }
            reader.space()
            return reader.at == buffer.count ? header : nil
        }
    }

    // MARK: The header's shape

    mutating func header() -> LogHeader? {
        var name: String?, description: String?, timeRange: LogHeader.TimeRange?
        var assets: [LogHeader.Asset]?, entities: [LogHeader.Entity]?, series: [LogHeader.Series]?
        var signals: [LogHeader.Signal]?, kinds: [LogHeader.KindName]?
        let ok = object { key, r in
            switch key {
            case "name": return r.once(&name) { $0.string() }
            case "description": return r.once(&description) { $0.string() }
            case "timeRange":
                return r.once(&timeRange) { r in
                    r.fields("start", { $0.integer() as Int64? }, "end", { $0.integer() as Int64? })
                        .map { LogHeader.TimeRange(start: $0.0, end: $0.1) }
                }
            case "assets":
                return r.once(&assets) { r in
                    r.array { r in
                        r.fields("id", { $0.integer() as UInt32? }, "symbol", { $0.string() }, "decimals", { $0.integer() as Int? })
                            .map { LogHeader.Asset(id: $0.0, symbol: $0.1, decimals: $0.2!) }
                    }
                }
            case "entities":
                return r.once(&entities) { r in
                    r.array { r in
                        r.fields("id", { $0.integer() as UInt32? }, "name", { $0.string() }, "kind", { $0.string() })
                            .map { LogHeader.Entity(id: $0.0, name: $0.1, kind: $0.2!) }
                    }
                }
            case "series":
                return r.once(&series) { r in
                    r.array { r in r.series() }
                }
            case "signals":
                return r.once(&signals) { r in
                    r.array { r in
                        r.fields("code", { $0.integer() as Int64? }, "name", { $0.string() }).map { LogHeader.Signal(code: $0.0, name: $0.1) }
                    }
                }
            case "kinds":
                return r.once(&kinds) { r in
                    r.array { r in
                        r.fields("code", { $0.integer() as UInt8? }, "name", { $0.string() }).map { LogHeader.KindName(code: $0.0, name: $0.1) }
                    }
                }
            default: return r.skipValue()
            }
        }
        guard ok, let name, let description, let timeRange, let assets, let entities, let series, let signals, let kinds else { return nil }
        return LogHeader(name: name, description: description, timeRange: timeRange, assets: assets, entities: entities,
                         series: series, signals: signals, kinds: kinds)
    }

    mutating func series() -> LogHeader.Series? {
        var label: String?, asset: String??, kinds: [String]?, from: Int64?, to: Int64?
        var resolution: String?, origin: LogHeader.Series.Origin?, source: String?, method: String?
        guard object({ key, r in
            switch key {
            case "label": return r.once(&label) { $0.string() }
            case "asset": return r.once(&asset) { r in r.null() ? .some(nil) : r.string().map { .some($0) } }
            case "kinds": return r.once(&kinds) { r in r.array { $0.string() } }
            case "from": return r.once(&from) { $0.integer() }
            case "to": return r.once(&to) { $0.integer() }
            case "resolution": return r.once(&resolution) { $0.string() }
            case "origin": return r.once(&origin) { r in r.string().flatMap(LogHeader.Series.Origin.init(rawValue:)) }
            case "source": return r.once(&source) { $0.string() }
            case "method": return r.once(&method) { $0.string() }
            default: return r.skipValue()
            }
        }), let label, let kinds, let from, let to, let resolution, let origin, let source, let method else { return nil }
        return LogHeader.Series(label: label, asset: asset ?? nil, kinds: kinds, from: from, to: to, resolution: resolution,
                                origin: origin, source: source, method: method)
    }

    /// An object with two or three known members, each required once (others skipped); the
    /// third is nil when `third` is.
    mutating func fields<A, B, C>(_ first: String, _ a: (inout HeaderJSONReader) -> A?, _ second: String,
                                  _ b: (inout HeaderJSONReader) -> B?, _ third: String? = nil,
                                  _ c: (inout HeaderJSONReader) -> C? = { (_: inout HeaderJSONReader) -> Never? in nil }) -> (A, B, C?)? {
        var va: A?, vb: B?, vc: C?
        guard object({ key, r in
            if key == first { return r.once(&va, a) }
            if key == second { return r.once(&vb, b) }
            if key == third { return r.once(&vc, c) }
            return r.skipValue()
        }), let va, let vb, third == nil || vc != nil else { return nil }
        return (va, vb, vc)
    }

    /// Reads a member's value into `slot` unless the key came before (then: not sure, nil).
    mutating func once<T>(_ slot: inout T?, _ read: (inout HeaderJSONReader) -> T?) -> Bool {
        guard slot == nil, let value = read(&self) else { return false }
        slot = value
        return true
    }

    // MARK: JSON

    mutating func space() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    mutating func take(_ c: UInt8) -> Bool {
        space()
        guard at < bytes.count, bytes[at] == c else { return false }
        at += 1
        return true
    }

    /// `{ "key": value, … }`, each value read by `member` (false: give up).
    mutating func object(_ member: (String, inout HeaderJSONReader) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            space()
            guard let key = string(), take(UInt8(ascii: ":")), member(key, &self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    mutating func array<T>(_ element: (inout HeaderJSONReader) -> T?) -> [T]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var out: [T] = []
        if take(UInt8(ascii: "]")) { return out }
        repeat {
            guard let e = element(&self) else { return nil }
            out.append(e)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? out : nil
    }

    mutating func null() -> Bool {
        space()
        guard at + 4 <= bytes.count, bytes[at] == UInt8(ascii: "n"), bytes[at + 1] == UInt8(ascii: "u"),
              bytes[at + 2] == UInt8(ascii: "l"), bytes[at + 3] == UInt8(ascii: "l") else { return false }
        at += 4
        return true
    }

    /// A plain integer (`-`? digits, no fraction or exponent) that fits `T`.
    mutating func integer<T: FixedWidthInteger>() -> T? {
        space()
        let negative = at < bytes.count && bytes[at] == UInt8(ascii: "-")
        if negative { at += 1 }
        let first = at
        var magnitude: UInt64 = 0
        while at < bytes.count, bytes[at] >= 0x30 && bytes[at] <= 0x39 {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(bytes[at] - 0x30))
            guard !o1 && !o2 else { return nil }
            magnitude = s
            at += 1
        }
        let digits = at - first
        guard digits > 0, digits == 1 || bytes[first] != 0x30 else { return nil } // JSON: no leading zeros
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") { return nil }
        if negative {
            guard magnitude != 0, magnitude <= UInt64(Int64.max) + 1 else { return nil } // "-0": not sure
            let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            return T(exactly: value)
        }
        return T(exactly: magnitude)
    }

    /// A string: validated UTF-8, no raw control characters, every escape decoded.
    mutating func string() -> String? {
        space()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        at += 1
        let start = at
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 { at += 1 }
        guard at < bytes.count else { return nil }
        if bytes[at] == UInt8(ascii: "\"") { // no escapes: the common case
            defer { at += 1 }
            return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        }
        guard bytes[at] == UInt8(ascii: "\\") else { return nil } // a raw control character
        var utf8 = Array(bytes[start..<at])
        while at < bytes.count {
            let c = bytes[at]
            at += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(validating: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { return nil }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) { // a high surrogate: its low half must follow
                        guard at + 2 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { return nil }
                        at += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil } // a lone low surrogate
                    utf8.append(contentsOf: String(Character(u)).utf8)
                default: return nil
                }
            default:
                guard c >= 0x20 else { return nil }
                utf8.append(c)
            }
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[at]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
            at += 1
        }
        return v
    }

    /// Skips any JSON value (of a key readers do not know).
    mutating func skipValue() -> Bool {
        space()
        guard at < bytes.count, depth < Self.maxDepth else { return false }
        depth += 1
        defer { depth -= 1 }
        switch bytes[at] {
        case UInt8(ascii: "{"): return object { _, r in r.skipValue() }
        case UInt8(ascii: "["): return array { r in r.skipValue() ? true : nil } != nil
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return null()
        default: return number()
        }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count else { return false }
        for k in 0..<n where bytes[at + k] != word.utf8Start[k] { return false }
        at += n
        return true
    }

    /// Any JSON number (by its grammar).
    mutating func number() -> Bool {
        func digits() -> Int {
            let s = at
            while at < bytes.count, bytes[at] >= 0x30 && bytes[at] <= 0x39 { at += 1 }
            return at - s
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        let first = at
        let n = digits()
        guard n > 0, n == 1 || bytes[first] != 0x30 else { return false }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits() > 0 else { return false }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }
}
