#!/usr/bin/env python3
"""Regenerate the sensitivity tables of replays/README.md ("## Sensitivity").

Usage: python3 scripts/sensitivity-tables.py BIN [--update replays/README.md]

Runs `domino sensitivity` on the three shipped episodes with the headline outcomes below, times
each command (wall clock of the whole process, measured here, not in the model), and prints the
three code blocks; with --update it replaces the text between
<!-- sensitivity:begin --> and <!-- sensitivity:end --> in the given file (written to a temporary
name and renamed). Standard library only.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from readme_block import replace_block  # noqa: E402

RUNS = [
    ("replays/3ac-celsius-2022.yaml",
     ["celsius-halt", "3ac-default", "voyager-filing", "genesis-loss", "voyager-loss", "losses", "liquidations"]),
    ("replays/ftx-2022.yaml",
     ["ftx-halt", "blockfi-halt", "blockfi-filing", "blockfi-loss", "ftx-outflow", "losses", "liquidations"]),
    ("replays/terra-2022.yaml",
     ["anchor-outflow", "anchor-paid-run", "losses", "liquidations"]),
]
BEGIN = "<!-- sensitivity:begin -->"
END = "<!-- sensitivity:end -->"


def block(binary, spec, outcomes):
    args = ["sensitivity", spec, "--top", "5"]
    for o in outcomes:
        args += ["--outcome", o]
    start = time.monotonic()
    done = subprocess.run([binary] + args, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.stderr.write(f"sensitivity-tables.py: {spec}: {done.stderr.strip()}\n")
        sys.exit(1)
    shown = ["--outcome " + o for o in outcomes]
    head = f"$ domino sensitivity {spec} --top 5 " + " ".join(shown[:3])
    tail = " ".join(shown[3:])
    command = head + (" \\\n    " + tail if tail else "") + f"   # [{seconds:.2f} s]"
    return "```\n" + command + "\n" + done.stdout.rstrip("\n") + "\n```\n"


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--update"):
        sys.stderr.write("sensitivity-tables.py: usage: sensitivity-tables.py BIN [--update FILE]\n")
        return 2
    binary = os.path.abspath(argv[1])
    text = "\n".join(block(binary, spec, outcomes) for spec, outcomes in RUNS)
    if len(argv) == 2:
        sys.stdout.write(text)
        return 0
    return replace_block(argv[3], BEGIN, END, text, "sensitivity-tables.py")

if __name__ == "__main__":
    sys.exit(main(sys.argv))
