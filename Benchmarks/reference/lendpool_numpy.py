#!/usr/bin/env python3
"""lendpool-v1 (WORKLOAD.md) in NumPy: a same-machine reference for `domino bench workload`.

usage: python3 Benchmarks/reference/lendpool_numpy.py [--ticks T] [--seed S]  -> one JSON line
       (the same fields as `domino bench workload lendpool-v1`; check it with the spec's check.py)

Vectorised the way the spec allows: per tick an accrue-and-flag pass over all borrowers
(d *= g; any(c * PL < d)), then a scalar pass over the flagged borrowers in ascending index
order. Every per-element operation is binary64 in the spec's order; sums are sequential
(np.cumsum, never np.sum, which is pairwise). The withdrawal draws are generated with vectorised
SplitMix64 (uint64 wrap-around), the same numbers as one draw at a time.
"""
import argparse, json, time
import numpy as np

M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
NB = ND = 10_000
P0, SIGMA = 2000.0, 0.002
CRASHES = [(300, 500, 0.001), (50_000, 52_000, 0.0002)]
LT, CLOSE, BONUS, IMPACT, F_MIN = 0.80, 0.5, 1.05, 2e-7, 0.5
EPOCH, WD_PROB = 1000, 0.01
U_OPT, R_BASE, R_SLOPE1, R_SLOPE2 = 0.8, 1e-8, 1e-7, 3e-6
DEP_LO, DEP_SPAN = 40000.0, 60000.0
CHECKPOINTS = (1000, 10_000, 100_000)


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & M64

    def next(self):
        self.s = (self.s + GAMMA) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def uniforms(self, n):
        """The next n uniform() values, vectorised."""
        with np.errstate(over="ignore"):
            s = np.uint64(self.s) + np.uint64(GAMMA) * np.arange(1, n + 1, dtype=np.uint64)
            z = (s ^ (s >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        self.s = (self.s + GAMMA * n) & M64
        return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def seqsum(x):
    return float(np.cumsum(x)[-1]) if len(x) else 0.0


def growth(b, d):
    u = b / d if d > 0.0 else 1.0
    if u > 1.0:
        u = 1.0
    rate = R_BASE + R_SLOPE1 * u if u <= U_OPT else (R_BASE + R_SLOPE1 * U_OPT) + R_SLOPE2 * (u - U_OPT)
    return 1.0 + rate


def run(ticks, seed):
    init, price_rng, wd = SplitMix64(seed), SplitMix64(seed + 1), SplitMix64(seed + 2)
    u = init.uniforms(2 * NB)
    c = 1.0 + 99.0 * u[0::2]
    ltv = 0.30 + 0.45 * u[1::2]
    d = (c * P0) * ltv
    dep = DEP_LO + DEP_SPAN * init.uniforms(ND)
    D, B = seqsum(dep), seqsum(d)
    g, P = growth(B, D), P0
    n_liq = n_wd = n_blocked = 0
    liq_debt = liq_coll = wd_total = 0.0
    checkpoints = {}
    tmp = np.empty(NB)
    mask = np.empty(NB, dtype=bool)

    start = time.perf_counter()
    for t in range(ticks):
        m = 1.0 + SIGMA * (2.0 * price_rng.uniform() - 1.0)
        for lo, hi, drift in CRASHES:
            if lo <= t < hi:
                m = m - drift
        P = P * m
        PL = P * LT
        np.multiply(d, g, out=d)
        np.multiply(c, PL, out=tmp)
        np.less(tmp, d, out=mask)
        sold = 0.0
        if mask.any():
            for i in np.flatnonzero(mask & (c > 0.0)).tolist():
                di, ci = float(d[i]), float(c[i])
                repay = di * CLOSE
                seize = (repay * BONUS) / P
                if seize > ci:
                    seize = ci
                    repay = (ci * P) / BONUS
                d[i] = di - repay
                c[i] = ci - seize
                n_liq += 1
                liq_debt += repay
                liq_coll += seize
                sold += seize
        if sold > 0.0:
            f = 1.0 - IMPACT * sold
            if f < F_MIN:
                f = F_MIN
            P = P * f
        if (t + 1) % EPOCH == 0:
            B = seqsum(d)
            draws = wd.uniforms(ND)
            for j in np.flatnonzero(draws < WD_PROB).tolist():
                dj = float(dep[j])
                if dj > 0.0:
                    avail = D - B
                    amt = dj if dj <= avail else avail
                    if amt > 0.0:
                        dep[j] = dj - amt
                        D = D - amt
                        n_wd += 1
                        wd_total += amt
                    else:
                        n_blocked += 1
            g = growth(B, D)
        if t + 1 in CHECKPOINTS:
            checkpoints[str(t + 1)] = {"P": P, "n_liq": n_liq, "liq_debt": liq_debt}
    elapsed = time.perf_counter() - start

    return {"workload": "lendpool-v1", "impl": "numpy-reference", "ticks": ticks, "seed": seed,
            "borrowers": NB, "depositors": ND, "P": P, "n_liq": n_liq, "liq_debt": liq_debt,
            "liq_coll": liq_coll, "n_wd": n_wd, "n_blocked": n_blocked, "wd_total": wd_total,
            "D": D, "B": seqsum(d), "C": seqsum(c), "wiped": int(np.count_nonzero(c == 0.0)),
            "checkpoints": checkpoints, "agent_updates": NB * ticks, "elapsed_s": elapsed,
            "updates_per_s": NB * ticks / elapsed, "numpy": np.__version__}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--ticks", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    print(json.dumps(run(a.ticks, a.seed)))
