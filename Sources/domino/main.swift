import ArgumentParser

// Entry point. Exit codes (Unix habit, see README): 0 ok, 1 failed (bad data, failed check,
// I/O error), 2 usage error (unknown option, bad value). Results go to stdout, diagnostics to
// stderr, each as one line prefixed with "domino: ".
CLI.main(Domino.self)
