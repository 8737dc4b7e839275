import DominoLog
import Foundation

/// Runs the built `domino` executable as a user would and captures what it prints.
/// The binary sits next to the test bundle (`.build/<config>/domino`); `DOMINO_BIN` overrides.
enum Domino {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["DOMINO_BIN"] { return path }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("domino").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return FileManager.default.currentDirectoryPath + "/.build/debug/domino"
    }()

    /// The package root (where `datasets/` is), found from this source file's path.
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func run(_ arguments: [String], cwd: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A tiny log whose every figure can be worked out by hand.
enum SmallLog {
    static let t0: Int64 = 1_654_992_000_000 // 2022-06-12T00:00:00Z
    static let hour: Int64 = 3_600_000

    static let header = LogHeader(
        name: "small", description: "hand-made fixture",
        timeRange: .init(start: t0, end: t0 + 24 * hour),
        assets: [.init(id: 1, symbol: "BTC", decimals: 8), .init(id: 2, symbol: "USDC", decimals: 6)],
        entities: [.init(id: 1, name: "Celsius", kind: "lender"), .init(id: 2, name: "retail", kind: "depositors")],
        series: [.init(label: "BTC 1h", asset: "BTC", kinds: ["price"], from: t0, to: t0 + 2 * hour, resolution: "1h",
                       origin: .recorded, source: "fixture", method: "typed in")],
        signals: [.init(code: 1, name: "rumour")])

    static let events: [Event] = [
        Event(time: t0, kind: .price, asset: 1, amount: 2_657_453_000_000),
        Event(time: t0, kind: .deposit, entity: 2, counterparty: 1, asset: 2, amount: 2_000_000),
        Event(time: t0 + hour, kind: .price, asset: 1, amount: 2_658_000_000_000),
        Event(time: t0 + hour + 1500, kind: .withdrawalRequest, entity: 2, counterparty: 1, asset: 2, amount: 1_500_000),
        Event(time: t0 + 2 * hour, kind: .price, asset: 1, amount: 2_500_000_000_000),
        Event(time: t0 + 2 * hour, kind: .signal, entity: 1, amount: 75_000_000, aux: 1),
    ]

    static func write(to path: String, blockEvents: Int = 2) throws {
        let writer = try LogWriter(path: path, header: header, options: WriterOptions(blockEvents: blockEvents))
        try writer.append(contentsOf: events)
        try writer.finish()
    }
}

/// Thousands separators, as the CLI prints counts.
func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return out
}
