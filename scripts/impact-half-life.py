#!/usr/bin/env python3
"""Estimate the impact half-life (`model.impact.halfLife`) from the record.

The impact overlay (Sources/DominoModel/Market.swift) lowers a price by forced sales and lets the
excess decay exponentially. The record's cleanest forced-selling dislocation whose decay can be
measured on a price that should otherwise stay put is the stETH/ETH discount of June 2022 (Celsius,
3AC and others forced to sell stETH, which could not be redeemed before the Shanghai upgrade).
The log ratio ln(stETH / ETH) is averaged per UTC day (x_t: the mean of the day's hourly log
ratios) and fitted with an AR(1) by least squares,

    x_t = c + phi * x_{t-1} + e_t,      half-life = ln 2 / -ln phi   (days),

over a window from the peak of the selling to before the Merge (which changed stETH's prospects).
The 95% interval is a moving-block bootstrap (blocks of one week, a fixed seed), so it is
reproducible to the digit. Hourly, the same fit gives a half-life of about an hour: that is the
noise of the stETH prints (a print of 0.88 in an hour whose day averages 0.93), which reverts at
once, not the decay of the dislocation; it is printed for comparison (--hourly fits it alone). Python 3 standard library only; reads `domino log cat` CSV.

Usage: scripts/impact-half-life.py [--domino BIN] [--dataset FILE] [--from T] [--to T] [--boot N] [--hourly]
       (or feed `domino log cat FILE --asset ETH --asset stETH --format csv` on stdin with --stdin)
"""
import argparse, csv, io, math, random, subprocess, sys


def load(args):
    if args.stdin:
        text = sys.stdin.read()
    else:
        cmd = [args.domino, "log", "cat", args.dataset, "--asset", "ETH", "--asset", "stETH", "--format", "csv",
               "--from", args.start, "--to", args.end]
        text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    prices = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["kind"] != "price" or not (args.start <= row["time"] <= args.end):
            continue
        # stETH prints a few minutes into the hour: bucket both series by UTC hour, last print wins.
        prices.setdefault(row["time"][:13], {})[row["asset"]] = float(row["amount"])
    times = sorted(t for t, p in prices.items() if "ETH" in p and "stETH" in p and p["ETH"] > 0 and p["stETH"] > 0)
    return times, [math.log(prices[t]["stETH"] / prices[t]["ETH"]) for t in times]


def ar1(pairs):
    n = len(pairs)
    mx = sum(a for a, _ in pairs) / n
    my = sum(b for _, b in pairs) / n
    sxx = sum((a - mx) ** 2 for a, _ in pairs)
    sxy = sum((a - mx) * (b - my) for a, b in pairs)
    phi = sxy / sxx
    c = my - phi * mx
    resid = [b - c - phi * a for a, b in pairs]
    se = math.sqrt(sum(r * r for r in resid) / (n - 2) / sxx)
    return phi, c, se


def half_life(phi):
    return math.log(2) / -math.log(phi) if 0 < phi < 1 else float("inf")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--domino", default=".build/release/domino")
    ap.add_argument("--dataset", default="datasets/prices-2022.zst")
    ap.add_argument("--from", dest="start", default="2022-06-13T00:00:00Z")
    ap.add_argument("--to", dest="end", default="2022-09-14T23:00:00Z")
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--block", type=int, default=168, help="bootstrap block length, hours")
    ap.add_argument("--stdin", action="store_true")
    ap.add_argument("--hourly", action="store_true", help="fit the hourly series instead of daily means")
    args = ap.parse_args()
    times, hourly = load(args)
    x = hourly
    if args.hourly:
        unit, step = "h", 1
        # Consecutive hours only (a gap in either series breaks a pair).
        def hour(t):
            return t[:10], int(t[11:13])
        pairs = []
        for i in range(1, len(times)):
            (da, ha), (db, hb) = hour(times[i - 1]), hour(times[i])
            if (da == db and hb == ha + 1) or (da != db and ha == 23 and hb == 0):
                pairs.append((x[i - 1], x[i]))
    else:
        unit, step = "d", 24
        days = {}
        for t, v in zip(times, hourly):
            days.setdefault(t[:10], []).append(v)
        keys = sorted(days)
        x = [sum(days[k]) / len(days[k]) for k in keys]
        pairs = list(zip(x, x[1:]))  # every day of the window has prints of both (checked: 24 hours each)
    phi, c, se = ar1(pairs)
    rng = random.Random(20220613)
    n, blocks = len(pairs), max(1, args.block // step)
    boot = []
    for _ in range(args.boot):
        sample = []
        while len(sample) < n:
            s = rng.randrange(0, n - blocks + 1)
            sample.extend(pairs[s:s + blocks])
        boot.append(half_life(ar1(sample[:n])[0]))
    boot.sort()
    lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
    print(f"window          {args.start} … {args.end}, {len(hourly)} hours, {n} consecutive pairs ({'hourly' if args.hourly else 'daily means'})")
    print(f"stETH/ETH       mean ratio {math.exp(sum(x) / len(x)):.4f}, min {math.exp(min(x)):.4f}, last {math.exp(x[-1]):.4f}")
    print(f"AR(1)           phi = {phi:.5f} (OLS s.e. {se:.5f}), long-run ratio {math.exp(c / (1 - phi)):.4f}")
    hl = half_life(phi) * step
    print(f"half-life       {hl:.1f} h = {hl / 24:.2f} d")
    print(f"95% interval    {lo * step:.1f} … {hi * step:.1f} h (moving-block bootstrap, {args.boot} draws, {blocks}{unit} blocks, seed 20220613)")
    print(f"  OLS interval  {half_life(phi - 1.96 * se) * step:.1f} … {half_life(phi + 1.96 * se) * step:.1f} h (ignores serial correlation)")


if __name__ == "__main__":
    main()
