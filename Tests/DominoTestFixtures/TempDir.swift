import Foundation

/// A fresh directory under the system temporary directory, removed with everything in it when
/// the value is dropped. The test targets that write files share this one.
public final class TempDir: @unchecked Sendable {
    public let path: String

    /// `prefix` names the directory (`<prefix>-<UUID>`), so a leftover shows which suite made it.
    public init(prefix: String = "domino-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the directory (`name` may contain slashes).
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` as UTF-8 to `name` (creating the directories it names), atomically;
    /// returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let full = file(name)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }
}
