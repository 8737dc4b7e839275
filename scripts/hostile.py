#!/usr/bin/env python3
"""Hostile-input check of the domino binary (issue 13, section 7).

Generates inputs per category of issue 13, runs the binary on each under a timeout and a
memory limit (RLIMIT_AS, as `ulimit -v`), and classifies every result:

  clean      exit 1 or 2 with exactly one stderr line `domino: ...` (and the expected code)
  accepted   exit 0 where accepting is allowed (a valid input, a mutation that stays valid)
  crash      killed by a signal, a trap, or a backtrace / "Fatal error" on stderr
  hang       still running at the timeout
  silent     exit 0 on an input that must be refused (or a user's file changed)
  unclean    refused, but not as one `domino: ` line, or with the wrong exit code

Then the kill tests: `replay --out` and `sweep` are killed with SIGKILL at a few points; the
next run must complete and leave no partial file and no stray staging directory.

  scripts/hostile.py [--bin PATH] [--full] [--seed N] [--timeout S] [--mem-mb MB] [--keep DIR]

Short mode (default; what scripts/test.sh runs) tries a few random mutations per category; --full
tries many. Exit status 0 when crashes, hangs, silent acceptances and kill-test failures are all
0 (unclean errors are reported but do not fail the run), else 1.
"""
import argparse
import os
import random
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SPEC = """name: small
datasets: [data.zst]
window: {from: 2022-06-01, to: 2022-06-10}
seed: 7
cash: USDC
model: {halt: {horizon: 48h}, swapFee: 0, recoveryRate: 1, filingDelay: 0h, metricsInterval: 1d}
assets: {USDC: {}, ETH: {}}
entities:
  L: {role: lender, liquid: {USDC: 400}}
  F: {role: fund, liquid: {ETH: 0.4}}
cohorts:
  - {name: retail, platform: L, members: 1000, claims: {USDC: 1000}}
loans:
  - {lender: L, borrower: F, asset: USDC, amount: 600, notice: 72h}
"""


class Runner:
    def __init__(self, binary, timeout, mem_mb, work):
        self.binary, self.timeout, self.mem, self.work = binary, timeout, mem_mb * 1024 * 1024, work
        self.rows = {}  # category -> counts
        self.notes = []

    def limit(self):
        resource.setrlimit(resource.RLIMIT_AS, (self.mem, self.mem))
        os.setsid()

    def run(self, args, cwd=None, timeout=None):
        """(status, stdout, stderr, hung): status < 0 for a signal."""
        env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
        p = subprocess.Popen([self.binary] + args, cwd=cwd or self.work, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=self.limit, env=env)
        try:
            out, err = p.communicate(timeout=timeout or self.timeout)
            return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), True

    def count(self, category, outcome, label):
        row = self.rows.setdefault(category, {k: 0 for k in ["tried", "clean", "accepted", "crash", "hang", "silent", "unclean"]})
        row["tried"] += 1
        row[outcome] += 1
        if (outcome in ("crash", "hang", "silent", "unclean") or category == "kill tests") and len([n for n in self.notes if n[0] == category]) < 12:
            self.notes.append((category, outcome, label))

    def check(self, category, args, expect, cwd=None, label=None, code=None, intact=()):
        """expect: 'refuse' (must exit 1/2), 'accept' (must exit 0), 'any' (0 or a clean error).
        code: the exit code a refusal must have. intact: (path, bytes) that must be unchanged."""
        status, out, err, hung = self.run(args, cwd=cwd)
        label = label or " ".join(args)
        damaged = [p for p, before in intact if not os.path.exists(p) or open(p, "rb").read() != before]
        crashed = status is not None and (status < 0 or status > 2) or any(
            s in err for s in ("Fatal error", "Current stack trace", "internal error", "Illegal instruction", "Segmentation fault", "💣"))
        if hung:
            outcome = "hang"
        elif crashed:
            outcome = "crash"
            label += f"  [exit {status}: {err.strip().splitlines()[0][:160] if err.strip() else ''}]"
        elif damaged:
            outcome = "silent"
            label += f"  [changed: {', '.join(damaged)}]"
        elif status == 0:
            outcome = "silent" if expect == "refuse" else "accepted"
        else:
            lines = err.splitlines()
            one = len(lines) == 1 and lines[0].startswith("domino: ") and err.endswith("\n")
            right = code is None or status == code
            if one and right and expect != "accept":
                outcome = "clean"
            else:
                outcome = "unclean"
                label += f"  [exit {status}: {err.strip()[:160]!r}]"
        self.count(category, outcome, label)
        return outcome

    def table(self):
        cols = ["tried", "clean", "accepted", "crash", "hang", "silent", "unclean"]
        head = f"{'category':<22}" + "".join(f"{c:>10}" for c in cols)
        lines = [head, "-" * len(head)]
        total = {c: 0 for c in cols}
        for cat, row in self.rows.items():
            lines.append(f"{cat:<22}" + "".join(f"{row[c]:>10}" for c in cols))
            for c in cols:
                total[c] += row[c]
        lines.append("-" * len(head))
        lines.append(f"{'total':<22}" + "".join(f"{total[c]:>10}" for c in cols))
        return "\n".join(lines), total


def make_fixture(r, d):
    """The small episode: a spec and its log (built with `domino import`)."""
    os.makedirs(d, exist_ok=True)
    prices, events = ["time,price"], ["time,kind,entity,counterparty,asset,amount,aux"]
    start, end = 1653436800, 1654819200  # 2022-05-25 .. 2022-06-10
    eth = []
    for t in range(start, end + 1, 3600):
        iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        eth.append(f"{iso},{1000 if t >= 1654214400 else 2000}")
        prices.append(f"{iso},1")
    events.append("2022-06-01T12:00:00Z,withdrawal-request,retail,L,USDC,300,0")
    events.append("2022-06-02T12:00:00Z,withdrawal-request,retail,L,USDC,200,0")
    for name, text in [("usdc.csv", prices), ("eth.csv", ["time,price"] + eth), ("events.csv", events)]:
        with open(os.path.join(d, name), "w") as f:
            f.write("\n".join(text) + "\n")
    status, _, err, _ = r.run(["import", "--name", "small-data", "--out", "data.zst", "--entity", "L:lender",
                               "--entity", "retail:depositors", "--asset", "USDC:6", "--asset", "ETH:8",
                               "USDC=usdc.csv", "ETH=eth.csv", "events.csv", "--quiet"], cwd=d)
    if status != 0:
        sys.exit(f"hostile: cannot build the fixture log: {err.strip()}")
    with open(os.path.join(d, "small.yaml"), "w") as f:
        f.write(SPEC)
    return os.path.join(d, "small.yaml"), os.path.join(d, "data.zst")


def spec_variant(d, name, text):
    path = os.path.join(d, name + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def crash_classes(r, d):
    """Section 1: the classes that crashed, hung or ran out of memory."""
    S = SPEC
    cases = {
        "no-loans": ("any", S.split("loans:")[0].replace("L: {role: lender, liquid: {USDC: 400}}", "L: {role: lender, liquid: {USDC: 1000}}")),
        "48M-ETH": ("any", S.replace("F: {role: fund, liquid: {ETH: 0.4}}", "F: {role: fund, liquid: {ETH: 48000000}}")),
        "84M-tokens": ("any", S.replace("F: {role: fund, liquid: {ETH: 0.4}}", "F: {role: fund, liquid: {ETH: 84000000}}")),
        "huge-claims": ("any", S.replace("claims: {USDC: 1000}", "claims: {USDC: 90000000000}")),
        "10M-positions": ("any", S + "pools:\n  F:\n    threshold: 0.8\n    bonus: 0.05\n    closeFactor: 0.5\n    generate:\n"
                          "      - {count: 10000000, collateralAsset: ETH, debtAsset: USDC, collateral: [1, 2], ltv: [0.5, 0.7]}\n"),
        "metricsInterval-0h": ("refuse", S.replace("metricsInterval: 1d", "metricsInterval: 0h")),
        "closeFactor-0": ("refuse", S + "pools:\n  F:\n    threshold: 0.8\n    bonus: 0.05\n    closeFactor: 0\n    positions:\n"
                          "      - {owner: null, collateral: {ETH: 1}, debt: {USDC: 1500}}\n"),
        "window-9999": ("refuse", S.replace("to: 2022-06-10", "to: 9999-12-31")),
        "gate-0-0d": ("refuse", S.replace("L: {role: lender, liquid: {USDC: 400}}",
                                          "L: {role: lender, liquid: {USDC: 400}, policy: {withdrawalGate: {maxShare: 0, window: 0d}}}")),
    }
    for name, (expect, text) in cases.items():
        r.check("1 crash classes", ["replay", spec_variant(d, "c-" + name, text), "--quiet", "--json"], expect, label="replay " + name)
    # The same events the checker rejects, as a log replay applies them.
    for name, row in [("negative-withdrawal", "2022-06-01T12:00:00Z,withdrawal-request,retail,L,USDC,-5,0"),
                      ("zero-price", "2022-06-01T12:00:00Z,price,,,ETH,0,0"),
                      ("unknown-entity", "2022-06-01T12:00:00Z,withdrawal-request,nobody,L,USDC,5,0")]:
        sub = os.path.join(d, "ev-" + name)
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "events.csv"), "w") as f:
            f.write("time,kind,entity,counterparty,asset,amount,aux\n" + row + "\n")
        status, _, _, _ = r.run(["import", "--name", "x", "--out", "bad.zst", "--entity", "L:lender", "--entity", "retail:depositors",
                                 "--entity", "nobody:depositors", "--asset", "USDC:6", "--asset", "ETH:8", "events.csv", "--quiet"], cwd=sub)
        if status == 0:  # the importer let it through: readers must still refuse it
            spec = spec_variant(sub, "s", SPEC.replace("datasets: [data.zst]", f"datasets: [{os.path.join(d, 'data.zst')}, bad.zst]"))
            r.check("1 crash classes", ["replay", spec, "--quiet"], "refuse", label="replay with " + name)
            if name != "unknown-entity":  # an entity the log's header declares: only the spec does not know it
                r.check("1 crash classes", ["log", "cat", os.path.join(sub, "bad.zst")], "refuse", label="log cat " + name)
                r.check("1 crash classes", ["log", "info", os.path.join(sub, "bad.zst")], "refuse", label="log info " + name)
        else:
            r.count("1 crash classes", "clean", "import refused " + name)


def file_safety(r, d, spec):
    """Section 2: nothing a user owns is deleted or overwritten."""
    cat = "2 file safety"
    work = os.path.join(d, "own")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for name in ["small.yaml", "data.zst"]:
        shutil.copy(os.path.join(d, name), work)
    with open(os.path.join(work, "notes.txt"), "w") as f:
        f.write("mine\n")
    mine = [(os.path.join(work, n), open(os.path.join(work, n), "rb").read()) for n in ["small.yaml", "data.zst", "notes.txt"]]
    r.check(cat, ["replay", "small.yaml", "--out", ".", "--quiet"], "refuse", cwd=work, code=2, intact=mine, label="replay --out . (spec dir)")
    r.check(cat, ["replay", "small.yaml", "--out", "notes.txt", "--quiet"], "refuse", cwd=work, intact=mine, label="replay --out FILE")
    r.check(cat, ["replay", "small.yaml", "--out", ".", "--quiet", "--force"], "accept", cwd=work, intact=mine, label="replay --out . --force")
    r.check(cat, ["replay", "small.yaml", "--out", ".", "--quiet"], "refuse", cwd=work, intact=mine, label="replay --out . again (still foreign files)")
    r.check(cat, ["sweep", "small.yaml", "--seeds", "1", "--out", ".", "--quiet"], "refuse", cwd=work, code=2, intact=mine, label="sweep --out . (spec dir)")
    r.check(cat, ["import", "--name", "x", "--out", "notes.txt", "events.csv"], "refuse", cwd=d, label="import --out a foreign file")
    csv = os.path.join(d, "usdc.csv")
    r.check(cat, ["import", "--name", "x", "--out", csv, "USDC=" + csv], "refuse", code=2, intact=[(csv, open(csv, "rb").read())],
            label="import --out = its input")
    page = os.path.join(work, "page.html")
    with open(page, "w") as f:
        f.write("<p>mine</p>\n")
    r.check(cat, ["report", "small.yaml", "--out", "page.html", "--quiet"], "refuse", cwd=work, intact=[(page, b"<p>mine</p>\n")],
            label="report --out a foreign html")
    r.check(cat, ["replay", spec, "--out", os.path.join(d, "runs", "a"), "--quiet"], "accept", label="replay --out new dir")
    r.check(cat, ["replay", spec, "--out", os.path.join(d, "runs", "a"), "--quiet", "--set", "seed=9"], "accept", label="replay --out previous run")
    left = [n for n in os.listdir(os.path.join(d, "runs")) if n != "a"] + [n for n in os.listdir(os.path.join(d, "runs", "a")) if n.startswith(".")]
    r.count(cat, "silent" if left else "accepted", "stray staging after replays: " + ", ".join(left))


def bad_values(r, d):
    """Section 3: values that must be refused."""
    S = SPEC
    L = "L: {role: lender, liquid: {USDC: 400}}"
    cases = {
        "negative loan": S.replace("amount: 600", "amount: -600"),
        "negative claims": S.replace("claims: {USDC: 1000}", "claims: {USDC: -1000}"),
        "negative liquid": S.replace("liquid: {USDC: 400}", "liquid: {USDC: -400}"),
        "negative collateral": S.replace("notice: 72h}", "notice: 72h, collateral: {ETH: -1}}"),
        "negative depth": S.replace("ETH: {}", "ETH: {depth: -1}"),
        "negative creditLine": S.replace(L, "L: {role: lender, liquid: {USDC: 400}, creditLine: -5}"),
        "recoveryRate 200%": S.replace("recoveryRate: 1", "recoveryRate: 2"),
        "swapFee 150%": S.replace("swapFee: 0", "swapFee: 1.5"),
        "halt.tolerance -1": S.replace("horizon: 48h}", "horizon: 48h, tolerance: -1}"),
        "rehypothecationCap 5": S.replace(L, "L: {role: lender, liquid: {USDC: 400}, policy: {rehypothecationCap: 5}}"),
        "negative seniority": S.replace("notice: 72h}", "notice: 72h, seniority: -1}"),
        "members -1": S.replace("members: 1000", "members: -1"),
        "members 2^63-1": S.replace("members: 1000", "members: 9223372036854775807"),
        "empty name": S.replace("name: retail", 'name: ""'),
        "null name": S.replace("name: retail", "name: null"),
        "self-loan": S.replace("borrower: F", "borrower: L"),
        "cohort on a fund": S.replace("platform: L", "platform: F"),
        "below resolution": S.replace("amount: 600", "amount: 0.000000001"),
    }
    for name, text in cases.items():
        r.check("3 bad values", ["replay", spec_variant(d, "v-" + name.replace(" ", "_").replace("%", ""), text), "--quiet"], "refuse", label=name)


def usage_errors(r, d, spec):
    """Section 4: every command's usage errors exit 2 with one line."""
    out = os.path.join(d, "u-out")
    empty = os.path.join(d, "empty")
    os.makedirs(empty, exist_ok=True)
    cases = [
        ["frob"], ["replay"], ["replay", spec, "--bogus"], ["replay", os.path.join(d, "none.yaml")], ["replay", spec, "--set", "seed"],
        ["replay", spec, "--policy", "no-such-set"], ["replay", spec, "--checkpoint-every", "soon"], ["replay", spec, "--set", "nosuchkey=1"],
        ["verify", spec, "--bogus"], ["diff", spec, "--series", "many"], ["diff", os.path.join(d, "none.yaml")],
        ["report", spec], ["report", spec, "--out", "x.txt"], ["trace", spec], ["trace", spec, "--cohort", "retail", "--asset", "USDC", "--amount", "-1"],
        ["sweep", spec, "--out", out], ["sweep", spec, "--seeds", "0", "--out", out], ["sweep", spec, "--grid", "policy=nope", "--out", out],
        ["sweep", spec, "--grid", "nosuchkey=1,2", "--out", out], ["sweep", spec, "--seeds", "1", "--jobs", "0", "--out", out],
        ["sweep", "report"], ["sweep", "plan", spec, "--out", out], ["sweep", "run-shard", empty], ["sweep", "merge", "--bogus"],
        ["log", "info"], ["log", "cat", spec, "--format", "xml"], ["log", "check", "--bogus"], ["import", "--name", "x", "usdc.csv"],
        ["import", "--out", "x.zst", "--origin", "maybe", "usdc.csv"], ["bench", "sweep", "--runs", "many"],
    ]
    for args in cases:
        r.check("4 usage errors", args, "refuse", code=2)


def fifos(r, d, spec):
    """A FIFO given as any input must be refused without blocking."""
    fifo = os.path.join(d, "fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    fifo_spec = spec_variant(d, "fifo-data", SPEC.replace("datasets: [data.zst]", "datasets: [fifo]"))
    cases = [["replay", fifo], ["replay", fifo_spec, "--quiet"], ["log", "info", fifo], ["log", "cat", fifo], ["log", "check", fifo],
             ["import", "--name", "x", "--out", "f.zst", "USDC=" + fifo], ["import", "--name", "x", "--out", "f.zst", fifo],
             ["replay", spec, "--policy", fifo], ["replay", spec, "--resume", fifo], ["sweep", fifo, "--seeds", "1", "--out", "fifo-sweep"],
             ["import", "--out", "f.zst", "--manifest", fifo]]
    for args in cases:
        r.check("1 FIFOs", args, "refuse")


def mutated_logs(r, d, log, n, rng):
    data = open(log, "rb").read()
    spec = spec_variant(d, "mut-log", SPEC.replace("datasets: [data.zst]", "datasets: [mut.zst]"))
    for i in range(n):
        b = bytearray(data)
        kind = rng.choice(["flip", "flip", "zero", "truncate", "splice"])
        if kind == "flip":
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif kind == "zero":
            at = rng.randrange(len(b))
            b[at:at + rng.randint(1, 64)] = bytes(min(64, len(b) - at))
        elif kind == "truncate":
            b = b[:rng.randrange(len(b))]
        else:
            at = rng.randrange(len(b))
            b = b[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 32))) + b[at:]
        path = os.path.join(d, "mut.zst")
        with open(path, "wb") as f:
            f.write(bytes(b))
        label = f"log mutation {i} ({kind})"
        r.check("mutated logs", ["log", "check", path], "refuse", label=label + " check")
        r.check("mutated logs", ["log", "cat", path], "any", label=label + " cat")
        r.check("mutated logs", ["replay", spec, "--quiet"], "any", label=label + " replay")


SPEC_NOISE = ["-1", "0", "1e400", "99999999999999999999", "0.000000001", "-0", "nan", ".inf", "''", "null", "[]", "{}", "x",
              "&a [*a]", "!!binary AAAA", "2022-13-45", "1d1d", "\t", "'\\u0000'", "[" * 200 + "]" * 200, "é" * 300]


def mutated_specs(r, d, n, rng):
    lines = SPEC.splitlines()
    for i in range(n):
        m = list(lines)
        kind = rng.choice(["drop", "dup", "number", "noise", "swap", "indent"])
        k = rng.randrange(len(m))
        if kind == "drop":
            del m[k]
        elif kind == "dup":
            m.insert(k, m[k])
        elif kind == "number":
            digits = [j for j, c in enumerate(m[k]) if c.isdigit()]
            if digits:
                j = rng.choice(digits)
                m[k] = m[k][:j] + rng.choice(["9" * 25, "-", "0", "1e30", "."]) + m[k][j + 1:]
        elif kind == "noise":
            if ":" in m[k]:
                j = m[k].rindex(":")
                m[k] = m[k][:j + 1] + " " + rng.choice(SPEC_NOISE)
        elif kind == "swap":
            j = rng.randrange(len(m))
            m[k], m[j] = m[j], m[k]
        else:
            m[k] = " " * rng.randint(1, 5) + m[k]
        path = spec_variant(d, f"mut-spec", "\n".join(m) + "\n")
        r.check("mutated specs", ["replay", path, "--quiet"], "any", label=f"spec mutation {i} ({kind}): {m[k][:60] if k < len(m) else ''}")


SET_PATHS = ["seed", "window.to", "window.from", "model.swapFee", "model.metricsInterval", "model.halt.horizon", "model.recoveryRate",
             "entities.L.liquid.USDC", "entities.L.policy.rehypothecationCap", "entities.L.policy.withdrawalGate", "entities.F.role",
             "cohorts[0].members", "cohorts[0].claims.USDC", "cohorts[5].members", "loans[0].amount", "loans[0].notice", "loans[3].amount",
             "assets.ETH.depth", "nosuchkey", "entities.Nobody.liquid.USDC", "entities", "loans", "a..b", "[0]", "cohorts[-1].members"]
SET_VALUES = ["0", "1", "-1", "7", "0.5", "1e11", "99999999999999999999", "abc", "null", "[]", "{}", "24h", "0h", "-3d",
              "2022-06-05", "9999-12-31", "{maxShare: 0, window: 0d}", "{maxShare: 0.1, window: 1d}", "''", "[1, 2", "fund"]


def set_fuzz(r, spec, n, rng):
    for i in range(n):
        sets = []
        for _ in range(rng.randint(1, 3)):
            sets += ["--set", f"{rng.choice(SET_PATHS)}={rng.choice(SET_VALUES)}"]
        r.check("--set fuzz", ["replay", spec, "--quiet"] + sets, "any", label=" ".join(sets))
    for args in [["--set", "nosuchkey=1"], ["--set", "seed=abc"], ["--set", "loans[9].amount=1"], ["--set", "window.to=garbage"]]:
        r.check("--set fuzz", ["replay", spec, "--quiet"] + args, "refuse", label="must refuse " + " ".join(args))


def stray(path):
    """Staging names and partial files left in a directory tree."""
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            if ".domino-tmp-" in name or ".tmp-" in name or name.endswith(".partial") or ".merge-" in name or name == ".shards":
                found.append(os.path.relpath(os.path.join(dirpath, name), path))
    return found


def kill_tests(r, d, points):
    """SIGKILL a replay --out and a sweep at a few points; the next run must complete cleanly."""
    cat = "kill tests"
    spec = os.path.join(ROOT, "replays", "3ac-celsius-2022.yaml")
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
    for i, delay in enumerate(points):
        out = os.path.join(d, f"kill-run-{i}")
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out + ".checkpoints", ignore_errors=True)
        args = [r.binary, "replay", spec, "--out", out, "--quiet", "--checkpoint-every", "7d"]
        p = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(delay)
        p.kill()
        p.wait()
        # After the kill: the directory is absent, or holds only whole files (no half-written one in place).
        partial = os.path.exists(out) and any(not n.startswith(".") and os.path.getsize(os.path.join(out, n)) == 0 for n in os.listdir(out))
        before = stray(out) + stray(out + ".checkpoints") if os.path.exists(out) or os.path.exists(out + ".checkpoints") else []
        status, _, err, hung = r.run(["replay", spec, "--out", out, "--quiet", "--checkpoint-every", "7d"], cwd=ROOT, timeout=600)
        left = stray(out) + stray(out + ".checkpoints") + [n for n in os.listdir(d) if n.startswith(f"kill-run-{i}.tmp")]
        names = sorted(n for n in os.listdir(out)) if os.path.isdir(out) else []
        ok = status == 0 and not hung and not left and not partial and names == ["metrics.csv", "network.csv", "outcomes.zst", "run.json", "spec.resolved", "summary.json"]
        r.count(cat, "accepted" if ok else ("hang" if hung else "silent"),
                f"replay --out killed after {delay}s (left {len(before)} staging names): rerun exit {status}, stray after {left}, partial {partial}, files {names} {err.strip()[:120]}")
    for i, delay in enumerate(points):
        out = os.path.join(d, f"kill-sweep-{i}")
        shutil.rmtree(out, ignore_errors=True)
        args = ["sweep", spec, "--grid", "policy=none,no-rehypothecation", "--seeds", "2", "--jobs", "2", "--out", out, "--quiet"]
        p = subprocess.Popen([r.binary] + args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(delay * 2)
        p.kill()
        p.wait()
        before = stray(out) if os.path.exists(out) else []
        status, _, err, hung = r.run(args, cwd=ROOT, timeout=900)
        left = stray(out)
        done = None
        try:
            db = sqlite3.connect(f"file:{os.path.join(out, 'results.sqlite')}?mode=ro", uri=True)
            done = db.execute("SELECT count(*) FROM runs").fetchone()[0] + db.execute("SELECT count(*) FROM run_failures").fetchone()[0]
            db.close()
        except Exception as e:  # noqa: BLE001 - report whatever went wrong
            done = f"unreadable: {e}"
        ok = status == 0 and not hung and not left and done == 4
        r.count(cat, "accepted" if ok else ("hang" if hung else "silent"),
                f"sweep killed after {delay * 2}s (left {before}): rerun exit {status}, stray after {left}, runs stored {done} {err.strip()[:120]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=None)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--timeout", type=float, default=None)
    ap.add_argument("--mem-mb", type=int, default=4096)
    ap.add_argument("--keep", default=None, help="work in this directory and keep it")
    ap.add_argument("--no-kill", action="store_true", help="skip the kill tests")
    a = ap.parse_args()
    binary = a.bin or next((p for p in [os.path.join(ROOT, ".build/release/domino"), os.path.join(ROOT, ".build/debug/domino")] if os.path.exists(p)), None)
    if not binary:
        sys.exit("hostile: no binary: build first or give --bin")
    binary = os.path.abspath(binary)
    work = a.keep or tempfile.mkdtemp(prefix="domino-hostile-")
    os.makedirs(work, exist_ok=True)
    r = Runner(binary, a.timeout or (60 if a.full else 10), a.mem_mb, work)
    rng = random.Random(a.seed)
    n = 200 if a.full else 8
    started = time.time()
    spec, log = make_fixture(r, work)
    crash_classes(r, work)
    fifos(r, work, spec)
    file_safety(r, work, spec)
    bad_values(r, work)
    usage_errors(r, work, spec)
    mutated_logs(r, work, log, n, rng)
    mutated_specs(r, work, n * 2, rng)
    set_fuzz(r, spec, n * 2, rng)
    if not a.no_kill:
        kill_tests(r, work, [0.3, 1.0, 2.5] if a.full else [0.5])
    text, total = r.table()
    print(f"domino hostile inputs: {binary} ({'full' if a.full else 'short'}, seed {a.seed}, {time.time() - started:.0f}s)")
    print(text)
    if r.notes:
        print("\nExamples (at most 12 per category):")
        for cat, outcome, label in r.notes:
            print(f"  {cat:<20} {outcome:<8} {label[:230]}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if total["crash"] or total["hang"] or total["silent"] else 0


if __name__ == "__main__":
    sys.exit(main())
