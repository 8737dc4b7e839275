import Foundation

/// The fuzz binary: one libFuzzer entry point for every target (one product to build), the
/// target chosen by `DOMINO_FUZZ_TARGET` (`log`, `spec`, `import`, `replay`; scripts/fuzz.sh
/// sets it). Each target's corpus and regressions are its own (Fuzz/README.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func dominoFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    switch target {
    case "log": FuzzLogReader.run(data, size)
    case "spec": FuzzSpec.run(data, size)
    case "import": FuzzImport.run(data, size)
    case "replay": FuzzReplay.run(data, size)
    default:
        FileHandle.standardError.write(Data("DominoFuzz: set DOMINO_FUZZ_TARGET to log, spec, import or replay\n".utf8))
        exit(2)
    }
    return 0
}

let target = ProcessInfo.processInfo.environment["DOMINO_FUZZ_TARGET"] ?? ""

/// A file of this process's own (libFuzzer may run several workers at once).
func scratchFile(_ name: String) -> String {
    let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(dir)/domino-fuzz-\(getpid())-\(name)"
}
