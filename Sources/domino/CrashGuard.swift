#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps a crash to one line: a fatal signal (a trap, an abort, a bad access — a bug, never an
/// expected outcome) prints `domino: internal error: …` on stderr, and the process then dies of
/// that same signal, so a caller (and `scripts/hostile.sh`) still sees a crash. It replaces the
/// runtime's backtracer, whose multi-page trace is not for users.
enum CrashGuard {
    static func install() {
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = crashHandler
            #else
            action.__sigaction_u.__sa_handler = crashHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND) // the second time, the default: die of the signal
            sigaction(sig, &action, nil)
        }
    }
}

/// Async-signal-safe: write(2) of a static message, then the signal again with its default action.
private func crashHandler(_ sig: Int32) {
    let message: StaticString = "domino: internal error: the process crashed (a bug in domino; please report the command)\n"
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    signal(sig, SIG_DFL)
    raise(sig)
}
