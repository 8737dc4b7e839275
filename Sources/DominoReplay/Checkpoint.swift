import DominoLog
import DominoModel
import Foundation

/// A snapshot from which a replay continues to the same results as a run from the start: the
/// model's state and trace, the run recorder, and the input position (events consumed).
/// Format 3 (this layout: the recorder carries the sampled exposure network); checkpoints of
/// format 1 (written before the run recorder) or 2 (before the network) do not load.
package struct Checkpoint: Codable, Sendable {
    package static let currentFormat = 3
    package var format = Checkpoint.currentFormat
    package var spec: String
    package var stateHash: String
    package var state: ModelState
    package var trace: BaselineTrace
    package var recorder: RunRecorder
    /// Input events consumed before it (`MergedInput.position`).
    package var position: UInt64

    package init(spec: String, model: Model, recorder: RunRecorder, position: UInt64) {
        self.spec = spec
        stateHash = Replay.stateHash(model.state)
        state = model.state
        trace = model.trace
        self.recorder = recorder
        self.position = position
    }

    package static func load(_ path: String) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LogError(.io, "cannot read checkpoint", file: path)
        }
        struct Format: Decodable { var format: Int }
        guard let format = try? JSONDecoder().decode(Format.self, from: data).format else {
            throw LogError(.invalidInput, "not a Domino checkpoint (no format)", file: path)
        }
        guard format == currentFormat else {
            throw LogError(.invalidInput, "checkpoint format \(format) is not supported (this domino reads format \(currentFormat)); replay from the start", file: path)
        }
        do { return try JSONDecoder().decode(Checkpoint.self, from: data) } catch let error as DecodingError {
            throw LogError(.invalidInput, "not a Domino checkpoint: \(error)", file: path)
        }
    }

    /// Writes `checkpoint-<boundary>.json` into `directory` (the state after every event before
    /// `boundary`); returns its path.
    package func write(into directory: String, at boundary: Int64) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = UTCTime.format(boundary).replacingOccurrences(of: ":", with: "")
        let path = "\(directory)/checkpoint-\(stamp).json"
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array(try Replay.canonicalEncoder().encode(self)))
        try writer.commit()
        return path
    }
}
