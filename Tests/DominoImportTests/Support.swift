import DominoLog
import Foundation
import Testing
@testable import DominoImport

/// Runs `body` with a fresh directory under the system temporary directory and removes it
/// afterwards (a closure, not a class with `deinit`, so the directory cannot vanish early).
func withTempDir<T>(_ body: (Scratch) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("domino-import-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(Scratch(path: path))
}

struct Scratch {
    let path: String
    func file(_ name: String) -> String { "\(path)/\(name)" }
    /// Writes `text` byte for byte and returns the path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
    func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: file(name))) }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }
    func listing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
}

/// The `LogError` `body` throws (or a failed expectation and nil).
func logError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> LogError? {
    do {
        try body()
        Issue.record("expected a LogError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as LogError {
        return error
    } catch {
        Issue.record("expected a LogError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Asserts that `body` throws a `LogError` with this code, file and line.
func expectError(_ code: LogError.Code, file: String?, line: Int?, containing text: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    guard let error = logError(body, sourceLocation: sourceLocation) else { return }
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    #expect(error.file == file, "\(error)", sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    if let text { #expect(error.message.contains(text), "\(error)", sourceLocation: sourceLocation) }
}

/// Fixed times used across the tests, computed by hand (days since 1970 × 86 400 000):
/// 2021-10-01 = day 18 901, 2022-01-01 = day 18 993, 2022-05-13 = day 19 125,
/// 2022-06-12 = day 19 155.
enum T {
    static let oct1_2021: Int64 = 18_901 * 86_400_000          // 1 633 046 400 000
    static let jan1_2022: Int64 = 18_993 * 86_400_000          // 1 640 995 200 000
    static let may13_2022: Int64 = 19_125 * 86_400_000         // 1 652 400 000 000
    static let jun12_2022_22h: Int64 = 19_155 * 86_400_000 + 22 * 3_600_000 // 1 655 071 200 000
    static let hour: Int64 = 3_600_000
}

/// A price-only plan over one CSV (the command line's shape: missing assets declared).
func pricePlan(_ path: String, asset: String = "BTC", name: String = "test", configure: (inout ImportInput) -> Void = { _ in }) -> ImportPlan {
    var input = ImportInput(path: path, content: .prices(asset: asset))
    configure(&input)
    return ImportPlan(name: name, inputs: [input], declareMissingAssets: true)
}

/// The events `plan` yields, or a recorded issue.
func events(_ plan: ImportPlan) throws -> [Event] { try Importer.prepare(plan).events }
