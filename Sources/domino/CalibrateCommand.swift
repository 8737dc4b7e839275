import ArgumentParser
import DominoReplay
import Foundation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit shared parameters to the calibration targets of the episodes in the fit.",
        discussion: """
        Reads a calibration plan (default replays/calibration/calibration.yaml): the episodes in \
        the fit with their targets (outcome rows of class fitted: outflow shares or USD \
        magnitudes; halt, default and filing dates are refused), the episodes held out, the \
        parameters as --set paths with ranges, the seeds and the search's size. Runs a \
        deterministic coordinate descent on a grid and prints the objective (the sum of squared \
        errors on the targets over the seeds, in points²) at the start and at the end, the fitted \
        values and each target's error. --out writes the fitted values as a --set file (one \
        path=value per line); check the held-out episodes with domino verify and those --set values.
        """)

    @Argument(help: "The calibration plan.") var plan = "replays/calibration/calibration.yaml"
    @Option(help: "Runs at a time (default: the number of cores); the result does not depend on it.") var jobs: Int?
    @Option(help: "Write the fitted values to FILE as path=value lines (refuses an existing file).") var out: String?
    @Flag(help: "Print JSON instead of the text.") var json = false
    @Flag(name: .shortAndLong, help: "No progress on stderr.") var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let plan = try CalibrationPlan.load(path: self.plan)
        if let out, FileManager.default.fileExists(atPath: out) { throw ValidationError("--out \(out) exists; choose another name (domino never overwrites a file)") }
        let calibrator = Calibrator(plan: plan, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let showProgress = !quiet && isatty(2) != 0
        let total = plan.rounds * plan.parameters.count
        let result = try calibrator.run { round, p in
            if showProgress { CLI.writeStderr("\rcalibrate: step \(round * plan.parameters.count + p + 1)/\(total)") }
        }
        if showProgress { CLI.writeStderr("\n") }
        let targets = calibrator.targets
        let sets = calibrator.assignments(result.best.values)
        if let out {
            var text = "# domino calibrate \(self.plan): objective \(points(result.best.objectivePoints)) points² on \(targets.count) targets × \(plan.seeds) seeds\n"
            text += "# held out: \(plan.holdOut.joined(separator: ", "))\n"
            for a in sets { text += "\(a.path)=\(a.value)\n" }
            try Calibrator.write(text, to: out)
        }
        if json {
            Output.line(JSON.object([
                ("plan", .string(self.plan)), ("seeds", .int(plan.seeds)), ("evaluations", .int(result.evaluations)), ("runs", .int(result.runs)),
                ("objectiveStart", .string(points(result.start.objectivePoints))), ("objective", .string(points(result.best.objectivePoints))),
                ("parameters", .array(zip(plan.parameters, result.best.values).map { p, v in
                    .object([("path", .string(p.path)), ("low", .string(Calibrator.text(p.low))), ("high", .string(Calibrator.text(p.high))),
                             ("value", .string(Calibrator.text(v)))])
                })),
                ("targets", .array(targets.indices.map { t in
                    .object([("spec", .string(targets[t].spec)), ("id", .string(targets[t].outcome.id)),
                             ("modelled", .array(result.best.modelled[t].map { .string($0) })),
                             ("errors", .array(result.best.errors[t].map { $0.map { .string(Calibrator.text($0 / 1_000_000)) } ?? .null }))])
                })),
                ("heldOut", .array(plan.holdOut.map { .string($0) })),
            ]).render(pretty: true))
            return
        }
        var text = "calibrate \(self.plan): \(plan.fit.count) episode\(plan.fit.count == 1 ? "" : "s") in the fit, \(targets.count) targets × \(plan.seeds) seed\(plan.seeds == 1 ? "" : "s"); held out: \(plan.holdOut.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))\n"
        text += "objective (Σ squared error, points²): \(points(result.start.objectivePoints)) at the start → \(points(result.best.objectivePoints)) (\(result.evaluations) evaluations, \(result.runs) runs)\n\n"
        text += "fitted values:\n"
        for (p, v) in zip(plan.parameters, result.best.values) { text += "  \(p.path) = \(Calibrator.text(v))   (range \(Calibrator.text(p.low)) … \(Calibrator.text(p.high)))\n" }
        text += "\ntargets (modelled per seed):\n"
        for t in targets.indices {
            text += "  \(targets[t].spec)/\(targets[t].outcome.id): \(result.best.modelled[t].joined(separator: ", "))\n"
        }
        text += "\ncheck the held-out episodes: domino verify \(plan.holdOut.joined(separator: " ")) " + sets.map { "--set \($0.path)=\($0.value)" }.joined(separator: " ") + "\n"
        Output.write(text)
    }

    private func points(_ v: Double) -> String { String(format: "%.4f", v) }
}
