// The replay library: specs, runs, outputs.
