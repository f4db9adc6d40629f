#!/usr/bin/env python3
"""The property of issue 21: a results folder mutated at random is either read exactly as the unmutated one, or
refused with exit 2 naming the place (file:line), never read with a changed statistic.

usage: mutate_results.py BSWEEP FOLDER WORK COUNT SEED

FOLDER is a real results folder. Each mutation copies it to WORK/m, changes its runs.csv one way (a row
duplicated, rows reordered, a field edited, a number replaced by another spelling or value, the file cut inside a
row), and runs the readers (`table --format csv`, `compare FOLDER m --format csv`) on it. Deleting whole rows is
not a mutation here: a folder without a run's row is a sweep that has not run it, and the readers count it so.
Prints the tally and every violation; exits 1 on any.
"""
import csv
import io
import os
import random
import shutil
import subprocess
import sys

bsweep, folder, work, count, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
target = os.path.join(work, "m")


def readers(path):
    """(exit code, stdout, stderr) of each reader on the folder at `path`."""
    runs = []
    for args in (["table", path, "--format", "csv"], ["compare", folder, path, "--format", "csv"]):
        done = subprocess.run([bsweep] + args, capture_output=True, text=True, errors="replace")
        runs.append((done.returncode, done.stdout, done.stderr))
    return runs


def fresh():
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder, target, symlinks=True)


fresh()
reference = readers(target)
assert all(code == 0 for code, _, _ in reference), reference

text = open(os.path.join(folder, "runs.csv"), newline="").read()
rows = list(csv.reader(io.StringIO(text, newline="")))
header, body = rows[0], rows[1:]


def write(rows_out):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows_out)
    return out.getvalue()


def number_spelling(value):
    """Another text for the number `value`, or a value nothing should read as it."""
    choices = ["nan", "inf", "-inf", "1e400", "0x1p3", " 1.5", "+1", "", "1,5", "1.0e0", value + "0", "-" + value]
    try:
        choices.append(repr(float(value) * (1 + 1e-12)))
        choices.append(repr(float(value) + 1))
    except ValueError:
        pass
    return rng.choice(choices)


def mutate():
    kind = rng.choice(["duplicate", "reorder", "edit", "number", "cut"])
    new = [list(row) for row in body]
    if kind == "duplicate":
        new.insert(rng.randrange(len(new) + 1), list(rng.choice(body)))
        return kind, write([header] + new)
    if kind == "reorder":
        rng.shuffle(new)
        return kind, write([header] + new)
    r, c = rng.randrange(len(new)), rng.randrange(len(header))
    if kind == "edit":
        field = new[r][c]
        if field and rng.random() < 0.5:
            at = rng.randrange(len(field))
            field = field[:at] + rng.choice("0123456789.e-x`$(\"',\n ") + field[at + 1:]
        else:
            field = rng.choice(["", "ok", "diverged", "linear", "0", "1", field + field])
        new[r][c] = field
    else:  # number
        new[r][c] = number_spelling(new[r][c])
    whole = write([header] + new)
    if kind == "cut":
        # Inside a row, never at a line's end (before or after its line break): a file cut there holds whole rows,
        # and the rows cut off are runs not recorded (see above).
        original = write([header] + body)
        ends = {i + offset for i, ch in enumerate(original) if ch == "\n" for offset in (0, 1)}
        at = rng.choice([i for i in range(len(rows[0][0]) + 1, len(original)) if i not in ends])
        return kind, original[:at]
    return kind, whole


tally = {"same": 0, "refused": 0}
violations = []
for i in range(count):
    kind, mutated = mutate()
    fresh()
    with open(os.path.join(target, "runs.csv"), "w", newline="") as out:
        out.write(mutated)
    results = readers(target)
    if results == reference:
        tally["same"] += 1
        continue
    refused = all(code == 2 and "runs.csv:" in err and out == "" for code, out, err in results)
    if refused:
        tally["refused"] += 1
        continue
    violations.append((i, kind, [(code, err.strip()[:200]) for code, _, err in results]))
    shutil.copy(os.path.join(target, "runs.csv"), os.path.join(work, f"violation-{i}.csv"))

print(f"{count} mutations (seed {seed}): {tally['same']} read as the original, {tally['refused']} refused with "
      f"exit 2 and the place, {len(violations)} otherwise")
for i, kind, what in violations:
    print(f"  violation {i} ({kind}): {what}")
sys.exit(1 if violations else 0)
