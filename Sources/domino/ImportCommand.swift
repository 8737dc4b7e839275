import ArgumentParser

// Placeholder: being written (importer work in progress).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Build a log from CSV/JSONL inputs.")
}
