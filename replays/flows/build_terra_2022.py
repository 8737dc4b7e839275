#!/usr/bin/env python3
"""Reconstructs the flows of the Terra/UST and Anchor episode (May 2022) from reported figures.

Every figure comes from ../shared/facts/episodes-2022.csv (the row is quoted beside it) or is a
stated assumption. The output is JSONL in Domino's import form, with a header line carrying each
series' provenance (origin: reconstructed, method). Deterministic: same input, same bytes.

    python3 replays/flows/build_terra_2022.py > /tmp/terra-2022.jsonl
    domino import /tmp/terra-2022.jsonl --out replays/flows/terra-2022.zst

One kind of flow: LFG's reserve sales, as transfers to and from the world outside the model (no
counterparty): the reserve asset leaves, the UST bought arrives. LFG is not a platform with
depositors in the model; its sales are recorded market flows, like prices.

Issue 14: the Anchor depositors' withdrawal requests that this log used to hold (the fall of
Anchor's deposits between the dated totals of 6, 8 and 9 May, spread evenly) were a run shape,
and are gone: the run on Anchor now comes from the depositors' behavioural rule, and the dated
totals ($14B, $11.77B, $8.7B) are calibration targets (replays/README.md).
"""
from flowlib import HOUR, dec, e8, emit, header, ms  # noqa: F401 (shared helpers)

E8 = 100_000_000




def spread(total_e8, t0, t1):
    """`total_e8` spread evenly over every hour of t0..t1 inclusive, the remainder (in 1e-8
    units) to the first hours. Returns [(time_ms, quantity_e8)]."""
    hours = (t1 - t0) // HOUR + 1
    per_hour, rest = divmod(total_e8, hours)
    return [(t0 + h * HOUR, per_hour + (1 if h < rest else 0)) for h in range(hours)]


# --- LFG ---------------------------------------------------------------------------------------
# Terra,2022-05-07,LFG,BTC reserve held before depeg,80394,BTC
# Terra,2022-05-07,LFG,other reserves: USDT / USDC / BNB / AVAX,26281671 / 23555590 / 39914 / 1973554,tokens
# Terra,2022-05-08/09,LFG,sold all USDT+USDC for UST,50200071,UST
# Terra,2022-05-08/09,LFG,BTC sent to a counterparty (Gemini account) for 1515689462 UST,52189,BTC
# Terra,2022-05-10,TFL for LFG,BTC exchanged for 1164018521 UST in a last attempt to hold the peg,33206,BTC
# Terra,2022-05-16,LFG,BTC left after sales (80081 BTC sold per Glassnode),313,BTC
# Reconciliation (derived): 80,394 - 52,189 - 313 = 27,892 BTC of LFG's own went in the 10 May
# sale; the other 5,314 of the 33,206 BTC were not LFG's reserve (ASSUMPTION: TFL's own, outside
# the model). The UST bought on 10 May is attributed to LFG pro rata (27,892 / 33,206).
# Timing within the reported dates: ASSUMPTION, evenly over each hour (8-9 May: 48 hours; 10 May:
# 24 hours); the stablecoins went in one block at 8 May 12:00.
LFG_OWN_10MAY = 80_394 - 52_189 - 313                      # 27,892 BTC
UST_10MAY = 1_164_018_521 * E8 * LFG_OWN_10MAY // 33_206    # pro rata, in 1e-8 UST
LFG_SALES = [
    # (start, end, [(asset, direction, total_e8)], label, source)
    ("2022-05-08T12:00:00", "2022-05-08T12:00:00",
     [("USDT", "out", 26_281_671 * E8), ("USDC", "out", 23_555_590 * E8), ("UST", "in", 50_200_071 * E8)],
     "LFG sells its USDT and USDC for UST",
     "facts: LFG sold all USDT (26,281,671) + USDC (23,555,590) for 50,200,071 UST on 8/9 May (LFG thread 16 May via gadgets360)"),
    ("2022-05-08T00:00:00", "2022-05-09T23:00:00",
     [("BTC", "out", 52_189 * E8), ("UST", "in", 1_515_689_462 * E8)],
     "LFG sells 52,189 BTC for UST",
     "facts: 52,189 BTC sent to a counterparty for 1,515,689,462 UST on 8/9 May (LFG thread 16 May via decrypt)"),
    ("2022-05-10T00:00:00", "2022-05-10T23:00:00",
     [("BTC", "out", LFG_OWN_10MAY * E8), ("UST", "in", UST_10MAY)],
     "LFG's share of the 10 May sale of 33,206 BTC",
     "facts: TFL for LFG exchanged 33,206 BTC for 1,164,018,521 UST on 10 May; 313 BTC left on 16 May (gadgets360; yellowblock)"),
]


def main():
    start, end = ms("2022-05-01T00:00:00"), ms("2022-05-31T23:00:00")
    assets = ["UST", "BTC", "USDT", "USDC"]
    events = []   # (time, series, order, record)
    series = []
    for a, b, legs, label, source in LFG_SALES:
        t0, t1 = ms(a), ms(b)
        for order, (asset, direction, total) in enumerate(legs):
            for t, q in spread(total, t0, t1):
                if not q:
                    continue
                record = {"kind": "transfer", "asset": asset, "amount": dec(q)}
                record["entity" if direction == "out" else "counterparty"] = "LFG"
                events.append((t, len(series), order, record))
        series.append({
            "label": label, "kinds": ["transfer"], "from": t0, "to": t1,
            "resolution": "1h" if t1 > t0 else "event", "origin": "reconstructed", "source": source,
            "method": "transfers between LFG and the market outside the model (no counterparty): "
                      + "; ".join(f"{dec(q)} {s} {'out' if d == 'out' else 'in'}" for s, d, q in legs)
                      + (f", spread evenly over every hour of {a[:13]}..{b[:13]} UTC" if t1 > t0 else f", at {a[:13]}:00 UTC")
                      + " (ASSUMPTION: the hours within the reported dates are not reported); built by replays/flows/build_terra_2022.py",
        })
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    entities = [{"id": 1, "name": "LFG", "kind": "reserve"}]
    head = header("terra-2022-flows",
                  "LFG's reserve sales (8-10 May 2022), reconstructed from reported totals. No depositor flows: "
                  "runs come from the model's behavioural rule and background withdrawals are its base hazard (issue 14)",
                  start, end, assets, entities, series)
    emit(head, ((t, record) for t, _, _, record in events))


if __name__ == "__main__":
    main()
