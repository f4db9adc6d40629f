#!/usr/bin/env python3
"""Recomputes the row_digest of every row of a runs.csv (results/row_digest.h), in place.

    reseal_runs.py RUNS_CSV

For tests that make a folder as another machine would have written it (a run that diverged there, say) by
editing a real one: without this, every reader refuses the edited rows, as it should.
"""
import csv
import sys


def digest(fields, skip):
    h, mask = 14695981039346656037, (1 << 64) - 1  # FNV-1a, a unit separator after each field
    for i, field in enumerate(fields):
        if i != skip:
            for byte in field.encode("utf-8", "surrogateescape") + b"\x1f":
                h = ((h ^ byte) * 1099511628211) & mask
    return "%016x" % h


path = sys.argv[1]
rows = list(csv.reader(open(path, newline="", encoding="utf-8", errors="surrogateescape")))
skip = rows[0].index("row_digest")
for row in rows[1:]:
    row[skip] = digest(row, skip)
with open(path, "w", newline="", encoding="utf-8", errors="surrogateescape") as out:
    csv.writer(out, lineterminator="\n").writerows(rows)
