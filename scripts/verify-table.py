#!/usr/bin/env python3
"""Turn `domino verify --paths N --json` into the README's verify table with intervals.

Usage:
  domino verify --paths 50 --json -q > /tmp/v.json     # exits 1 when a row is FAIL or FIXED
  python3 scripts/verify-table.py /tmp/v.json           # prints the table
  python3 scripts/verify-table.py /tmp/v.json --update README.md
      # replaces the text between the markers
      #   <!-- verify-paths:begin --> and <!-- verify-paths:end -->

Every known outcome of every spec is one row: its class, the recorded value, the median and the
5-95% interval of the modelled value over the paths (nearest rank, as domino computes them; `none`
where the event did not happen on that share of paths), P(in tol), the tolerance and the result
domino gives (pass, holds, gap, FIXED, FAIL, or `narrow (P%)`). Standard library only.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from readme_block import replace_block  # noqa: E402

BEGIN = "<!-- verify-paths:begin -->"
END = "<!-- verify-paths:end -->"


def cell(text):
    return str(text).replace("|", "\\|")


def interval(o):
    iv = o.get("interval") or {}
    lo, hi = iv.get("p5", ""), iv.get("p95", "")
    if lo == "" and hi == "":
        return ""
    return lo if lo == hi else f"{lo} … {hi}"


def median(o):
    # empty where the spec does not model the entity (Babel, CoinFLEX, Vauld, ...: see the row's gap)
    return o.get("median", "") or "not modelled"


def table(doc):
    paths = None
    lines = []
    lines.append("| spec | outcome | class | recorded | median | 5–95% | P(in tol) | tolerance | result |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for spec in doc["specs"]:
        paths = spec.get("paths", paths)
        for o in spec["outcomes"]:
            result = o.get("result", "")
            if result in ("pass", "holds", "FIXED", "FAIL"):
                result = f"**{result}**"
            lines.append("| " + " | ".join(cell(x) for x in [
                spec["spec"], o["id"], o["class"], o["expected"], median(o), interval(o),
                o.get("pWithin", ""), o.get("tolerance", ""), result]) + " |")
    held, fitted, derived = doc["heldOut"], doc["fitted"], doc["derived"]
    summary = (f"held out: {held['passed']} of {held['rows']} pass; fitted: {fitted['passed']} of "
               f"{fitted['rows']}; derived (not counted): {derived['holds']} of {derived['rows']} hold; "
               f"{doc['gaps']} known gaps; {doc.get('narrow', 0)} narrow; "
               f"{doc['failed']} failed or FIXED (over {paths} paths)")
    return "\n".join(lines) + "\n\n" + summary + "\n"


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("verify-table.py: usage: verify-table.py VERIFY.json [--update README.md]\n")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"verify-table.py: {argv[1]}: {e}\n")
        return 1
    text = table(doc)
    if len(argv) == 4 and argv[2] == "--update":
        return replace_block(argv[3], BEGIN, END, text, "verify-table.py")
    if len(argv) != 2:
        sys.stderr.write("verify-table.py: usage: verify-table.py VERIFY.json [--update README.md]\n")
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
