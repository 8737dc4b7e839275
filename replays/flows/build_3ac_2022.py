#!/usr/bin/env python3
"""Reconstructs the depositor flows of the 3AC episode (May-July 2022) from reported totals.

Every figure comes from ../shared/facts/episodes-2022.csv (the row is quoted beside it) or is a
stated assumption. The output is JSONL in Domino's import form, with a header line carrying each
series' provenance (origin: reconstructed, method). Deterministic: same input, same bytes.

    python3 replays/flows/build_3ac_2022.py > replays/flows/3ac-2022.jsonl
    domino import replays/flows/3ac-2022.jsonl --out replays/flows/3ac-2022.zst
"""
from flowlib import HOUR, dec, e8, emit, header, ms  # noqa: F401 (shared helpers)


# Claims at 2022-05-01 per cohort (tokens). They must equal the cohorts in
# replays/3ac-celsius-2022.yaml; see the derivation there.
CLAIMS = {
    ("celsius-whales", "Celsius"): {"USDC": "1400000000", "BTC": "27860", "ETH": "383600"},
    ("celsius-retail", "Celsius"): {"USDC": "2600000000", "BTC": "51740", "ETH": "712400"},
    ("voyager-users", "Voyager"): {"USDC": "1500000000", "BTC": "53000", "ETH": "548000"},
    ("blockfi-users", "BlockFi"): {"USDC": "3000000000", "BTC": "53000", "ETH": "548000"},
}

# (cohort, start, end, share of the cohort's claims at 2022-05-01, source)
RUNS = [
    # Celsius,2022-05-09..20,share of customer funds withdrawn within 11 days after the Terra collapse,20,% (Chicago Fed Letter 479)
    ("celsius-whales", "2022-05-09T00:00:00", "2022-05-20T23:00:00", 20_000_000, "Chicago Fed Letter No. 479: Celsius 20% in 11 days after Terra"),
    ("celsius-retail", "2022-05-09T00:00:00", "2022-05-20T23:00:00", 20_000_000, "Chicago Fed Letter No. 479: Celsius 20% in 11 days after Terra"),
    # Celsius,2022-06,further share of customer funds withdrawn after 3AC troubles became public,10,% ; and
    # Celsius,2022-06,share of June withdrawals that came from accounts above $1M,35,%.
    # 10% of what was left (80% of the May figure) = 8% of the May claims; split 35% whales / 65% retail
    # of the June total: whales hold 35% of claims, so each cohort withdraws 8% of its own claims.
    ("celsius-whales", "2022-06-01T00:00:00", "2022-06-12T23:00:00", 8_000_000, "Chicago Fed Letter No. 479: Celsius further 10% in June; 35% of June withdrawals from accounts above $1M"),
    ("celsius-retail", "2022-06-01T00:00:00", "2022-06-12T23:00:00", 8_000_000, "Chicago Fed Letter No. 479: Celsius further 10% in June"),
    # Voyager,2022-05-09..20,share ... withdrawn within 11 days after the Terra collapse,14,%
    ("voyager-users", "2022-05-09T00:00:00", "2022-05-20T23:00:00", 14_000_000, "Chicago Fed Letter No. 479: Voyager 14% in 11 days after Terra"),
    # Voyager,2022-06,further share ... in the run after 3AC troubles became public,39,% -> 39% of the 86% left
    ("voyager-users", "2022-06-13T00:00:00", "2022-06-30T23:00:00", 33_540_000, "Chicago Fed Letter No. 479: Voyager further 39% after 3AC (of the 86% left)"),
    # BlockFi,2022-06..11,customer outflows from June to November 2022,~3.3,USD bn. Assumption: half of it
    # in the 3AC weeks (13 June - 31 July), about 15% of its claims at 1 May (~$6.5B at 1 May prices: an assumption).
    ("blockfi-users", "2022-06-13T00:00:00", "2022-07-31T23:00:00", 15_000_000, "Chicago Fed Letter No. 479: BlockFi ~$3.3B June-November; assumed half by 31 July"),
]

PLATFORMS = ["Celsius", "Voyager", "BlockFi"]
COHORTS = [c for c, _ in CLAIMS]
ASSETS = ["USDC", "BTC", "ETH"]


def main():
    start, end = ms("2022-05-01T00:00:00"), ms("2022-07-31T23:00:00")
    events = []
    series = []
    for k, (cohort, a, b, share, source) in enumerate(RUNS):
        platform = next(p for (c, p) in CLAIMS if c == cohort)
        t0, t1 = ms(a), ms(b)
        hours = (t1 - t0) // HOUR + 1
        for asset in ASSETS:
            total = e8(CLAIMS[(cohort, platform)][asset]) * share // 100_000_000
            per_hour, rest = divmod(total, hours)
            for h in range(hours):
                q = per_hour + (1 if h < rest else 0)  # spread the remainder over the first hours
                if q:
                    events.append((t0 + h * HOUR, k, ASSETS.index(asset), cohort, platform, asset, q))
        series.append({
            "label": f"{cohort} withdrawals {a[:10]}..{b[:10]}", "kinds": ["withdrawal-request"],
            "from": t0, "to": t1, "resolution": "1h", "origin": "reconstructed", "source": source,
            "method": f"{share / 1_000_000:g}% of each claim asset of the cohort at 2022-05-01, spread evenly over every hour of {a[:10]}..{b[:10]} (remainder to the first hours); built by replays/flows/build_3ac_2022.py",
        })
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    entities = [{"id": i + 1, "name": n, "kind": "lender"} for i, n in enumerate(PLATFORMS)]
    entities += [{"id": len(PLATFORMS) + i + 1, "name": n, "kind": "depositors"} for i, n in enumerate(COHORTS)]
    head = header("3ac-2022-flows",
                  "Depositor withdrawals at Celsius, Voyager and BlockFi, May-July 2022, reconstructed from reported shares of customer funds",
                  start, end, ASSETS, entities, series)
    emit(head, ((t, {"kind": "withdrawal-request", "entity": cohort, "counterparty": platform, "asset": asset, "amount": dec(q)})
                  for t, _, _, cohort, platform, asset, q in events))


if __name__ == "__main__":
    main()
