#!/usr/bin/env python3
"""Prints the behavioural rule's outflow shares against the declared calibration targets
(issue 14 §3): the share of each platform's customer claims withdrawn by a date, from
`domino replay --json` with the window cut at that date (withdrawn / (withdrawn + remaining
claims), in USD at the date's prices). Halt, default and filing dates are never targets.

    python3 scripts/behaviour-targets.py [DOMINO] [--seeds 1,2,3] [--set behaviour.x=v ...]

Prints each target, the modelled share per seed and their median, and the objective (the sum of
squared errors in points, over targets, at the median). `domino calibrate` (wt-verify) fits the
same targets; this is the hand check the committed defaults were chosen with.
"""
import json, subprocess, sys, statistics

# (spec, platform, from, to, target share of claims at `from` withdrawn by `to`, source)
TARGETS = [
    ("3ac-celsius-2022", "Voyager", "2022-05-09", "2022-05-20", 0.14, "Chicago Fed 479: Voyager 14% in 11 days after Terra"),
    ("3ac-celsius-2022", "Celsius", "2022-05-09", "2022-05-20", 0.20, "Chicago Fed 479: Celsius 20% in 11 days after Terra"),
    ("3ac-celsius-2022", "Voyager", "2022-06-01", "2022-06-30", 0.39, "Chicago Fed 479: Voyager further 39% in June (of what was left)"),
    ("3ac-celsius-2022", "Celsius", "2022-06-01", "2022-06-12", 0.10, "Chicago Fed 479: Celsius further 10% in June (before its pause)"),
    ("ftx-2022", "FTX", "2022-11-05", "2022-11-08", 0.37, "Chicago Fed 479 / Reuters: FTX 37% (~$6B) in 72 h"),
    ("ftx-2022", "Genesis", "2022-11-05", "2022-11-16", 0.21, "Chicago Fed 479: Genesis 21% after FTX"),
    ("ftx-2022", "BlockFi", "2022-11-05", "2022-11-10", 0.12, "Chicago Fed 479: BlockFi 12% after FTX"),
    ("terra-2022", "Anchor", "2022-05-07", "2022-05-09", 0.38, "facts: Anchor deposits $14B (6 May) to $8.7B (9 May)"),
]


def share(domino, spec, platform, date, seed, sets):
    """Withdrawn share of `platform`'s claims by the end of `date` (0 at the window's start)."""
    args = [domino, "replay", f"replays/{spec}.yaml", "--json", "-q", "--set", f"window.to={date}T23:59:59Z", "--set", f"seed={seed}"]
    for s in sets:
        args += ["--set", s]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    losses = json.loads(out.stdout)["losses"].get(platform, {"cohorts": {}})["cohorts"]
    withdrawn = sum(c["withdrawn"] for c in losses.values())
    left = sum(c["remainingClaims"] for c in losses.values())
    return withdrawn, left


def main():
    domino, seeds, sets = ".build/debug/domino", [2022, 1, 2], []
    args = sys.argv[1:]
    if args and not args[0].startswith("--"):
        domino = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--seeds":
            seeds = [int(x) for x in args.pop(0).split(",")]
        elif a == "--set":
            sets.append(args.pop(0))
    total = 0.0
    for spec, platform, start, end, target, source in TARGETS:
        values = []
        for seed in seeds:
            from datetime import date, timedelta
            before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
            w0, l0 = share(domino, spec, platform, before, seed, sets) if before >= "2022-05-01" and not (spec == "ftx-2022" and before < "2022-10-25") else (0, None)
            w1, l1 = share(domino, spec, platform, end, seed, sets)
            base = w0 + l0 if l0 is not None else w1 + l1
            values.append((w1 - w0) / base if base else 0)
        med = statistics.median(values)
        total += (100 * (med - target)) ** 2
        print(f"{spec:17} {platform:8} {start}..{end}  target {target:5.0%}  modelled {med:6.1%}  seeds " + " ".join(f"{v:.1%}" for v in values))
    print(f"objective (sum of squared errors, points^2): {total:.1f}")


if __name__ == "__main__":
    main()
