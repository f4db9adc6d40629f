#!/usr/bin/env bash
# The notes' w/b table: experiments/notes_wb_table.json through `bsweep table` gives the notes' numbers to the
# printed two decimals (b at full batch: 3.91 where the notes print 3.19, marked), equals NumPy running the
# recipe itself to 1e-9, and equals the committed results/reference/notes_wb_table.csv to 1e-9.
. "$(dirname "$0")/lib.sh"
PYTHON=${BSWEEP_PYTHON:-/usr/bin/python3}

capture "$BSWEEP" run experiments/notes_wb_table.json -o "$WORK/notes"
check '[ $code -eq 0 ]' "the notes experiment runs"
capture "$BSWEEP" table "$WORK/notes"
cat "$WORK/out"
check '[ $code -eq 0 ]' "table exits 0"
check 'grep -q "| linear | 1 | stochastic | 1 | 2.7390 | 4.1933 | 2.74 | 4.19 |" "$WORK/out"' "batch 1: 2.74, 4.19"
check 'grep -q "| linear | 10 | mini-batch | 1 | 2.7863 | 4.2018 | 2.79 | 4.20 |" "$WORK/out"' "batch 10: 2.79, 4.20"
check 'grep -q "| linear | 50 | mini-batch | 1 | 2.6722 | 4.3243 | 2.67 | 4.32 |" "$WORK/out"' "batch 50: 2.67, 4.32"
check 'grep -q "| linear | full (100) | full batch | 1 | 2.9395 | 3.9135 | 2.94 | 3.19 ✗ |" "$WORK/out"' "full: 2.94, 3.91 with the notes' 3.19 marked"
check 'grep -q "| linear | least squares |  | 1 | 2.7701 | 4.2151 |" "$WORK/out"' "least squares: 2.77, 4.22"

"$BSWEEP" table "$WORK/notes" --format csv >"$WORK/table.csv" || fail "table --format csv"
"$PYTHON" tools/notes_recipe.py >"$WORK/numpy.csv" || fail "the NumPy recipe"
"$PYTHON" - "$WORK/table.csv" "$WORK/numpy.csv" results/reference/notes_wb_table.csv <<'PY' || fail "numbers differ"
import csv, sys
ours = {r["batch_size"]: r for r in csv.DictReader(open(sys.argv[1]))}
numpy = {r["batch_size"]: r for r in csv.DictReader(open(sys.argv[2]))}
reference = {r["batch_size"]: r for r in csv.DictReader(open(sys.argv[3]))}
names = {"1": "1", "10": "10", "50": "50", "100": "full", "least squares": "least squares"}
worst = 0.0
for size, row in numpy.items():
    for key in ("w", "b"):
        worst = max(worst, abs(float(row[key]) - float(ours[names[size]][key + "_mean"])))
print(f"largest |bsweep - NumPy recipe| = {worst:.3g}")
worst_reference = max(abs(float(reference[k][c]) - float(ours[k][c])) for k in reference for c in ("w_mean", "b_mean"))
print(f"largest |bsweep - results/reference/notes_wb_table.csv| = {worst_reference:.3g}")
sys.exit(0 if worst <= 1e-9 and worst_reference <= 1e-9 else 1)
PY
echo "ok: equal to NumPy's own run of the recipe and to the committed reference"
finish
