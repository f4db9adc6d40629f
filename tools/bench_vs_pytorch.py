#!/usr/bin/env python3
"""Benchmark: bsweep against plain PyTorch on the same runs, four ways side by side.

    /usr/bin/python3 tools/bench_vs_pytorch.py [--grid experiments/bench_small.json] [--grid experiments/default.json]
                                               [--bsweep build/bsweep] [--repeat 3]

For each grid (default: experiments/bench_small.json, then experiments/default.json) it runs
  pytorch      tools/reference.py, one run at a time, in one process (-j 1) and in two processes (-j 2: halves)
  solo -j 1    bsweep --no-batching -j 1: every run alone, one worker
  batched -j 1 bsweep -j 1: runs that differ only in seed, lr and momentum train together in cohorts
  batched -j 2 bsweep -j 2
all with one intra-op thread per process, and prints: time per optimizer step of one run at batch size 1 and at full
batch (median over runs; for a cohort, its time per run-step, the cohort's step divided by its size), whole-sweep
wall time, peak resident memory, and every ratio against PyTorch. Before the grids: the start-up of a job
(100 one-step runs, -j 1, alone) and of a command that trains nothing (bsweep schema). Wall times are the best of
--repeat runs. The PyTorch side retrains from the solo sweep's runs.csv, evaluates the same curve points (the loss
and accuracy over the whole training and test sets) and checks its weights (tools/reference.py --curves); it writes
no results files.
A benchmark, not a test: it asserts nothing.
"""
import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(commands):
    """Runs commands at once; returns the wall time until the last ends and the largest peak RSS (wait4) of any."""
    started = time.perf_counter()
    children = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    peak = 0
    for child in children:
        _, status, usage = os.wait4(child.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"{' '.join(commands[0][:3])} ... failed with exit status {code}: {child.stderr.read().decode()}")
        peak = max(peak, usage.ru_maxrss * 1024)
    return time.perf_counter() - started, peak


def best(repeat, make_commands):
    """The best wall time of `repeat` runs (each given fresh commands), with that run's peak RSS."""
    return min((timed(make_commands(i)) for i in range(repeat)), key=lambda t: t[0])


def per_run_step(rows, task, batch):
    """Median over a task's runs at one batch size of train_s / iterations (in a cohort: its share per run)."""
    values = [float(r["train_s"]) / int(r["iterations"]) for r in rows
              if r["task"] == task and r["batch_size"] == batch and r["train_s"] and int(r["iterations"]) > 0]
    return statistics.median(values) if values else float("nan")


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def startup(bsweep, work, repeat):
    """Per-job start-up: (100 one-step runs - 1 one-step run) / 99, -j 1, each alone; and `bsweep schema`."""
    def grid(seeds):
        path = os.path.join(work, f"startup{seeds}.json")
        with open(path, "w") as f:
            json.dump({"name": "startup", "tasks": [{"type": "linear", "n_train": 10, "n_test": 0}],
                       "batch_sizes": ["full"], "lr": 0.01, "steps": 1, "seeds": list(range(seeds))}, f)
        return path
    times = {}
    for seeds in (1, 100):
        path = grid(seeds)
        times[seeds], _ = best(repeat, lambda i: [[bsweep, "run", path, "-o", os.path.join(work, f"s{seeds}-{i}"),
                                                  "-q", "-j", "1", "--threads", "1", "--no-batching"]])
    schema, _ = best(max(repeat, 5), lambda i: [[bsweep, "schema"]])
    return (times[100] - times[1]) / 99, times[100], schema


def sweep(bsweep, grid, work, repeat):
    """The four ways on one grid: {way: (wall_s, peak_rss, rows)}."""
    name = os.path.splitext(os.path.basename(grid))[0]
    out = {}
    ways = {"solo -j 1": ["-j", "1", "--no-batching"], "batched -j 1": ["-j", "1"], "batched -j 2": ["-j", "2"]}
    for way, flags in ways.items():
        folder = lambda i: os.path.join(work, f"{name}-{way.replace(' ', '')}-{i}")
        wall, rss = best(repeat, lambda i: [[bsweep, "run", grid, "-o", folder(i), "-q", "--threads", "1", *flags]])
        out[way] = (wall, rss, read_rows(os.path.join(folder(0), "runs.csv")))
    solo = os.path.join(work, f"{name}-solo-j1-0")
    timings = [os.path.join(work, f"{name}-pytorch-{k}.csv") for k in range(2)]
    reference = [sys.executable, os.path.join(HERE, "reference.py"), solo, "--threads", "1", "--curves"]
    one = best(repeat, lambda i: [reference + ["--timings", timings[0]]])
    two = best(repeat, lambda i: [reference + ["--shard", f"{k}/2", "--timings", timings[1] + str(k)] for k in range(2)])
    solo_rows = {r["run_id"]: r for r in out["solo -j 1"][2]}
    pytorch_rows = []
    for r in read_rows(timings[0]):  # the timings with the run's task and batch size, for per_run_step
        row = dict(solo_rows[r["run_id"]])
        row.update(train_s=r["train_s"], iterations=r["iterations"])
        pytorch_rows.append(row)
    out["pytorch -j 1"] = (one[0], one[1], pytorch_rows)
    out["pytorch -j 2"] = (two[0], two[1], pytorch_rows)
    return out


def cohort_sizes(rows):
    sizes = sorted({int(r["cohort_size"]) for r in rows if r.get("cohort_size")})
    return "/".join(str(s) for s in sizes)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", action="append", help="a grid (repeatable; default: bench_small and default)")
    parser.add_argument("--bsweep", default=os.path.join(HERE, "..", "build", "bsweep"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best counts (default 3)")
    args = parser.parse_args()
    grids = args.grid or [os.path.join(HERE, "..", "experiments", g) for g in ("bench_small.json", "default.json")]

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; one thread per process\n")
    with tempfile.TemporaryDirectory() as work:
        per_job, hundred, schema = startup(args.bsweep, work, args.repeat)
        print(f"start-up: a job {per_job * 1e3:.1f} ms (100 one-step runs, -j 1, alone: {hundred:.2f} s in all, "
              f"one LibTorch load included); `bsweep schema` {schema * 1e3:.1f} ms\n")
        ways = ["pytorch -j 1", "solo -j 1", "batched -j 1", "pytorch -j 2", "batched -j 2"]
        for grid in grids:
            results = sweep(args.bsweep, grid, work, args.repeat)
            rows = results["solo -j 1"][2]
            print(f"grid {os.path.relpath(grid)}: {len(rows)} runs; cohorts of {cohort_sizes(results['batched -j 1'][2])}")
            print(f"{'':36}" + "".join(f"{w:>14}" for w in ways))

            def line(label, values, unit, scale, against):
                cells = "".join(f"{v * scale:>11.2f}{unit:>3}" for v in values)
                ratios = "  ".join(f"{against[i] / v:.2f}x" if v else "-" for i, v in enumerate(values))
                print(f"{label:36}{cells}   vs pytorch: {ratios}")

            for task in sorted({r["task"] for r in rows}):
                for batch in ("1", "full"):
                    values = [per_run_step(results[w][2], task, batch) for w in ways]
                    if values[0] != values[0]:  # no such runs
                        continue
                    pytorch = [values[0], values[0], values[0], values[0], values[0]]
                    line(f"per run-step, {task}, batch {batch}", values, "us", 1e6, pytorch)
            walls = [results[w][0] for w in ways]
            line("whole sweep, wall", walls, "s", 1, [walls[0]] * 3 + [walls[3]] * 2)
            rss = [results[w][1] for w in ways]
            line("peak resident set (largest process)", rss, "MB", 1e-6, [rss[0]] * 3 + [rss[3]] * 2)
            print(f"{'-j 2 / -j 1 (batched)':36}{walls[2] / walls[4]:>11.2f}x\n")
    print("per run-step: median over runs of train_s / iterations (evaluation excluded on every side; a cohort's")
    print("train_s is its share of the cohort's time). Ratios: PyTorch's figure / this one (above 1: faster than")
    print("PyTorch); -j 2 ways against pytorch -j 2. Peak resident set: wait4's ru_maxrss of the largest process.")


if __name__ == "__main__":
    main()
