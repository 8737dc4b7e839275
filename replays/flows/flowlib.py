"""Helpers shared by the flow builders: exact fixed-point text and UTC times, no floats."""
from datetime import datetime, timezone

HOUR = 3_600_000


def ms(iso):
    """ISO 8601 time, read as UTC, to milliseconds since the epoch."""
    return int(datetime.fromisoformat(iso).replace(tzinfo=timezone.utc).timestamp()) * 1000


def dec(units_e8):
    """Exact decimal text of an integer number of 1e-8 units."""
    sign = "-" if units_e8 < 0 else ""
    v = abs(units_e8)
    whole, frac = divmod(v, 100_000_000)
    text = str(whole) if frac == 0 else f"{whole}.{frac:08d}".rstrip("0")
    return sign + text


def e8(x):
    """Tokens given as an exact decimal string -> integer 1e-8 units."""
    whole, _, frac = x.partition(".")
    return int(whole) * 100_000_000 + int((frac + "00000000")[:8] or 0)


def header(name, description, start, end, assets, entities, series):
    """The log header of a flow file: assets numbered from 1 in the order given (8 decimals),
    no signals and no extra kinds."""
    return {
        "name": name,
        "description": description,
        "timeRange": {"start": start, "end": end},
        "assets": [{"id": i + 1, "symbol": s, "decimals": 8} for i, s in enumerate(assets)],
        "entities": entities,
        "series": series,
        "signals": [],
        "kinds": [],
    }


def emit(header, records, out=None):
    """Writes the import form: a `{"header": …}` line (sorted keys), then one event per line,
    `time` first. `records` are (ms, fields) pairs, already in order."""
    import json
    import sys
    out = out or sys.stdout
    out.write(json.dumps({"header": header}, sort_keys=True, separators=(",", ":")) + "\n")
    for t, fields in records:
        iso = datetime.fromtimestamp(t / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.write(json.dumps({"time": iso, **fields}, separators=(",", ":")) + "\n")
