import Foundation

/// Everything `log info` reports, gathered in one pass over the blocks.
package struct LogSummary: Encodable {
    package struct Range: Encodable { var start: String; var end: String }
    package struct AssetRow: Encodable { var id: UInt32; var symbol: String; var decimals: Int; var events: Int }
    package struct EntityRow: Encodable { var id: UInt32; var name: String; var kind: String; var events: Int }
    package struct SeriesRow: Encodable {
        var label: String; var asset: String?; var kinds: [String]; var resolution: String
        var from: String; var to: String; var origin: String; var source: String; var method: String
    }

    package var file: String
    package var name: String
    package var description: String
    package var formatVersion: Int
    package var declaredRange: Range
    package var dataRange: Range?
    package var events: UInt64
    package var blocks: Int
    package var fileBytes: UInt64
    package var blockBytes: UInt64
    package var decodedBlockBytes: UInt64
    package var bytesPerEvent: Double
    /// Fixed-width record size (time 8, kind 1, entity 4, counterparty 4, asset 4, amount 8, aux 8).
    package var fixedRecordBytes: Int
    package var compressionRatio: Double
    package var kinds: [String: Int]
    package var assets: [AssetRow]
    package var entities: [EntityRow]
    package var series: [SeriesRow]
    package var skippedUnknownKinds: Int

    package init(reader: LogReader) throws {
        let header = reader.header
        var kindCounts = [Int](repeating: 0, count: 256)
        var assetCounts = [Int](repeating: 0, count: Int(header.largestAssetID) + 1)
        var entityCounts: [UInt32: Int] = [:] // lookups only; rows come from the header's order
        var columns = EventColumns()
        for i in reader.blocks.indices {
            try reader.readBlock(i, into: &columns)
            for j in 0..<columns.count {
                kindCounts[Int(columns.kind[j])] += 1
                assetCounts[Int(columns.asset[j])] += 1
                for id in [columns.entity[j], columns.counterparty[j]] where id != 0 {
                    entityCounts[UInt32(id), default: 0] += 1
                }
            }
        }
        file = reader.path
        name = header.name
        description = header.description
        formatVersion = Int(reader.version)
        declaredRange = Range(start: UTCTime.format(header.timeRange.start), end: UTCTime.format(header.timeRange.end))
        if let first = reader.blocks.first, let last = reader.blocks.last {
            dataRange = Range(start: UTCTime.format(first.firstTime), end: UTCTime.format(last.lastTime))
        }
        events = reader.eventCount
        blocks = reader.blocks.count
        fileBytes = reader.fileSize
        blockBytes = reader.blocks.reduce(0) { $0 + UInt64($1.frameSize) }
        decodedBlockBytes = reader.blocks.reduce(0) { $0 + UInt64($1.rawSize) }
        fixedRecordBytes = 37
        bytesPerEvent = events == 0 ? 0 : (Double(fileBytes) / Double(events) * 100).rounded() / 100
        compressionRatio = fileBytes == 0 ? 0 : (Double(events) * 37 / Double(fileBytes) * 100).rounded() / 100
        var kinds: [String: Int] = [:]
        for code in 0..<256 where kindCounts[code] > 0 { kinds[header.kindName(EventKind(rawValue: UInt8(code)))] = kindCounts[code] }
        self.kinds = kinds
        assets = header.assets.map { AssetRow(id: $0.id, symbol: $0.symbol, decimals: $0.decimals, events: assetCounts[Int($0.id)]) }
        entities = header.entities.map { EntityRow(id: $0.id, name: $0.name, kind: $0.kind, events: entityCounts[$0.id] ?? 0) }
        series = header.series.map {
            SeriesRow(label: $0.label, asset: $0.asset, kinds: $0.kinds, resolution: $0.resolution,
                      from: UTCTime.format($0.from), to: UTCTime.format($0.to), origin: $0.origin.rawValue,
                      source: $0.source, method: $0.method)
        }
        skippedUnknownKinds = reader.skippedUnknown
    }

    package func text() -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line("file          \(file)")
        line("dataset       \(name)\(description.isEmpty ? "" : " — \(description)")")
        line("format        Domino log v\(formatVersion): \(blocks) zstd block frames + header, index and footer")
        line("declared      \(declaredRange.start) … \(declaredRange.end)")
        line("events        \(NumberText.grouped(Int(events)))" + (dataRange.map { ", \($0.start) … \($0.end)" } ?? ""))
        line("size          \(NumberText.grouped(Int(fileBytes))) bytes, \(String(format: "%.2f", bytesPerEvent)) bytes/event")
        line("compression   \(String(format: "%.1f", compressionRatio))x vs \(fixedRecordBytes)-byte fixed records; zstd \(String(format: "%.2f", blockBytes == 0 ? 0 : Double(decodedBlockBytes) / Double(blockBytes)))x over the column blocks (\(NumberText.grouped(Int(decodedBlockBytes))) → \(NumberText.grouped(Int(blockBytes))) bytes)")
        line()
        line("kinds")
        for (code, kindName) in kindsInCodeOrder() { line("  " + NumberText.padded(kindName, 20) + NumberText.padded(NumberText.grouped(kinds[kindName]!), 12, right: true) + "  (code \(code))") }
        line()
        line("assets")
        line("  " + NumberText.padded("id", 6) + NumberText.padded("symbol", 8) + NumberText.padded("decimals", 10) + NumberText.padded("events", 10, right: true))
        for a in assets { line("  " + NumberText.padded(String(a.id), 6) + NumberText.padded(a.symbol, 8) + NumberText.padded(String(a.decimals), 10) + NumberText.padded(NumberText.grouped(a.events), 10, right: true)) }
        if !entities.isEmpty {
            line()
            line("entities")
            line("  " + NumberText.padded("id", 6) + NumberText.padded("name", 20) + NumberText.padded("kind", 12) + NumberText.padded("events", 10, right: true))
            for e in entities { line("  " + NumberText.padded(String(e.id), 6) + NumberText.padded(e.name, 20) + NumberText.padded(e.kind, 12) + NumberText.padded(NumberText.grouped(e.events), 10, right: true)) }
        }
        if !series.isEmpty {
            line()
            line("series")
            for s in series {
                line("  \(s.label): \(s.kinds.joined(separator: ",")) \(s.resolution), \(s.from) … \(s.to), \(s.origin)")
                line("      source: \(s.source)")
                if !s.method.isEmpty { line("      method: \(s.method)") }
            }
        }
        return out
    }

    private func kindsInCodeOrder() -> [(Int, String)] {
        kinds.keys.map { name -> (Int, String) in
            (Int(EventKind(name: name)?.rawValue ?? UInt8(name.dropFirst(5)) ?? 255), name)
        }.sorted { $0 < $1 }
    }
}
