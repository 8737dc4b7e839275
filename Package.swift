// swift-tools-version:6.0
import PackageDescription

// Module graph (one way):
//   CZstd <- DominoLog <- DominoImport ----------------------------\
//            DominoLog <- DominoReplay <- DominoBench <- domino <--/
//   DominoModel (pure: no files, clocks or printing; swift-crypto for SHA-256) <- DominoReplay
//   DominoReplay <- DominoSweep (GRDB over the system SQLite: apt libsqlite3-dev) <- DominoBench, domino
//   (DominoBench times sweeps too: `domino bench sweep`)
//   DominoReplay, DominoSweep <- DominoReport (self-contained HTML: SVG charts drawn in Swift) <- domino
// DominoLog owns the log format, the block codec and file I/O; nothing in it prints.
let package = Package(
    name: "Domino",
    // Built and tested on Linux (Glibc). Every libc call imports Glibc or Darwin by what the
    // platform has (canImport), so macOS 15 should build too, but no macOS build is checked here.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "domino", targets: ["domino"]),
        .library(name: "DominoLog", targets: ["DominoLog"]),
        .library(name: "DominoImport", targets: ["DominoImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        .target(name: "DominoLog", dependencies: ["CZstd"]),
        .target(name: "DominoImport", dependencies: ["DominoLog"]),
        // SHA-256 of state hashes from swift-crypto (BoringSSL: the SHA extensions where the CPU has them).
        .target(name: "DominoModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")], exclude: ["README.md"]),
        .target(name: "DominoReplay", dependencies: ["DominoModel", "DominoLog", "Yams"]),
        .target(name: "DominoBench", dependencies: ["DominoLog", "DominoReplay", "DominoSweep"]),
        .target(name: "DominoSweep", dependencies: [
            "DominoReplay", "DominoModel", "DominoLog",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .target(name: "DominoReport", dependencies: ["DominoReplay", "DominoSweep", "DominoModel", "DominoLog",
                                                     .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "domino",
            dependencies: [
                "DominoLog", "DominoImport", "DominoReplay", "DominoBench", "DominoSweep", "DominoReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DominoLogTests", dependencies: ["DominoLog", "DominoTestFixtures"]),
        .testTarget(name: "DominoImportTests", dependencies: ["DominoImport"]),
        .testTarget(name: "DominoModelTests", dependencies: ["DominoModel"]),
        // What several test targets share: the hand-computed episode of the replay and sweep tests,
        // and `TempDir` (a library only tests use).
        .target(name: "DominoTestFixtures", dependencies: ["DominoLog"], path: "Tests/DominoTestFixtures"),
        .testTarget(name: "DominoReplayTests", dependencies: ["DominoReplay", "DominoTestFixtures"]),
        .testTarget(name: "DominoBenchTests", dependencies: ["DominoBench"]),
        .testTarget(name: "DominoSweepTests", dependencies: ["DominoSweep", "DominoReplay", "DominoTestFixtures", "DominoLog", "DominoModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "DominoReportTests", dependencies: ["DominoReport", "DominoReplay", "DominoModel", "DominoLog", "DominoTestFixtures"]),
        .testTarget(name: "DominoCLITests", dependencies: ["DominoLog", "DominoTestFixtures", "domino"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (Fuzz/README.md): one executable, DominoFuzz, declared only when DOMINO_FUZZ=1, which
// scripts/fuzz.sh sets when it builds it with --sanitize=fuzzer,address in its own scratch path
// (.build-fuzz). It has no main (libFuzzer's calls its LLVMFuzzerTestOneInput), so the regular
// build never declares it.
if Context.environment["DOMINO_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "DominoFuzz", dependencies: ["DominoLog", "DominoImport", "DominoModel", "DominoReplay"],
                                             path: "Fuzz/Targets"))
}
