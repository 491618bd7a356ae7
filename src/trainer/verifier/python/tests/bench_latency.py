"""Per-candidate latency: ``serve`` (fork-server) vs a fresh ``python -m pytest`` per candidate.

Not a test (pytest does not collect it). Run from the repo root:
    python src/trainer/verifier/python/tests/bench_latency.py [--bwrap] [--rounds N]
Uses examples/python-basics; every task is verified with its original body. With --bwrap both
ways run inside bubblewrap (a fresh sandbox per fresh-pytest run; one long-lived sandbox for
serve). Prints medians; run it when the machine is quiet, numbers are ratios, not promises."""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from rlvr_verify.source_index import SourceIndex  # noqa: E402
from verify_builders import PACKAGE_ROOT, ServeClient, Workspace, cli_env  # noqa: E402

EXAMPLE = HERE.parents[4] / "examples" / "python-basics"


def bwrap_prefix(workspace: Path) -> list:
    prefix = Path(sys.base_prefix).resolve()
    return ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--ro-bind", str(prefix), str(prefix), "--ro-bind", str(workspace), "/ws",
            "--ro-bind", str(PACKAGE_ROOT), "/rlvr/verify", "--chdir", "/ws", "--clearenv",
            "--setenv", "PATH", "/usr/bin", "--setenv", "PYTHONPATH", "/rlvr/verify"]


def tasks():
    mined = Workspace(EXAMPLE).run_json("mine")
    funcs = {f"{f['file']}::{f['symbol']}": f for f in mined["functions"]}
    mapped = {}
    for test_id, callees in mined["calls"].items():
        for callee in callees:
            mapped.setdefault(callee, []).append(test_id)
    out = []
    for key, tests in sorted(mapped.items()):
        fn = funcs[key]
        index = SourceIndex((EXAMPLE / fn["file"]).read_text())
        site = index.find(fn["symbol"])
        out.append((fn["file"], fn["symbol"], "".join(index.lines[site.def_line - 1:site.end_line]), tests))
    return out


def fresh_pytest(tests, use_bwrap: bool):
    """(wall seconds, CPU seconds) of one fresh pytest process."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    if use_bwrap:
        cmd = bwrap_prefix(EXAMPLE) + cmd
    cpu_before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(cmd, cwd=EXAMPLE, env=cli_env(), capture_output=True, check=False)
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pid: int) -> float:
    """utime + stime + reaped children's times of ``pid`` (the server waits for its children)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bwrap", action="store_true")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fresh-every", type=int, default=4, help="time fresh pytest on every Nth task")
    args = parser.parse_args()
    work = tasks()
    started = time.perf_counter()
    if args.bwrap:
        client = ServeClient(EXAMPLE, "--reap-namespace", prefix=bwrap_prefix(EXAMPLE))
    else:
        client = ServeClient(EXAMPLE)
    startup = time.perf_counter() - started
    serve_times, fresh_times, fresh_cpu, server_seconds = [], [], [], []
    server_pid = _server_pid(client, args.bwrap)
    serve_cpu = 0.0
    try:
        for _ in range(args.rounds):
            for position, (file, symbol, body, tests) in enumerate(work):
                cpu_before = _process_cpu(server_pid)
                t0 = time.perf_counter()
                reply = client.verify(file, symbol, body, tests)
                serve_times.append(time.perf_counter() - t0)
                serve_cpu += _process_cpu(server_pid) - cpu_before
                server_seconds.append(reply["seconds"])
                assert reply["status"] == "ok" and not reply["flags"], reply
                if position % args.fresh_every == 0:
                    wall, cpu = fresh_pytest(tests, args.bwrap)
                    fresh_times.append(wall)
                    fresh_cpu.append(cpu)
    finally:
        client.close()
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.1f} ms, p90 {sorted(xs)[int(len(xs) * 0.9)] * 1000:.1f} ms (n={len(xs)})"
    print(json.dumps({"bwrap": args.bwrap, "tasks": len(work), "serve_startup_s": round(startup, 3),
                      "collect_seconds": client.ready["collect_seconds"]}))
    print("serve round trip :", ms(serve_times))
    print("serve (in server):", ms(server_seconds))
    print("fresh pytest     :", ms(fresh_times))
    per_serve_cpu = serve_cpu / len(serve_times)
    print(f"speed-up, wall (median): {statistics.median(fresh_times) / statistics.median(serve_times):.1f}x")
    if args.bwrap:   # bwrap's PID-namespace init hides the sandboxed CPU time from getrusage
        print(f"CPU per candidate: serve {per_serve_cpu * 1000:.1f} ms, fresh n/a under bwrap")
        return
    print(f"CPU per candidate: serve {per_serve_cpu * 1000:.1f} ms, fresh {statistics.mean(fresh_cpu) * 1000:.1f} ms"
          f" ({statistics.mean(fresh_cpu) / per_serve_cpu:.1f}x)")


def _server_pid(client, in_bwrap: bool) -> int:
    """The python server process (inside bwrap it is a child of the bwrap process)."""
    pid = client.proc.pid
    for _ in range(3):
        with open(f"/proc/{pid}/comm") as fh:
            if fh.read().strip().startswith("python"):
                return pid
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            pid = int(fh.read().split()[0])
    return pid


if __name__ == "__main__":
    main()
