import ArgumentParser
import DominoLog
import DominoReplay
import DominoSweep
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-level plumbing shared by every subcommand: exit codes, stderr diagnostics,
/// buffered stdout, terminal detection.
enum CLI {
    static func main(_ command: any ParsableCommand.Type) {
        CrashGuard.install()
        var parsed: any ParsableCommand
        do {
            parsed = try command.parseAsRoot()
        } catch {
            let code = command.exitCode(for: error)
            if code == .success { // --help, --version
                print(command.fullMessage(for: error))
                exit(0)
            }
            printError("domino: " + parserMessage(command, error))
            exit(2)
        }
        do {
            try parsed.run()
            Output.flush()
            exit(0)
        } catch let error as CLIExit {
            Output.flush()
            exit(error.code)
        } catch {
            Output.flush()
            if let (line, code) = failure(error) {
                printError(line)
                exit(code)
            }
            let code = command.exitCode(for: error)
            if code == .success { // help or version requested through a subcommand
                Output.line(command.fullMessage(for: error))
                Output.flush()
                exit(0)
            }
            printError("domino: " + parserMessage(command, error))
            exit(code == .validationFailure ? 2 : 1)
        }
    }

    /// The one line (`domino: WHERE: WHAT`) and exit code of an error the commands throw; nil
    /// for the argument parser's own errors. Exit 2: a usage error (a bad flag or option value,
    /// a bad `--set` or `--policy`, a missing spec); 1: the data or the check failed.
    static func failure(_ error: any Error) -> (String, Int32)? {
        switch error {
        case let error as LogError:
            return ("domino: " + oneLine(error.description), error.code == .usage ? 2 : 1)
        case let error as SpecError:
            // WHERE is an option (`--set PATH=VALUE`, `--policy NAME`): the command line was wrong.
            return ("domino: " + oneLine(error.description), error.file.hasPrefix("--") ? 2 : 1)
        case let error as SweepError:
            return ("domino: " + oneLine(error.message), error.usage ? 2 : 1)
        case let error as ValidationError:
            return ("domino: " + oneLine(error.message), 2)
        case let error as UsageError:
            return ("domino: " + oneLine(error.message), 2)
        default:
            return nil
        }
    }

    /// The argument parser's message for `error` as one line: no usage block, no help hint.
    static func parserMessage(_ command: any ParsableCommand.Type, _ error: any Error) -> String {
        let text = command.message(for: error)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") && !$0.hasPrefix("Help:") }
        var message = lines.joined(separator: "; ")
        if message.hasPrefix("Error: ") { message.removeFirst(7) }
        if message.isEmpty { message = "\(error)" }
        // WHERE: the option or argument the parser names, else the command line.
        let quoted = message.firstMatch(of: /'(-{1,2}[^' ]*|<[^']*>)[^']*'/).map { String($0.1) }
        return (quoted.map { $0 + ": " } ?? "command line: ") + message
    }

    /// `text` with line breaks folded, so a message stays one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// The device and inode of the file at `path` (what makes two paths the same file), or nil.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// Whether the file at `path` starts as a Domino log does (its header frame: a zstd skippable
    /// frame of magic 0x184D2A5A), so an existing output is replaced only if it is one.
    static func isLog(_ path: String) -> Bool {
        guard let file = try? ReadableFile(path: path), file.size >= 4, let head = try? file.read(at: 0, count: 4) else { return false }
        return head == [0x5A, 0x2A, 0x4D, 0x18]
    }

    /// Runs `body` (which loads `spec` with `overrides`); a spec error that the overrides cause —
    /// the spec loads without them — is a usage error blamed on the first override that alone
    /// makes it fail (`--set PATH=VALUE: …`, exit 2), not on the spec.
    static func blamingOverrides<T>(spec: String, _ overrides: [Overrides.Assignment], _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SpecError {
            guard !overrides.isEmpty, !error.file.hasPrefix("--"), (try? Replay.loadSpec(path: spec)) != nil else { throw error }
            let culprit = overrides.first { (try? Replay.loadSpec(path: spec, overrides: [$0])) == nil }
            let place = culprit.map { "--set \($0.path)=\($0.value)" } ?? "--set"
            throw SpecError(file: place, line: nil, error.message)
        }
    }

    /// An input file named on the command line must be a regular file: a FIFO (which would
    /// block the open), a device or a directory is refused at once, from `stat`, without opening it.
    /// A missing file is left to the reader, whose message says so.
    static func requireRegularFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let what = (info.st_mode & S_IFMT) == S_IFDIR ? "a directory" : (info.st_mode & S_IFMT) == S_IFIFO ? "a FIFO" : "a device or socket"
            throw LogError(.io, "not a regular file (\(what))", file: path)
        }
    }

    /// A spec path given on the command line: a missing or non-regular file is a usage error
    /// (exit 2), found before anything opens it (a FIFO would block).
    static func requireSpec(_ path: String, option: String? = nil) throws {
        var info = stat()
        let place = option.map { "\($0) \(path)" } ?? path
        guard stat(path, &info) == 0 else { throw UsageError("\(place): no such spec file") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw UsageError("\(place): not a regular file") }
    }

    static func printError(_ message: String) {
        var text = message
        if !text.hasSuffix("\n") { text += "\n" }
        writeStderr(text)
    }

    /// Unbuffered write to file descriptor 2.
    static func writeStderr(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Syscall.writeAll(2, $0) }
    }

    /// Parses `--set path=value` options.
    static func assignments(_ texts: [String]) throws -> [Overrides.Assignment] {
        try texts.map { text in
            guard let a = Overrides.Assignment(text) else { throw UsageError("--set \(text): not path=value") }
            return a
        }
    }

    /// Whether stderr is an interactive terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}

/// A usage error found by a command (exit 2): the message starts with its WHERE (an option or a path).
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Thrown by a command that has already reported its outcome and only needs an exit code
/// (e.g. `log check` exits 1 after printing what failed).
struct CLIExit: Error { let code: Int32 }

/// Buffered stdout: large outputs (`log cat`) are written in big chunks, not line by line.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = {
        var b = [UInt8](); b.reserveCapacity(1 << 16); return b
    }()

    static func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func line(_ text: String) {
        write(text)
        write("\n")
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        if let error = buffer.withUnsafeBytes({ Syscall.writeAll(1, $0) }) {
            exit(error == EPIPE ? 0 : 1) // reader went away (e.g. `| head`): stop quietly
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
