#!/usr/bin/env python3
"""The row_digest of a runs.csv row (harness/results/row_digest.h), for the tools and tests that make rows.

    row_digest.py RUNS_CSV     recomputes the digest of every row, in place

Tests that make a folder as another machine would have written it (a run that diverged there, say) by editing a
real one reseal it so; without that, every reader refuses the edited rows, as it should.
"""
import csv
import sys


def digest(fields, skip):
    """16 hex digits of FNV-1a over the fields but `skip`, a unit separator after each."""
    h, mask = 14695981039346656037, (1 << 64) - 1
    for i, field in enumerate(fields):
        if i != skip:
            for byte in field.encode("utf-8", "surrogateescape") + b"\x1f":
                h = ((h ^ byte) * 1099511628211) & mask
    return "%016x" % h


def reseal(path):
    rows = list(csv.reader(open(path, newline="", encoding="utf-8", errors="surrogateescape")))
    skip = rows[0].index("row_digest")
    for row in rows[1:]:
        row[skip] = digest(row, skip)
    with open(path, "w", newline="", encoding="utf-8", errors="surrogateescape") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)


if __name__ == "__main__":
    reseal(sys.argv[1])
