import ArgumentParser
import DominoLog

struct LogInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a log's header, counts and compression.")
    @Argument(help: "Log file (.zst).") var file: String
    func run() throws {}
}
struct LogCat: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat", abstract: "Print events as JSONL or CSV.")
    @Argument(help: "Log file (.zst).") var file: String
    func run() throws {}
}
struct LogCheck: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate frames, checksums, index and order.")
    @Argument(help: "Log files (.zst).") var files: [String]
    func run() throws {}
}
