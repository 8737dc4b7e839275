import DominoImport
import DominoLog
import Foundation

/// libFuzzer target: the CSV/JSONL importer. The first byte picks what the rest is: a price CSV
/// (for asset BTC), a JSONL event file, a CSV event file, or an import manifest (JSON). The file
/// is read, checked and merged (`Importer.prepare`); an import that succeeds is written as a
/// log and read back, and must give the same events. Any `LogError` is fine; a crash, a hang,
/// unbounded memory or a round trip that differs is not.
enum FuzzImport {
    static func run(_ data: UnsafePointer<UInt8>, _ size: Int) {
        guard size >= 1 else { return }
        let mode = data[0] % 4
        let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
        let input = scratchFile(["prices.csv", "events.jsonl", "events.csv", "manifest.json"][Int(mode)])
        _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))
        let plan: ImportPlan
        switch mode {
        case 0: plan = ImportPlan(name: "fuzz", inputs: [ImportInput(path: input, content: .prices(asset: "BTC"))], declareMissingAssets: true)
        case 1, 2:
            plan = ImportPlan(name: "fuzz",
                              assets: [AssetDeclaration(symbol: "USDC", decimals: 6), AssetDeclaration(symbol: "ETH"), AssetDeclaration(symbol: "ZERO", decimals: 0)],
                              entities: [EntityDeclaration(name: "Celsius", kind: "lender"), EntityDeclaration(name: "retail", kind: "depositors")],
                              signals: [SignalDeclaration(code: 1, name: "withdrawals-paused")],
                              inputs: [ImportInput(path: input, content: .events(format: mode == 1 ? .jsonl : .csv))])
        default:
            // A manifest whose inputs are paths relative to the scratch directory (mostly missing).
            guard let p = try? ImportManifest.parse(bytes, path: input, dataRoot: "/nonexistent-fuzz-root") else { return }
            plan = p
        }
        guard let prepared = try? Importer.prepare(plan) else { return }
        let output = scratchFile("out.zst")
        unlink(output) // the previous input's
        guard (try? Importer.write(prepared, to: output)) != nil else { return }
        let back = try! LogReader(path: output).readAll()
        precondition(back == prepared.events, "an imported log read back differs from what was imported")
    }
}

