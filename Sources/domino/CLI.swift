import ArgumentParser
import DominoLog
import DominoReplay
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
        _ = Array(text.utf8).withUnsafeBytes { Syscall.writeAll(2, $0) }
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
        if let error = buffer.withUnsafeBytes({ Syscall.writeAll(1, $0) }) {
            exit(error == EPIPE ? 0 : 1) // reader went away (e.g. `| head`): stop quietly
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
