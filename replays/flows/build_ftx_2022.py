#!/usr/bin/env python3
"""Reconstructs the depositor flows of the FTX episode (November 2022) from reported totals.

Every figure comes from ../shared/facts/episodes-2022.csv (the row is quoted beside it) or is a
stated ASSUMPTION. The output is JSONL in Domino's import form, with a header line carrying each
series' provenance (origin: reconstructed, method). Deterministic: same input, same bytes.

    python3 replays/flows/build_ftx_2022.py > /tmp/ftx-2022.jsonl
    domino import /tmp/ftx-2022.jsonl --out replays/flows/ftx-2022.zst

Two kinds of withdrawal series per platform:
- "paid" runs: the outflows the record reports (shares of customer funds), which a platform paid
  before it halted;
- "refused" runs (ASSUMPTION): the run went on after each halt, but what was refused is not on the
  record. They are set at the rate of the last paid run, for 72 h. In the baseline they are only
  frozen (they make the halt rule fire once reserves are gone); in a counterfactual in which the
  platform has not halted they are paid, scaled by the depositors' response.
"""
from flowlib import HOUR, dec, e8, emit, header, ms  # noqa: F401 (shared helpers)


# Claims at the start of the window per cohort (tokens). They must equal the cohorts in
# replays/ftx-2022.yaml; see the derivation there.
CLAIMS = {
    ("ftx-users", "FTX"): {"USDC": "10530000000", "BTC": "113400", "ETH": "977000", "SOL": "46400000"},
    ("blockfi-users", "BlockFi"): {"USDC": "1170000000", "BTC": "20700", "ETH": "213700"},
    ("genesis-lenders", "Genesis"): {"USDC": "2200000000", "BTC": "68400", "ETH": "655600"},
}

CHICAGO_FED = "Chicago Fed Letter No. 479 (Patel & Rose, 2023)"
REUTERS = "Reuters via news.yahoo.com/crypto-exchange-ftx-saw-6-175831616.html (SBF memo)"

# (cohort, first hour, last hour, share of the cohort's starting claims in millionths of 100%
# (i.e. x 1e-8), paid or refused, source)
RUNS = [
    # FTX,2022-11,FTX,customer outflow (a quarter of customer funds in one day),37,% (Chicago Fed 479) and
    # FTX,2022-11-08,FTX,net withdrawals in the 72 h before 8 Nov morning (SBF memo),~6,USD bn (Reuters).
    # The claims are set so that 37% is $6B at 5 Nov prices; the 72 h run ends 8 Nov 07:00 UTC
    # ("morning"). Split across the three days: the quarter in one day on the last day (the peak,
    # 7-8 Nov) is the fact; 2% and 10% on the two days before it (CZ's tweet of 6 Nov) are an ASSUMPTION.
    ("ftx-users", "2022-11-05T08:00:00", "2022-11-06T07:00:00", 2_000_000, "paid",
     f"{REUTERS}; {CHICAGO_FED}: FTX 37%, a quarter in one day. Split 2/10/25% by day: ASSUMPTION"),
    ("ftx-users", "2022-11-06T08:00:00", "2022-11-07T07:00:00", 10_000_000, "paid",
     f"{REUTERS}; {CHICAGO_FED}: FTX 37%, a quarter in one day. Split 2/10/25% by day: ASSUMPTION"),
    ("ftx-users", "2022-11-07T08:00:00", "2022-11-08T07:00:00", 25_000_000, "paid",
     f"{REUTERS}; {CHICAGO_FED}: FTX 37%, a quarter of customer funds in one day"),
    ("ftx-users", "2022-11-08T08:00:00", "2022-11-11T07:00:00", 75_000_000, "refused",
     "ASSUMPTION: the run goes on at the peak day's rate (25%/day) for 72 h after the record ends"),
    # BlockFi,2022-11,BlockFi,share of customer funds withdrawn after FTX,12,% (Chicago Fed 479).
    # BlockFi paused on 10 Nov (CNBC); the 12% is spread from 8 Nov (FTX's halt day) to the end of
    # 10 Nov. ASSUMPTION: even spread.
    ("blockfi-users", "2022-11-08T00:00:00", "2022-11-10T23:00:00", 12_000_000, "paid",
     f"{CHICAGO_FED}: BlockFi 12% after FTX; spread evenly over 8-10 Nov (ASSUMPTION)"),
    ("blockfi-users", "2022-11-11T00:00:00", "2022-11-13T23:00:00", 12_000_000, "refused",
     "ASSUMPTION: the run goes on at the same rate (4%/day) for 72 h after the paid run"),
    # Genesis,2022-11,Genesis,share of customer funds withdrawn after FTX,21,% (Chicago Fed 479).
    # ASSUMPTION: spread evenly from 8 Nov to the end of 16 Nov, the day Genesis Global Capital
    # paused redemptions (press; NOT a row of the facts file).
    ("genesis-lenders", "2022-11-08T00:00:00", "2022-11-16T23:00:00", 21_000_000, "paid",
     f"{CHICAGO_FED}: Genesis 21% after FTX; spread evenly over 8-16 Nov (ASSUMPTION)"),
    ("genesis-lenders", "2022-11-17T00:00:00", "2022-11-19T23:00:00", 7_000_000, "refused",
     "ASSUMPTION: the run goes on at the same rate (7/3%/day) for 72 h after the paid run"),
]

# Genesis,2022-11,DCG->Genesis,equity infusion after the FTX loss,140,USD m (ledgerinsights).
# The day is the one Genesis announced the $175M locked on FTX (facts row of 2022-11-10); the hour
# is an ASSUMPTION.
TRANSFERS = [
    ("2022-11-10T18:00:00", None, "Genesis", "USDC", "140000000",
     "DCG equity infusion to Genesis", "ledgerinsights.com/ftx-fallout-genesis-capital-pauses-withdrawals (facts row Genesis,2022-11,DCG->Genesis,140 USD m)",
     "one transfer from outside the model to Genesis of 140,000,000 USDC at 2022-11-10 18:00 UTC (the day from the facts row of 2022-11-10 on the locked funds; the hour is an assumption); built by replays/flows/build_ftx_2022.py"),
]

PLATFORMS = ["FTX", "BlockFi", "Genesis"]
COHORTS = [c for c, _ in CLAIMS]
ASSETS = ["USDC", "BTC", "ETH", "SOL"]


def main():
    start, end = ms("2022-11-05T08:00:00"), ms("2022-11-19T23:00:00")
    events = []
    series = []
    for k, (cohort, a, b, share, what, source) in enumerate(RUNS):
        platform = next(p for (c, p) in CLAIMS if c == cohort)
        t0, t1 = ms(a), ms(b)
        hours = (t1 - t0) // HOUR + 1
        for asset in ASSETS:
            if asset not in CLAIMS[(cohort, platform)]:
                continue
            total = e8(CLAIMS[(cohort, platform)][asset]) * share // 100_000_000
            per_hour, rest = divmod(total, hours)
            for h in range(hours):
                q = per_hour + (1 if h < rest else 0)  # spread the remainder over the first hours
                if q:
                    events.append((t0 + h * HOUR, k, ASSETS.index(asset), {
                        "kind": "withdrawal-request", "entity": cohort, "counterparty": platform,
                        "asset": asset, "amount": dec(q)}))
        series.append({
            "label": f"{cohort} withdrawals {a[:13]}h..{b[:13]}h ({what})", "kinds": ["withdrawal-request"],
            "from": t0, "to": t1, "resolution": "1h", "origin": "reconstructed", "source": source,
            "method": f"{share / 1_000_000:g}% of each claim asset of the cohort at the start of the window, spread evenly over every hour of {a[:13]}h..{b[:13]}h UTC (remainder to the first hours); {what} run; built by replays/flows/build_ftx_2022.py",
        })
    for k, (t, src, dst, asset, qty, label, source, method) in enumerate(TRANSFERS):
        ev = {"kind": "transfer", "counterparty": dst, "asset": asset, "amount": qty}
        if src is not None:
            ev["entity"] = src
        events.append((ms(t), len(RUNS) + k, ASSETS.index(asset), ev))
        series.append({"label": label, "kinds": ["transfer"], "asset": asset, "from": ms(t), "to": ms(t),
                       "resolution": "events", "origin": "reconstructed", "source": source, "method": method})
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    entities = [{"id": 1, "name": "FTX", "kind": "exchange"}, {"id": 2, "name": "BlockFi", "kind": "lender"},
                {"id": 3, "name": "Genesis", "kind": "lender"}]
    entities += [{"id": len(PLATFORMS) + i + 1, "name": n, "kind": "depositors"} for i, n in enumerate(COHORTS)]
    head = header("ftx-2022-flows",
                  "Depositor withdrawals at FTX, BlockFi and Genesis, November 2022, reconstructed from reported totals and shares of customer funds; DCG's equity infusion into Genesis",
                  start, end, ASSETS, entities, series)
    emit(head, ((t, ev) for t, _, _, ev in events))


if __name__ == "__main__":
    main()
