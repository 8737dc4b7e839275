// swift-tools-version:6.0
import PackageDescription

// Module graph (one way): CZstd <- DominoLog <- DominoImport <- DominoBench <- domino.
// DominoLog owns the log format, the block codec and file I/O; nothing in it prints.
let package = Package(
    name: "Domino",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "domino", targets: ["domino"]),
        .library(name: "DominoLog", targets: ["DominoLog"]),
        .library(name: "DominoImport", targets: ["DominoImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        .target(name: "DominoLog", dependencies: ["CZstd"]),
        .target(name: "DominoImport", dependencies: ["DominoLog"]),
        .target(name: "DominoBench", dependencies: ["DominoLog"]),
        .executableTarget(
            name: "domino",
            dependencies: [
                "DominoLog", "DominoImport", "DominoBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DominoLogTests", dependencies: ["DominoLog"]),
        .testTarget(name: "DominoImportTests", dependencies: ["DominoImport"]),
        .testTarget(name: "DominoCLITests", dependencies: ["DominoLog", "domino"]),
    ],
    swiftLanguageModes: [.v6]
)
