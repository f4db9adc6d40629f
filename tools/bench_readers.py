#!/usr/bin/env python3
"""Times the readers of a results folder on a large runs.csv: compare, table, claims and report, wall time
(median of three) and peak memory (wait4's maxrss) of each, on ROWS rows of one configuration over ROWS seeds.

usage: tools/bench_readers.py BSWEEP ROWS [WORK]

The folder is made the way a sweep makes one: a real one-run sweep gives the row, `bsweep list` of a grid with
ROWS seeds gives every run's id, and each row is that row with its seed, id and digest (results/row_digest.h)
replaced, and its measures (losses, weights, times) scaled by a factor drawn for the row, so that the columns
of numbers hold ROWS distinct values as on a real folder; its digest is recomputed, so every reader's strict
check passes.
"""
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from row_digest import digest

bsweep, rows = sys.argv[1], int(sys.argv[2])
work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="bench-readers-")
grid = {"name": "big", "tasks": [{"type": "linear", "n_train": 50, "n_test": 20}], "batch_sizes": [10],
        "lr": 0.05, "epochs": 1, "seeds": [0]}


folder = os.path.join(work, "big")
if not os.path.exists(os.path.join(folder, "runs.csv")):
    json.dump(grid, open(os.path.join(work, "one.json"), "w"))
    subprocess.run([bsweep, "run", os.path.join(work, "one.json"), "-o", folder, "-q"], check=True)
    grid["seeds"] = list(range(rows))
    json.dump(grid, open(os.path.join(work, "big.json"), "w"))
    listing = subprocess.run([bsweep, "list", os.path.join(work, "big.json")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:-1]
    ids = [line.split()[1] for line in listing]
    table = list(csv.reader(open(os.path.join(folder, "runs.csv"), newline="")))
    header, template = table[0], table[1]
    at = {name: header.index(name) for name in ("run_id", "index", "seed", "row_digest")}
    measures = [c for c, name in enumerate(header)
                if (name.startswith("final_") or name in ("w", "b", "wall_s", "epoch_s", "samples_per_s"))
                and template[c] != ""]
    draw = random.Random(0)
    path = os.path.join(folder, "runs.csv")
    out = open(path + ".new", "w", newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for seed, run_id in enumerate(ids):
        row = list(template)
        row[at["run_id"]], row[at["index"]], row[at["seed"]] = run_id, str(seed), str(seed)
        for c in measures:
            row[c] = repr(float(template[c]) * draw.uniform(0.9, 1.1))
        row[at["row_digest"]] = digest(row, at["row_digest"])
        writer.writerow(row)
    out.close()
    os.replace(path + ".new", path)
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    manifest["grid"] = grid
    json.dump(manifest, open(os.path.join(folder, "manifest.json"), "w"))

    # Timed from a fresh interpreter: a child's peak memory counts the parent's at the fork (wait4's maxrss), and
    # this one holds the table it wrote.
    os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), bsweep, str(rows), work])

size = os.path.getsize(os.path.join(folder, "runs.csv"))
print(f"runs.csv: {rows} rows, {size / 1e6:.0f} MB ({folder})")
# Each command three times: this machine's timings vary by a second from run to run; the median is printed, with
# the fastest and slowest, and the largest peak memory.
for args in (["compare", folder, folder], ["table", folder], ["claims", folder],
             ["report", folder, "-o", os.path.join(work, "report.html")]):
    seconds, peaks, codes = [], [], set()
    for _ in range(3):
        start = time.time()
        child = subprocess.Popen([bsweep] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        seconds.append(time.time() - start)
        peaks.append(usage.ru_maxrss / 1024)
        codes.add(os.waitstatus_to_exitcode(status))
    seconds.sort()
    print(f"{args[0]:8} {seconds[1]:6.2f} s (of {seconds[0]:.2f}-{seconds[2]:.2f})  {max(peaks):5.0f} MiB peak  "
          f"exit {','.join(map(str, sorted(codes)))}")
