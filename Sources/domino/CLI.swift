import ArgumentParser
import DominoLog
import DominoReplay
#if canImport(Glibc)
import Glibc
#endif

/// Process-level plumbing shared by every subcommand: exit codes, stderr diagnostics,
/// buffered stdout, terminal detection.
enum CLI {
    static func main(_ command: any ParsableCommand.Type) {
        var parsed: any ParsableCommand
        do {
            parsed = try command.parseAsRoot()
        } catch {
            let code = command.exitCode(for: error)
            if code == .success { // --help, --version
                print(command.fullMessage(for: error))
                exit(0)
            }
            printError(command.fullMessage(for: error))
            exit(2)
        }
        do {
            try parsed.run()
            Output.flush()
            exit(0)
        } catch let error as CLIExit {
            Output.flush()
            exit(error.code)
        } catch let error as LogError {
            Output.flush()
            printError("domino: \(error.description)")
            exit(error.code == .usage ? 2 : 1)
        } catch let error as SpecError {
            Output.flush()
            printError("domino: \(error.description)")
            exit(1)
        } catch let error as ValidationError {
            Output.flush()
            printError("domino: \(error.message)")
            exit(2)
        } catch {
            Output.flush()
            let code = command.exitCode(for: error)
            if code == .success { // help or version requested through a subcommand
                Output.line(command.fullMessage(for: error))
                Output.flush()
                exit(0)
            }
            printError(command.fullMessage(for: error))
            exit(code == .validationFailure ? 2 : 1)
        }
    }

    static func printError(_ message: String) {
        var text = message
        if !text.hasSuffix("\n") { text += "\n" }
        writeStderr(text)
    }

    /// Unbuffered write to file descriptor 2.
    static func writeStderr(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                done += n
            }
        }
    }

    /// Parses `--set path=value` options.
    static func assignments(_ texts: [String]) throws -> [Overrides.Assignment] {
        try texts.map { text in
            guard let a = Overrides.Assignment(text) else { throw ValidationError("--set '\(text)' is not path=value") }
            return a
        }
    }

    /// Whether stderr is an interactive terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(2) != 0 }
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
        buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + done, raw.count - done)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    exit(errno == EPIPE ? 0 : 1) // reader went away (e.g. `| head`): stop quietly
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A one-line progress bar on stderr, drawn only on a terminal and never with `--quiet`.
struct ProgressBar {
    let total: Int
    let label: String
    let enabled: Bool
    private var lastDrawn = -1

    init(total: Int, label: String, quiet: Bool) {
        self.total = max(total, 1)
        self.label = label
        enabled = !quiet && CLI.stderrIsTerminal
    }

    mutating func update(_ done: Int) {
        guard enabled else { return }
        let percent = min(100, done * 100 / total)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        CLI.writeStderr("\r\(label) [\(bar)] \(percent)%")
    }

    func finish() {
        guard enabled else { return }
        CLI.writeStderr("\r\u{1B}[K")
    }
}
