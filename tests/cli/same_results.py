#!/usr/bin/env python3
"""Exit 0 when two results folders hold the same numbers, bit for bit, timing and memory aside.

    same_results.py FOLDER_A FOLDER_B

Every CSV both may have is compared as text, rows sorted (they arrive in completion order), without the columns
whose values are measured times or memory (they differ from run to run by nature). A folder's file that the other
lacks is a difference. Prints the first difference it finds.
"""
import csv
import os
import sys

VOLATILE = {"wall_s", "train_s", "epoch_s", "step_s", "samples_per_s", "seconds_to_target", "elapsed_s",
            "peak_tensor_bytes", "step_peak_tensor_bytes", "peak_rss_bytes", "process_peak_rss_bytes",
            "row_digest"}  # a digest of the row, timings included
FILES = ["runs.csv", "curves.csv", "weights.csv", "data.csv", "probes.csv"]


def table(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    keep = [i for i, name in enumerate(header) if name not in VOLATILE]
    return [header[i] for i in keep], sorted([row[i] for i in keep] for row in body)


def main(a, b):
    compared = 0
    for name in FILES:
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if os.path.exists(pa) != os.path.exists(pb):
            print(f"{name}: in only one of {a} and {b}")
            return 1
        if not os.path.exists(pa):
            continue
        (ha, ra), (hb, rb) = table(pa), table(pb)
        if ha != hb:
            print(f"{name}: the columns differ")
            return 1
        if len(ra) != len(rb):
            print(f"{name}: {len(ra)} rows against {len(rb)}")
            return 1
        for x, y in zip(ra, rb):
            if x != y:
                diff = [f"{h}: {u} != {v}" for h, u, v in zip(ha, x, y) if u != v]
                print(f"{name}: run {x[0]} differs: " + "; ".join(diff[:4]))
                return 1
        compared += len(ra)
    if compared == 0:
        print("no rows to compare")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
