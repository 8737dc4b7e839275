#!/usr/bin/env python3
"""Robustness of every shipped policy verdict to the market depth (issue 15, §1).

For each spec and each policy set in replays/policies/, the change in depositor losses the
policy makes (policy run − the spec as written, both at the same depths) at the calibrated
depths (×1), at half (×0.5) and at double (×2) every asset's `depth`. A verdict whose sign
flips inside that range is FRAGILE; one whose sign holds is robust.

    python3 scripts/policy-robustness.py [--domino .build/release/domino] [--spec replays/X.yaml]… [--seeds 1,2,3,7,99] [--json]

Issue 14 §6: the change at the calibrated depths is also measured at each of `--seeds` (the
behavioural depositors' randomness; `--set seed=S` on both runs), and the table gives its spread
over the seeds (min … max) and how many seeds keep the sign of the spec's own seed.

Depth overrides go through `--set assets.SYM.depth=…`, which `domino replay` treats as part of
the experiment (the baseline is replayed at the same depths), so execution costs and the
overlay both move with the factor.
"""
import argparse, glob, json, os, re, subprocess, sys
from decimal import Decimal

FACTORS = [Decimal("0.5"), Decimal("1"), Decimal("2")]


def depths(spec_path):
    """The `depth` of each asset in a spec's `assets:` block (the spec's own YAML, read simply)."""
    out, inside = {}, False
    for line in open(spec_path, encoding="utf-8"):
        if line.startswith("assets:"):
            inside = True
            continue
        if inside and line and not line.startswith((" ", "#", "\n")):
            break
        m = re.match(r"\s+([A-Za-z0-9]+):\s*\{[^}]*depth:\s*([0-9_.]+)", line) if inside else None
        if m:
            out[m.group(1)] = Decimal(m.group(2).replace("_", ""))
    return out


def losses(domino, spec, policy, sets):
    cmd = [domino, "replay", spec, "--json", "--quiet"] + (["--policy", policy] if policy else [])
    for s in sets:
        cmd += ["--set", s]
    r = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    if r.returncode != 0:
        sys.exit(f"policy-robustness: {' '.join(cmd)} failed: {r.stderr.strip()}")
    return Decimal(json.loads(r.stdout)["headline"]["depositorLosses"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--domino", default=".build/release/domino")
    ap.add_argument("--spec", action="append")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seeds", default="1,2,3,7,99", help="extra seeds for the spread (comma-separated; empty: none)")
    a = ap.parse_args()
    specs = a.spec or sorted(glob.glob("replays/*.yaml"))
    policies = sorted(os.path.basename(p)[:-5] for p in glob.glob("replays/policies/*.yaml"))
    rows = []
    for spec in specs:
        d = depths(spec)
        base = {}
        for f in FACTORS:
            sets = [f"assets.{k}.depth={(v * f).normalize():f}" for k, v in d.items()]
            base[f] = losses(a.domino, spec, None, sets)
        for p in policies:
            delta = {}
            for f in FACTORS:
                sets = [f"assets.{k}.depth={(v * f).normalize():f}" for k, v in d.items()]
                delta[f] = losses(a.domino, spec, p, sets) - base[f]
            signs = {(x > 0) - (x < 0) for x in delta.values()}
            verdict = "robust" if len(signs) == 1 else "FRAGILE"
            seeds = [int(x) for x in a.seeds.split(",") if x.strip()]
            by_seed = [delta[Decimal("1")]] + [losses(a.domino, spec, p, [f"seed={sd}"]) - losses(a.domino, spec, None, [f"seed={sd}"]) for sd in seeds]
            sign0 = (by_seed[0] > 0) - (by_seed[0] < 0)
            same = sum(1 for x in by_seed if ((x > 0) - (x < 0)) == sign0)
            rows.append({"spec": os.path.basename(spec)[:-5], "policy": p, "baseline": {str(f): str(base[f]) for f in FACTORS},
                         "change": {str(f): str(delta[f]) for f in FACTORS}, "verdict": verdict,
                         "seeds": {"values": [str(x) for x in by_seed], "min": str(min(by_seed)), "max": str(max(by_seed)),
                                   "sameSign": same, "of": len(by_seed)}})
            if not a.json:
                def m(x): return f"{x / Decimal(1_000_000):+,.1f}M"
                print(f"{rows[-1]['spec']:18} {p:22} x0.5 {m(delta[FACTORS[0]]):>12}  x1 {m(delta[FACTORS[1]]):>12}  x2 {m(delta[FACTORS[2]]):>12}  {verdict}  seeds {m(min(by_seed))} … {m(max(by_seed))} ({same}/{len(by_seed)} same sign)", flush=True)
    if a.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
