#!/usr/bin/env python3
"""Tests of python/domino_ray.py on a local single-node Ray cluster that listens on loopback only.

    python python/test_domino_ray.py DOMINO_BINARY

Starts the cluster (2 CPUs, RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0: its node at 127.0.0.1), checks
that every socket its processes listen on is on loopback, then runs a small sweep of the 3AC /
Celsius episode through the driver and checks that:
  - the merged database equals a local `domino sweep` of the same plan, as a sorted dump;
  - killing a shard's domino process, and a Ray worker, mid-run still gives that result (retries);
  - an interrupted driver, run again, skips the shards it has and finishes with that result;
  - a shard built from another spec is refused at merge;
  - a spec changed since its plan fails every shard with domino's message, nothing written;
  - `domino sweep run-shard` killed mid-shard and rerun in place resumes to the same result.
The cluster and every process it started are stopped by process id at the end, also on failure.
The last line is `N passed, N failed`; the exit status is 1 when a test failed.
"""
import ipaddress
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DRIVER = os.path.join(HERE, "domino_ray.py")
SPEC = os.path.join(REPO, "replays", "3ac-celsius-2022.yaml")
GRID = ["--grid", "entities.Celsius.policy.rehypothecationCap=0,0.5", "--seeds", "4"]  # 8 runs, 4 baselines


def children():
    """pid -> parent pid of every process."""
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    table[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    return table


def descendants(root):
    table = children()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in table.items() if parent in frontier and pid not in found}
        found |= frontier
    return found


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def listening_sockets(pids):
    """`ss -ltnup` lines (TCP listening, UDP bound) of processes `pids`; from /proc where ss is missing."""
    if shutil.which("ss"):
        lines = subprocess.run(["ss", "-ltnupH"], stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()
        return [line for line in lines if any("pid=%d," % pid in line for pid in pids)]
    inodes = {}
    for pid in pids:
        try:
            for fd in os.listdir("/proc/%d/fd" % pid):
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            pass
    lines = []
    for kind in ("tcp", "tcp6", "udp", "udp6"):
        try:
            with open("/proc/net/" + kind) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            listening = fields[3] == ("0A" if kind.startswith("tcp") else "07")
            if listening and fields[9] in inodes:
                address, port = fields[1].split(":")
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    host = ".".join(str(b) for b in raw[::-1])
                else:
                    words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]
                    host = "[" + ipaddress.IPv6Address(b"".join(words)).compressed + "]"
                    if host.startswith("[::ffff:") and "." not in host:
                        host = "[::ffff:" + str(ipaddress.IPv6Address(b"".join(words)).ipv4_mapped) + "]"
                lines.append("%s LISTEN 0 0 %s:%d *:* pid=%d," % (kind, host, int(port, 16), inodes[fields[9]]))
    return lines


def alive(pid):
    """Running or sleeping (not exited, not a zombie): a process killed now is killed mid-run."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def dump(path):
    """Every row of every table, sorted."""
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    rows = []
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        columns = [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)]
        rows += [(table,) + r for r in db.execute("SELECT * FROM %s ORDER BY %s" % (table, ", ".join(columns)))]
    db.close()
    return rows


class Suite:
    def __init__(self, domino, work):
        self.domino, self.work = domino, work
        self.address = None
        self.seen = set()  # every process of the cluster seen, to stop at the end
        self.passed, self.failed = 0, 0

    def run(self, *command, check=True, **kw):
        proc = subprocess.run(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
        if check and proc.returncode != 0:
            raise AssertionError("%s exited %d: %s" % (" ".join(command), proc.returncode, proc.stderr.strip()))
        return proc

    def plan(self, name, spec=SPEC):
        path = os.path.join(self.work, name)
        self.run(self.domino, "sweep", "plan", spec, *GRID, "--shard-runs", "2", "--out", path)
        return path

    def driver(self, plan, *extra):
        return [sys.executable, DRIVER, plan, "--address", self.address, "--domino", self.domino, "--progress", "never", *extra]

    def cluster_processes(self):
        procs = descendants(os.getpid())
        new = procs - self.seen
        self.seen |= procs
        pidfile = os.environ.get("DOMINO_RAY_TEST_PIDFILE")
        if new and pidfile:  # for scripts/ray-tests.sh, should this process be killed before it stops them
            with open(pidfile, "a") as f:
                f.write("".join("%d\n" % p for p in sorted(new)))
        return procs

    def wait_for(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = predicate()
            if found:
                return found
            self.cluster_processes()
            time.sleep(0.005)
        raise AssertionError("timed out waiting for " + what)

    def shard_processes(self):
        return [pid for pid in self.cluster_processes() if "sweep run-shard" in cmdline(pid)]

    def test(self, name, body):
        started = time.monotonic()
        try:
            body()
            self.passed += 1
            print("PASS %s (%.1f s)" % (name, time.monotonic() - started), flush=True)
        except Exception:
            self.failed += 1
            print("FAIL %s\n%s" % (name, traceback.format_exc()), flush=True)

    # The tests

    def start(self):
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
        import ray
        info = ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
        self.address = ray.get_runtime_context().gcs_address
        nodes = ray.nodes()
        assert len(nodes) == 1, nodes
        assert nodes[0]["NodeManagerAddress"] == "127.0.0.1", nodes[0]["NodeManagerAddress"]
        assert self.address.startswith("127.0.0.1:"), self.address
        self.cluster_processes()
        print("cluster: node at %s, GCS %s, %s" % (nodes[0]["NodeManagerAddress"], self.address, info.address_info.get("node_ip_address")))

    def loopback_only(self):
        pids = self.cluster_processes()
        ours = listening_sockets(pids)
        assert ours, "no listening socket found for the cluster's processes %s" % sorted(pids)
        for line in ours:
            host = line.split()[4].rsplit(":", 1)[0]
            loopback = host in ("[::1]", "localhost") or host.startswith("127.") or host.startswith("[::ffff:127.")
            assert loopback, "listens beyond loopback: " + line
        print("  %d listening sockets of %d cluster processes, all on loopback" % (len(ours), len(pids)))

    def merged_equals_local(self):
        local = os.path.join(self.work, "local")
        self.run(self.domino, "sweep", SPEC, *GRID, "--out", local, "--quiet", "--jobs", "2")
        self.expected = dump(os.path.join(local, "results.sqlite"))
        assert sum(1 for r in self.expected if r[0] == "runs") == 8
        plan = self.plan("plain")
        self.run(*self.driver(plan))
        assert sorted(os.listdir(os.path.join(plan, "shards"))) == ["shard-%05d.sqlite" % k for k in range(4)]
        assert dump(os.path.join(plan, "results.sqlite")) == self.expected

    def killed_worker(self):
        plan = self.plan("killed")
        driver = subprocess.Popen(self.driver(plan), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # A shard's domino process mid-run: SIGKILL. Then the Ray worker running another shard.
            first = self.wait_for(self.shard_processes, 120, "a run-shard process")[0]
            assert alive(first)
            os.kill(first, signal.SIGKILL)
            second = self.wait_for(lambda: [p for p in self.shard_processes() if p != first], 120, "another run-shard process")[0]
            worker = children().get(second)
            assert worker and "ray" in cmdline(worker).lower(), "the parent of %d is not a Ray worker: %s" % (second, cmdline(worker or 0))
            assert alive(second) and alive(worker)
            os.kill(worker, signal.SIGKILL)
            os.kill(second, signal.SIGKILL)
            out, err = driver.communicate(timeout=240)
        finally:
            if driver.poll() is None:
                driver.kill()
                driver.wait()
        assert driver.returncode == 0, err
        assert dump(os.path.join(plan, "results.sqlite")) == self.expected

    def interrupted_driver(self):
        plan = self.plan("interrupted")
        driver = subprocess.Popen(self.driver(plan), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        shards = os.path.join(plan, "shards")
        try:
            self.wait_for(lambda: any(n.endswith(".sqlite") for n in os.listdir(shards)), 120, "a first shard")
            running = self.shard_processes()
            driver.send_signal(signal.SIGKILL)
            driver.wait()
            for pid in running:  # their worker dies with the driver; a domino child may linger
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        finally:
            if driver.poll() is None:
                driver.kill()
                driver.wait()
        have = [n for n in os.listdir(shards) if n.endswith(".sqlite")]
        assert 1 <= len(have) < 4, have
        assert not os.path.exists(os.path.join(plan, "results.sqlite"))
        rerun = self.run(*self.driver(plan))
        assert ("%d already present, %d to run" % (len(have), 4 - len(have))) in rerun.stderr, rerun.stderr
        assert dump(os.path.join(plan, "results.sqlite")) == self.expected

    def foreign_shard(self):
        # The same grid over another spec: the episode with another recovery rate.
        with open(SPEC) as f:
            text = f.read()
        text = text.replace("../datasets/", os.path.join(REPO, "datasets") + "/")
        text = text.replace("flows/3ac-2022.zst", os.path.join(REPO, "replays", "flows", "3ac-2022.zst"))
        changed = re.sub(r"recoveryRate: [0-9]+%", "recoveryRate: 40%", text, count=1)
        assert changed != text, "the spec's recoveryRate line was not found (or already 40%)"
        text = changed
        other_spec = os.path.join(self.work, "other.yaml")
        with open(other_spec, "w") as f:
            f.write(text)
        other = self.plan("other", spec=other_spec)
        self.run(*self.driver(other, "--no-merge"))
        plan = self.plan("foreign")
        self.run(*self.driver(plan, "--no-merge"))
        os.replace(os.path.join(other, "shards", "shard-00001.sqlite"), os.path.join(plan, "shards", "shard-00001.sqlite"))
        merged = self.run(*self.driver(plan), check=False)
        assert merged.returncode == 1, merged.returncode
        assert "shard-00001.sqlite: a shard of another sweep (its spec hash differs from the plan's)" in merged.stderr, merged.stderr
        assert not os.path.exists(os.path.join(plan, "results.sqlite"))

    def run_shard_killed(self):
        # `domino sweep run-shard` itself killed mid-shard (no Ray): rerun in place, it resumes
        # its FILE.partial and the merge equals the local sweep.
        path = os.path.join(self.work, "killed-shard")
        self.run(self.domino, "sweep", "plan", SPEC, *GRID, "--shard-runs", "8", "--out", path)
        partial = os.path.join(path, "shards", "shard-00000.sqlite.partial")
        shard = subprocess.Popen([self.domino, "sweep", "run-shard", path, "--shard", "0", "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.wait_for(lambda: os.path.exists(partial), 60, "the shard's .partial file")
            time.sleep(0.05)
            assert shard.poll() is None, "run-shard finished before the kill"
            shard.send_signal(signal.SIGKILL)
            shard.wait()
        finally:
            if shard.poll() is None:
                shard.kill()
                shard.wait()
        assert os.path.exists(partial) and not os.path.exists(partial[:-len(".partial")])
        rerun = self.run(self.domino, "sweep", "run-shard", path, "--shard", "0")
        assert "8 runs:" in rerun.stdout, rerun.stdout
        again = self.run(self.domino, "sweep", "run-shard", path, "--shard", "0")
        assert "already complete" in again.stdout, again.stdout
        self.run(self.domino, "sweep", "merge", path)
        assert dump(os.path.join(path, "results.sqlite")) == self.expected

    def changed_spec(self):
        # A spec changed after its plan: every shard fails with domino's own error (exit 1),
        # which the driver reports without retrying, and nothing is written.
        other_spec = os.path.join(self.work, "other.yaml")
        plan = self.plan("changed", spec=other_spec)
        with open(other_spec) as f:
            text = f.read()
        with open(other_spec, "w") as f:
            changed = text.replace("recoveryRate: 40%", "recoveryRate: 50%")
            assert changed != text, "other.yaml has no 'recoveryRate: 40%' line to change"
            f.write(changed)
        failed = self.run(*self.driver(plan), check=False)
        assert failed.returncode == 1, failed.returncode
        assert "the spec, its datasets or policy files changed since the plan" in failed.stderr, failed.stderr
        assert os.listdir(os.path.join(plan, "shards")) == []

    def stop(self):
        import ray
        self.cluster_processes()
        ray.shutdown()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(os.path.exists("/proc/%d" % p) for p in self.seen):
            time.sleep(0.1)
        left = [p for p in sorted(self.seen) if os.path.exists("/proc/%d" % p)]
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        print("cluster stopped (%d processes; %d killed by pid after shutdown)" % (len(self.seen), len(left)))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: test_domino_ray.py DOMINO_BINARY\n")
        return 2
    domino = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="domino-ray-test-")
    suite = Suite(domino, work)
    try:
        suite.test("cluster starts at 127.0.0.1", suite.start)
        if suite.failed == 0:
            suite.test("the cluster listens on loopback only", suite.loopback_only)
            suite.test("merged database equals a local sweep", suite.merged_equals_local)
            if suite.failed == 0:
                suite.test("a killed worker is retried to the same result", suite.killed_worker)
                suite.test("an interrupted driver, rerun, finishes the same", suite.interrupted_driver)
                suite.test("a shard from another spec is refused at merge", suite.foreign_shard)
                suite.test("run-shard killed mid-shard, rerun in place, merges the same", suite.run_shard_killed)
                suite.test("a spec changed since the plan fails with domino's message", suite.changed_spec)
                suite.test("still on loopback only", suite.loopback_only)
    finally:
        try:
            suite.stop()
        finally:
            subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (suite.passed, suite.failed))
    return 1 if suite.failed else 0


if __name__ == "__main__":
    sys.exit(main())
