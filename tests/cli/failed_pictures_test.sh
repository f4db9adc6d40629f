#!/usr/bin/env bash
# Pictures of a sweep that went wrong (issue 10, items 5, 6 and 12): a task none of whose runs ended ok gets a
# figure that says so and the report renders, failures first; a hand-edited task name is refused before
# anything is drawn; an unfinished sweep's report says how many runs remain; a log axis inside one decade
# has tic labels.
. "$(dirname "$0")/lib.sh"
PYTHON=${BSWEEP_PYTHON:-/usr/bin/python3}
echo '{"name":"mixedfate","tasks":[{"type":"linear","name":"calm","n_train":40,"n_test":10},{"type":"linear","name":"wild","n_train":40,"n_test":10,"x_range":[0,100]}],"batch_sizes":[1,"full"],"lr":0.05,"epochs":3,"seeds":[0,1]}' >"$WORK/g.json"
"$BSWEEP" run "$WORK/g.json" -o "$WORK/r" -q
check '[ "$(grep -c ",diverged," "$WORK/r/runs.csv")" -eq 4 ]' "every run of task wild diverges"
capture "$BSWEEP" plot "$WORK/r"
check '[ $code -eq 0 ]' "plot exits 0 with a task that has no ok run"
check '[ -f "$WORK/r/plots/wild_no_results.png" ] && [ -f "$WORK/r/plots/calm_loss_epoch.png" ]' "that task gets its no-results figure, the other its figures"
capture "$BSWEEP" plot "$WORK/r" --format svg -o "$WORK/svg"
check 'grep -q "wild: no run ended ok" "$WORK/svg/wild_no_results.svg" && grep -q "4 runs: 4 diverged" "$WORK/svg/wild_no_results.svg"' "the figure says what became of its runs"
capture "$BSWEEP" report "$WORK/r"
check '[ $code -eq 0 ]' "the report renders"
"$PYTHON" - "$WORK/r/report.html" <<'PY' && echo "ok: failures come before the sweep's facts and figures" || fail "failures first"
import sys
page = open(sys.argv[1]).read()
assert page.index("<h2>Failures</h2>") < page.index("<h2>Sweep</h2>") < page.index("<h2>Figures</h2>")
assert "This sweep is unfinished" not in page
PY

# Hand-edited names: a task called ../../ESCAPED is not a name a grid allows, so the folder is refused before
# anything is drawn, naming the line; nothing appears inside or outside it.
mkdir -p "$WORK/edited/deep/er" && cp "$WORK/r/"{runs.csv,curves.csv,manifest.json} "$WORK/edited/deep/er/"
sed -i 's/,calm,linear,/,..\/..\/ESCAPED,linear,/; s/,wild,linear,/,a\/..\/b,linear,/' "$WORK/edited/deep/er/runs.csv"
capture "$BSWEEP" plot "$WORK/edited/deep/er"
check '[ $code -eq 2 ] && grep -q "er/runs.csv:2: .*tasks\[0\].name: expected a name of letters" "$WORK/err"' "a hand-edited name is refused, naming the line"
check '[ -z "$(find "$WORK/edited" -name "*.png")" ] && [ ! -e "$WORK/edited/deep/er/plots" ]' "and nothing is drawn, inside the folder or out"
check '[ "$(wc -c <"$WORK/out")" -lt 2000 ] && ! grep -q "PNG" "$WORK/out"' "and no picture on standard output"

# An unfinished sweep: the report says so and counts what remains.
mkdir -p "$WORK/half" && cp "$WORK/r/"{runs.csv,curves.csv,manifest.json} "$WORK/half/"
head -3 "$WORK/r/runs.csv" >"$WORK/half/runs.csv"
"$PYTHON" -c "import json,sys; m=json.load(open(sys.argv[1])); m['finished_at']=None; json.dump(m, open(sys.argv[1],'w'))" "$WORK/half/manifest.json"
capture "$BSWEEP" report "$WORK/half"
check '[ $code -eq 0 ] && grep -q "This sweep is unfinished</strong>: 2 of its 8 runs are recorded, 6 to go" "$WORK/half/report.html"' "an unfinished sweep's report says how many runs remain"

# Losses within one decade on a log axis still carry tic labels.
"$BSWEEP" run experiments/quick.json -o "$WORK/quick" -q
"$BSWEEP" plot "$WORK/quick" --format svg -o "$WORK/qsvg" >/dev/null
"$PYTHON" - "$WORK/qsvg/spirals_loss_epoch.svg" <<'PY' && echo "ok: the spirals loss axis has tic labels" || fail "spirals tic labels"
import re, sys
svg = open(sys.argv[1]).read()
# y tic labels are the right-aligned numbers (x tics are centred); each of the two loss panels needs two or more.
ys = re.findall(r'text-anchor="end">\s*<text><tspan[^>]*>\s*([0-9][0-9.]*)\s*</tspan>', svg)
assert len(ys) >= 4, ys
print(ys)
PY

# A loss flat to the last bit (its spread a few ULPs) draws too: no endless search for tics.
mkdir -p "$WORK/flat" && cp "$WORK/quick/"{runs.csv,curves.csv,manifest.json} "$WORK/flat/"
"$PYTHON" - "$WORK/flat/curves.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for i, row in enumerate(rows):
    row["train_loss"] = repr(0.5 if i % 2 else 0.5000000000000001)
with open(sys.argv[1], "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=rows[0].keys(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
PY
capture timeout 120 "$BSWEEP" plot "$WORK/flat"
check '[ $code -eq 0 ]' "a flat loss plots (in time)"
finish
