import DominoLog
import DominoModel
import DominoReplay
import DominoTestFixtures
import Foundation

let hour: Int64 = 3_600_000
let one = Fixed.one
func t(_ iso: String) -> Int64 { UTCTime.parse(iso)! }

/// A lender L with 1,000 USDC of customer claims keeps 400 and lends 600 unsecured to a fund F
/// holding 0.4 ETH; ETH halves on 3 June; depositors withdraw 300 on 1 June and 200 on 2 June.
enum SmallEpisode {
    static let spec = "# A hand-computed episode for the tests.\nname: small\n" + SmallEpisodeFixture.body

    static func writeData(to path: String) throws { try SmallEpisodeFixture.writeData(to: path, name: "small-data") }

    static func make(in dir: TempDir, spec text: String = spec) throws -> String {
        try writeData(to: dir.file("data.zst"))
        return try dir.write("small.yaml", text)
    }
}
