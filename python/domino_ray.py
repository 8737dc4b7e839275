#!/usr/bin/env python3
"""Run a domino sweep plan on a Ray cluster, one task per shard, then merge.

    domino sweep plan SPEC --grid ... --seeds N --out DIR      # DIR/plan.json: the shards
    python python/domino_ray.py DIR                             # a local cluster on this machine
    python python/domino_ray.py DIR --address HOST:6379         # an existing cluster

Each task runs `domino sweep run-shard` as a subprocess on one CPU (with a memory hint) in a
temporary directory of its node, and returns the shard's database; the driver writes each one
to DIR/shards/ as it arrives (through a temporary name), with a progress bar and an ETA on a
terminal. A task whose `domino` process dies (killed, out of memory) or whose Ray worker dies is
retried (--retries); one that exits with domino's own error (1: bad data, 2: usage) is not, since
it would fail the same way again. Shards already in DIR/shards/ are skipped, so an interrupted
driver, run again, finishes the rest. At the end `domino sweep merge DIR` checks the shards
(spec hash, schema, every run exactly once, duplicates with equal state hashes) and writes
DIR/results.sqlite, the same content as `domino sweep` of the same plan on one machine.

How the binary and the spec reach the nodes (see README.md, "Sweeps on a Ray cluster"):
  --domino PATH     the binary at the same path on every node (a node image or a shared disk);
  --working-dir D   or ship directory D to every node with Ray's runtime environment: the
                    binary, the spec and its datasets inside it, given relative to D.
Exit status: 0 done; 1 a shard or the merge failed; 2 usage.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


class ShardKilled(RuntimeError):
    """The domino process of a shard died (a signal, out of memory): retried."""


class ShardFailed(RuntimeError):
    """domino reported an error for a shard (exit 1 or 2): not retried."""


def shard_path(plan_dir, k):
    return os.path.join(plan_dir, "shards", "shard-%05d.sqlite" % k)


def run_shard(plan_text, shard, domino, spec):
    """The task: one shard into a temporary directory of this node; returns its database's bytes."""
    work = tempfile.mkdtemp(prefix="domino-shard-%d-" % shard)
    try:
        with open(os.path.join(work, "plan.json"), "w") as f:
            f.write(plan_text)
        out = os.path.join(work, "shard.sqlite")
        command = [domino, "sweep", "run-shard", work, "--shard", str(shard), "--out", out, "--quiet"]
        if spec:
            command += ["--spec", spec]
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode in (1, 2):
            raise ShardFailed("shard %d: %s" % (shard, proc.stderr.strip() or "domino exited %d" % proc.returncode))
        if proc.returncode != 0:
            raise ShardKilled("shard %d: domino exited %d %s" % (shard, proc.returncode, proc.stderr.strip()))
        with open(out, "rb") as f:
            return shard, f.read()
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Progress:
    """One line on stderr: shards and runs done, rate, ETA (only on a terminal unless forced)."""

    def __init__(self, enabled, shards, runs, done_runs):
        self.enabled, self.shards, self.runs = enabled, shards, runs
        self.start, self.start_runs, self.last = time.monotonic(), done_runs, 0.0

    def update(self, shards_done, runs_done, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        width = 30
        filled = runs_done * width // max(self.runs, 1)
        text = "\rray [%s%s] %d/%d shards, %d/%d runs" % ("#" * filled, "." * (width - filled), shards_done,
                                                          self.shards, runs_done, self.runs)
        ran, elapsed = runs_done - self.start_runs, now - self.start
        if ran > 0 and elapsed > 0:
            rate = ran / elapsed
            eta = int(round((self.runs - runs_done) / rate))
            text += ", %.1f runs/s, ETA %d:%02d" % (rate, eta // 60, eta % 60)
        sys.stderr.write(text + "\x1b[K")
        sys.stderr.flush()

    def finish(self):
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def parse_args(argv):
    p = argparse.ArgumentParser(prog="domino_ray.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("plan_dir", help="the directory of `domino sweep plan --out DIR`")
    p.add_argument("--address", help="an existing cluster (HOST:PORT or ray://HOST:10001); default: start a local one")
    p.add_argument("--num-cpus", type=int, help="CPUs of the local cluster (default: all)")
    p.add_argument("--domino", default=None, help="the domino binary on the nodes (default: `domino` on PATH, "
                   "else .build/release/domino)")
    p.add_argument("--spec", help="the spec's path on the nodes (default: the plan's, made absolute unless --working-dir)")
    p.add_argument("--working-dir", help="ship this directory to every node (Ray runtime_env working_dir)")
    p.add_argument("--retries", type=int, default=3, help="retries of a shard whose process or worker died (default 3)")
    p.add_argument("--memory-mb", type=int, default=1024, help="memory to reserve per shard task, MiB (default 1024)")
    p.add_argument("--no-merge", action="store_true", help="stop when every shard is in DIR/shards/")
    p.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help="progress bar on stderr (auto: on a terminal)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    if args.retries < 0 or args.memory_mb < 1 or (args.num_cpus is not None and args.num_cpus < 1):
        p.error("--retries must be at least 0, --memory-mb and --num-cpus at least 1")
    return args


def fail(message, code=1):
    sys.stderr.write("domino_ray: %s\n" % message)
    return code


def resolve_domino(given, working_dir):
    """(the binary the tasks run, the binary the merge runs here)."""
    name = given or "domino"
    if working_dir and os.sep in name and not os.path.isabs(name):
        return name, os.path.join(working_dir, name)  # inside the shipped directory
    if os.sep in name:
        return os.path.abspath(name), os.path.abspath(name)
    found = shutil.which(name)
    if found:
        return found, found
    built = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "domino"))
    return built, built


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    plan_file = os.path.join(args.plan_dir, "plan.json")
    try:
        with open(plan_file) as f:
            plan_text = f.read()
        plan = json.loads(plan_text)
        shards = {s["shard"]: len(s["runs"]) for s in plan["shards"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        return fail("%s: not a sweep plan (%s); make one with `domino sweep plan`" % (plan_file, e), 2)
    domino, local_domino = resolve_domino(args.domino, args.working_dir)
    spec = args.spec or (plan["spec"] if args.working_dir else os.path.abspath(plan["spec"]))
    os.makedirs(os.path.join(args.plan_dir, "shards"), exist_ok=True)

    present = [k for k in shards if os.path.exists(shard_path(args.plan_dir, k))]
    todo = sorted(k for k in shards if k not in present)
    total_runs = sum(shards.values())
    done_runs = sum(shards[k] for k in present)
    print("%s: %d runs in %d shards: %d already present, %d to run"
          % (plan.get("specName", "?"), total_runs, len(shards), len(present), len(todo)), file=sys.stderr)

    if todo:
        import ray  # only when there is work for the cluster
        init = {"runtime_env": {"working_dir": args.working_dir}} if args.working_dir else {}
        if args.address:
            ray.init(address=args.address, logging_level="ERROR", log_to_driver=False, **init)
        else:
            ray.init(num_cpus=args.num_cpus, include_dashboard=False, logging_level="ERROR", log_to_driver=False, **init)
        task = ray.remote(run_shard).options(num_cpus=1, memory=args.memory_mb * 1024 * 1024,
                                             max_retries=args.retries, retry_exceptions=[ShardKilled])
        pending = [task.remote(plan_text, k, domino, spec) for k in todo]
        show = args.progress == "always" or (args.progress == "auto" and not args.quiet and sys.stderr.isatty())
        progress = Progress(show and args.progress != "never", len(shards), total_runs, done_runs)
        finished = len(present)
        try:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                try:
                    k, data = ray.get(ready[0])
                except Exception as e:  # a shard failed for good: the others are kept for a rerun
                    progress.finish()
                    cause = getattr(e, "cause", None) or e
                    return fail(str(cause).strip().splitlines()[-1] if str(cause).strip() else repr(cause))
                path = shard_path(args.plan_dir, k)
                temporary = "%s.tmp-%d" % (path, os.getpid())
                with open(temporary, "wb") as f:
                    f.write(data)
                os.replace(temporary, path)
                finished += 1
                done_runs += shards[k]
                progress.update(finished, done_runs, force=not pending)
        finally:
            progress.finish()
            ray.shutdown()
    if args.no_merge:
        return 0
    merged = subprocess.run([local_domino, "sweep", "merge", args.plan_dir])
    return 0 if merged.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
