#!/usr/bin/env python3
"""The README's policy table (issue 14 §6, issue 15 §1): one row per shipped policy set on a spec.

    python3 scripts/policy-table.py [--domino .build/release/domino] [--spec replays/3ac-celsius-2022.yaml] [--seeds 1,2,3,7,99]

Columns: depositor losses and Celsius's share at the spec's seed; the first failure of each entity;
liquidation volume; the share of customer assets lent, deployed or pledged on pools at the start (Celsius / Voyager /
BlockFi / Genesis); the spread of depositor losses over the spec's seed and `--seeds` (the
behavioural depositors' randomness, `--set seed=S`): min … max; and the robustness of the verdict
to market depth from `scripts/policy-robustness.py --json` when given with `--robustness FILE`.
"""
import argparse, glob, json, os, subprocess, sys

def run(domino, spec, policy, sets):
    cmd = [domino, "replay", spec, "--json", "--quiet"] + (["--policy", policy] if policy else [])
    for s in sets: cmd += ["--set", s]
    r = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    if r.returncode != 0: sys.exit(f"policy-table: {' '.join(cmd)}: {r.stderr.strip()}")
    return json.loads(r.stdout)

def money(x):
    x = float(x)
    return f"${x/1e9:.2f}B" if abs(x) >= 1e9 else f"${x/1e6:.1f}M"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--domino", default=".build/release/domino")
    ap.add_argument("--spec", default="replays/3ac-celsius-2022.yaml")
    ap.add_argument("--seeds", default="1,2,3,7,99")
    ap.add_argument("--robustness", help="JSON output of scripts/policy-robustness.py")
    a = ap.parse_args()
    rob = {}
    if a.robustness:
        for r in json.load(open(a.robustness)):
            rob[(r["spec"], r["policy"])] = r
    name = os.path.basename(a.spec)[:-5]
    seeds = [int(x) for x in a.seeds.split(",") if x.strip()]
    print("| policy set (`--policy`) | depositor losses | of which Celsius | failures (first of each entity, 2022) | liquidation volume | lent, deployed or pledged at start (Celsius / Voyager / BlockFi / Genesis) | depositor losses over seeds (min … max) | change at depth ×0.5 / ×1 / ×2 |")
    print("|---|---|---|---|---|---|---|---|")
    for p in [None] + sorted(os.path.basename(x)[:-5] for x in glob.glob("replays/policies/*.yaml")):
        d = run(a.domino, a.spec, p, [])
        h = d["headline"]
        fails = []
        for ent, e in d["entities"].items():
            for kind in ("halt", "default", "insolvency"):
                if e.get(kind):
                    fails.append((e[kind], f"{ent} {kind} {e[kind][5:10]}")); break
        fails = ", ".join(f for _, f in sorted(fails)) or "none"
        eff = " / ".join(f"{round(100*d['entities'][x]['capitalEfficiency'])}%" for x in ("Celsius", "Voyager", "BlockFi", "Genesis"))
        spread = [h["depositorLosses"]] + [run(a.domino, a.spec, p, [f"seed={s}"])["headline"]["depositorLosses"] for s in seeds]
        r = rob.get((name, p))
        if r:
            c = r["change"]; f = lambda v: f"{float(v)/1e6:+,.1f}M"
            robust = f"{f(c['0.5'])} / {f(c['1'])} / {f(c['2'])}" + (" **FRAGILE**" if r["verdict"] != "robust" else "")
        else:
            robust = "—"
        label = f"`{p}`" if p else "as recorded"
        print(f"| {label} | {money(h['depositorLosses'])} | {money(d['losses'].get('Celsius', {}).get('total', 0))} | {fails} | {money(h['liquidationVolume'])} | {eff} | {money(min(spread))} … {money(max(spread))} | {robust} |")

if __name__ == "__main__":
    main()
