import DominoLog
import Foundation

// The number and table formatting of the benchmark reports (text and JSON).

func rounded(_ x: Double, _ places: Int) -> Double {
    let scale = pow(10.0, Double(places))
    return (x * scale).rounded() / scale
}

func fixed(_ x: Double, _ places: Int) -> String { String(format: "%.\(places)f", x) }

/// 1234567 → "1,234,567".
func grouped(_ n: some BinaryInteger) -> String { NumberText.grouped(n) }

/// Events per second as "12.3 M".
func rate(_ perSecond: Double) -> String { fixed(perSecond / 1e6, 2) + " M" }

func megabytes(_ bytes: UInt64) -> String { fixed(Double(bytes) / 1_048_576, 1) + " MiB" }

/// A table with a header row; columns after the first are right-aligned.
func table(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    var widths = [Int](repeating: 0, count: first.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    return rows.map { row in
        row.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return i == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }.joined(separator: "\n") + "\n"
}
