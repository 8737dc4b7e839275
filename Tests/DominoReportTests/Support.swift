import DominoLog
import DominoReplay
import DominoTestFixtures
import Foundation

/// The hand-computed episode of the replay tests (Tests/DominoTestFixtures/SmallEpisode.swift)
/// written to a fresh directory: lender L (1,000 USDC of claims, 400 kept, 600 lent unsecured
/// to fund F), withdrawals of 300 on 1 June and 200 on 2 June, ETH halving on 3 June.
struct Episode {
    let dir = TempDir(prefix: "domino-report-test")
    let specPath: String

    init() throws {
        specPath = try dir.write("small.yaml", "# A hand-computed episode for the report tests.\nname: small\n" + SmallEpisodeFixture.body)
        try SmallEpisodeFixture.writeData(to: dir.file("data.zst"), name: "small-data")
    }

    func spec(_ overrides: [Overrides.Assignment] = []) throws -> Spec { try Replay.loadSpec(path: specPath, overrides: overrides) }

    static func t(_ iso: String) -> Int64 { UTCTime.parse(iso)! }
}

/// Every `attribute="value"` of the elements with `tag` and a class containing `cls`, in order.
func elements(_ html: String, tag: String, cls: String? = nil) -> [[String: String]] {
    var out: [[String: String]] = []
    var rest = html[...]
    while let start = rest.range(of: "<\(tag) ") {
        let end = rest[start.upperBound...].firstIndex(of: ">") ?? rest.endIndex
        let body = String(rest[start.upperBound..<end])
        var attrs: [String: String] = [:]
        var scan = body[...]
        while let eq = scan.range(of: "=\"") {
            let name = scan[..<eq.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            let valueEnd = scan[eq.upperBound...].firstIndex(of: "\"") ?? scan.endIndex
            attrs[name] = String(scan[eq.upperBound..<valueEnd])
            scan = valueEnd < scan.endIndex ? scan[scan.index(after: valueEnd)...] : ""
        }
        if let cls { if (attrs["class"] ?? "").split(separator: " ").contains(Substring(cls)) { out.append(attrs) } } else { out.append(attrs) }
        rest = end < rest.endIndex ? rest[end...] : ""
    }
    return out
}
