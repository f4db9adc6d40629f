#!/usr/bin/env python3
"""Benchmark: the bsweep harness against plain PyTorch (tools/reference.py) on the same sweep.

    /usr/bin/python3 tools/bench_vs_pytorch.py [--grid experiments/bench.json] [--bsweep build/bsweep] [--threads 1]

Runs the grid with bsweep, then retrains every run with tools/reference.py (which also checks the weights
agree), and prints, side by side: time per optimizer step at batch size 1 and at full batch (median over
runs), the time in optimizer steps summed over the sweep, the whole-sweep wall time of each process, the
peak resident memory of each, and the ratios PyTorch / harness. A benchmark, not a test: nothing is asserted.
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command):
    """Runs a command; returns its wall time and its own peak resident set size in bytes (wait4's rusage)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{command[0]} failed with exit status {child.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", default=os.path.join(here, "..", "experiments", "bench.json"))
    parser.add_argument("--bsweep", default=os.path.join(here, "..", "build", "bsweep"))
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads for both (default 1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        results = os.path.join(work, "harness")
        # One worker, like the one PyTorch process; each run still starts a worker process of its own.
        harness_wall, harness_rss = timed([args.bsweep, "run", args.grid, "-o", results, "-q", "-j", "1",
                                           "--threads", str(args.threads)])
        timings = os.path.join(work, "pytorch.csv")
        pytorch_wall, pytorch_rss = timed([sys.executable, os.path.join(here, "reference.py"), results,
                                           "--timings", timings])
        with open(os.path.join(results, "runs.csv"), newline="") as f:
            runs = {row["run_id"]: row for row in csv.DictReader(f)}
        with open(timings, newline="") as f:
            reference = {row["run_id"]: row for row in csv.DictReader(f)}

    print(f"grid {args.grid}: {len(runs)} runs, {args.threads} thread(s), LibTorch the same on both sides\n")
    print(f"{'':34} {'harness':>12} {'pytorch':>12} {'pytorch/harness':>16}")

    def line(label, ours, theirs, unit, scale):
        ratio = theirs / ours if ours else float("nan")
        print(f"{label:34} {ours * scale:>10.2f}{unit:>2} {theirs * scale:>10.2f}{unit:>2} {ratio:>15.2f}x")

    for task in sorted({row["task"] for row in runs.values()}):
        for batch in ("1", "full"):
            ids = [i for i, r in runs.items() if r["task"] == task and r["batch_size"] == batch]
            if not ids:
                continue
            ours = statistics.median(float(runs[i]["step_s"]) for i in ids)
            theirs = statistics.median(float(reference[i]["step_s"]) for i in ids)
            line(f"step time, {task}, batch {batch}", ours, theirs, "us", 1e6)
    ours = sum(float(r["train_s"]) for r in runs.values())
    theirs = sum(float(r["train_s"]) for r in reference.values())
    line("optimizer steps, whole sweep", ours, theirs, "s", 1)
    line("process wall time, whole sweep", harness_wall, pytorch_wall, "s", 1)
    line("peak resident memory", harness_rss, pytorch_rss, "MB", 1e-6)
    print("\nstep time: median over the sweep's runs of train_s / iterations (evaluation excluded on both sides);")
    print("process wall time includes start-up (PyTorch: interpreter and `import torch` once; the harness: one")
    print("worker process per run, -j 1) and, for the harness, the per-epoch evaluation and the results files;")
    print("peak resident memory: wait4's ru_maxrss, the largest of the process and the children it waited for")
    print("(for the harness, its largest worker; each run's is in runs.csv, process_peak_rss_bytes).")


if __name__ == "__main__":
    main()
