#!/usr/bin/env python3
"""Start-up time, idle memory and size of published gateway builds, measured without Docker.

For each published directory given (e.g. a plain and a ReadyToRun `dotnet publish` output), starts the gateway
`runs` times in front of one LocalPachd process (as in the pachd pod: pachd already up) and reports
  * the time from process start to the first successful S3 response (unsigned ListBuckets, auth off) and to /~/ready,
  * the CPU time (user + system) the process had used by that first response, which load from other work on the
    machine changes much less than the elapsed time (it counts the JIT compiler's work, which ReadyToRun saves),
  * the time and CPU time the first use of the main operations takes (CreateBucket, a 1 MiB PutObject, GetObject,
    ListObjectsV2, HeadObject, DeleteObject): code run for the first time, which the JIT compiles unless ReadyToRun did,
  * the resident set size after `idle` seconds without requests,
  * the size of the directory.
Variants are interleaved run by run, so load from other work on the machine falls on all of them alike.

usage: measure-startup.py [--runs N] [--idle SECONDS] NAME=PUBLISH_DIR ...
The LocalPachd of the first directory is used (every framework-dependent gateway publish carries LocalPachd.dll).
A directory without Gateway.Functions.dll is taken for a Native AOT publish and its executable is started.
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def wait_for(url, want, start, deadline=60.0):
    while time.monotonic() - start < deadline:
        if status(url) == want:
            return time.monotonic() - start
        time.sleep(0.005)
    raise SystemExit(f"{url} did not answer {want} within {deadline} s")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def request(method, url, body=None):
    req = urllib.request.Request(url, data=body, method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        return r.status


def first_operations(base, n):
    bucket = f"{base}/master.measure{n}"
    for method, url, body in [("PUT", bucket, None), ("PUT", bucket + "/a/b.bin", b"x" * (1 << 20)),
                              ("GET", bucket + "/a/b.bin", None), ("GET", bucket + "?list-type=2&prefix=a/", None),
                              ("HEAD", bucket + "/a/b.bin", None), ("DELETE", bucket + "/a/b.bin", None)]:
        if request(method, url, body) not in (200, 204):
            raise SystemExit(f"{method} {url} failed")


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def du_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def one_run(directory, pachd, idle):
    port = free_port()
    env = dict(os.environ, GATEWAY_PORT=str(port), PACHD_ADDRESS=pachd, GATEWAY_MODE="standalone")
    env.pop("ASPNETCORE_URLS", None)
    start = time.monotonic()
    dll = os.path.join(directory, "Gateway.Functions.dll")
    # A Native AOT publish has no assembly to hand to dotnet, only the executable.
    command = ["dotnet", dll] if os.path.exists(dll) else [os.path.join(directory, "Gateway.Functions")]
    proc = subprocess.Popen(command, cwd=directory, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first_s3 = wait_for(f"http://127.0.0.1:{port}/", 200, start)
        cpu = cpu_ms(proc.pid)
        ready = wait_for(f"http://127.0.0.1:{port}/~/ready", 200, start)
        ops_start = time.monotonic()
        cpu_before = cpu_ms(proc.pid)
        first_operations(f"http://127.0.0.1:{port}", port)
        ops = time.monotonic() - ops_start
        ops_cpu = cpu_ms(proc.pid) - cpu_before
        time.sleep(idle)
        rss = rss_kib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    return first_s3, ready, rss, cpu, ops, ops_cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--idle", type=float, default=5.0)
    parser.add_argument("variants", nargs="+", help="NAME=PUBLISH_DIR")
    args = parser.parse_args()
    variants = [v.split("=", 1) for v in args.variants]

    data = tempfile.mkdtemp(prefix="measure-pachd-")
    pachd_port = free_port()
    pachd = subprocess.Popen(["dotnet", os.path.join(variants[0][1], "LocalPachd.dll"), "--data", data, "--port", str(pachd_port)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = pachd.stdout.readline()
        if "listening" not in line:
            raise SystemExit(f"LocalPachd did not start: {line}")
        results = {name: [] for name, _ in variants}
        for i in range(args.runs):
            order = variants if i % 2 == 0 else list(reversed(variants))
            for name, directory in order:
                results[name].append(one_run(directory, f"grpc://127.0.0.1:{pachd_port}", args.idle))
        print(f"{'variant':<12} {'size MiB':>9} {'first S3 ms (median, min-max)':>32} {'ready ms':>9} {'CPU ms':>7} {'first ops ms':>13} {'ops CPU ms':>11} {'idle RSS MiB':>13}")
        for name, directory in variants:
            s3 = [r[0] * 1000 for r in results[name]]
            ready = [r[1] * 1000 for r in results[name]]
            rss = [r[2] / 1024 for r in results[name]]
            cpu = [r[3] for r in results[name]]
            ops = [r[4] * 1000 for r in results[name]]
            ops_cpu = [r[5] for r in results[name]]
            print(f"{name:<12} {du_bytes(directory) / 2**20:>9.1f} "
                  f"{statistics.median(s3):>14.0f} ({min(s3):.0f}-{max(s3):.0f})".ljust(55)
                  + f" {statistics.median(ready):>9.0f} {statistics.median(cpu):>7.0f} {statistics.median(ops):>13.0f} {statistics.median(ops_cpu):>11.0f} {statistics.median(rss):>13.1f}")
        print(f"({args.runs} runs each, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end)")
    finally:
        pachd.send_signal(signal.SIGTERM)
        pachd.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
