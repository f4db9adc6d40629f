#!/usr/bin/env bash
# `bsweep list` and `bsweep run` on the quick grid: the files, their rows, the manifest, and a rerun.
. "$(dirname "$0")/lib.sh"

capture "$BSWEEP" list experiments/quick.json
check '[ $code -eq 0 ]' "list exits 0"
runs=$(tail -n 1 "$WORK/out" | cut -d' ' -f1)
check '[ "$runs" -gt 0 ]' "list counts the runs ($runs)"
check '[ ! -e results/quick-from-list ]' "list writes nothing"
check 'tail -n 1 "$WORK/out" | grep -q "^12 runs in 6 jobs (6 cohorts)$"' "list says how the runs group into cohorts"
check '[ "$(grep -c "03832f897e1b (2)$" "$WORK/out")" -eq 2 ]' "and which cohort each run trains in"

# Only the worker loads LibTorch: the command itself, which trains nothing, does not even link it.
check '! ldd "$BSWEEP" | grep -q "libtorch"' "bsweep does not link LibTorch"
check 'ldd "$(dirname "$BSWEEP")/bsweep-worker" | grep -q "libtorch"' "bsweep-worker does"
mkdir -p "$WORK/alone" && cp "$BSWEEP" "$WORK/alone/"
capture "$WORK/alone/bsweep" run experiments/quick.json -o "$WORK/alone/results"
check '[ $code -eq 2 ] && grep -q "cannot open the training program .*bsweep-worker" "$WORK/err" && [ ! -e "$WORK/alone/results" ]' \
  "without its worker bsweep run says so, exit 2, and records nothing"

capture "$BSWEEP" run experiments/quick.json -o "$WORK/quick"
check '[ $code -eq 0 ]' "run exits 0"
for file in runs.csv curves.csv weights.csv data.csv manifest.json; do
  check '[ -s "$WORK/quick/$file" ]' "run writes $file"
done
check '[ "$(grep -c "^[0-9a-f]\{12\}," "$WORK/quick/runs.csv")" -eq "$runs" ]' "runs.csv has one row per run"
check '[ "$(grep -c ",ok," "$WORK/quick/runs.csv")" -eq "$runs" ]' "every run is ok"
check 'grep -q "\"libtorch_version\"" "$WORK/quick/manifest.json"' "manifest names the LibTorch version"
check 'grep -q "\"finished_at\": \"" "$WORK/quick/manifest.json"' "manifest has an end time"
check 'grep -q "\"batch_sizes\"" "$WORK/quick/manifest.json"' "manifest holds the grid"
check '[ "$(grep -c "\[.*/$runs\]" "$WORK/out")" -eq "$runs" ]' "one progress line per run"

cp "$WORK/quick/weights.csv" "$WORK/weights.before"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/quick"
check '[ $code -eq 0 ]' "a rerun exits 0"
check 'grep -q "$runs ok, 0 failed (0 ran now, $runs already recorded)" "$WORK/out"' "a rerun skips the recorded runs"
check 'cmp -s "$WORK/weights.before" "$WORK/quick/weights.csv"' "a rerun leaves the results as they were"

# A run killed between its curve rows and its runs.csv row leaves orphan rows; a rerun drops them.
echo "0123456789ab,1,10,0.5,0.5,,,,0.1,2.5,3.5,,," >>"$WORK/quick/curves.csv"
echo "0123456789ab,0.weight,0,1.5" >>"$WORK/quick/weights.csv"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/quick"
check '! grep -q "^0123456789ab," "$WORK/quick/curves.csv" "$WORK/quick/weights.csv"' "a rerun drops orphan rows"
check 'cmp -s "$WORK/weights.before" "$WORK/quick/weights.csv"' "and keeps every recorded run's rows"

# --force replaces another grid's results.
sed 's/"seeds": \[0, 1\]/"seeds": [7]/' experiments/quick.json >"$WORK/seven.json"
capture "$BSWEEP" run "$WORK/seven.json" -o "$WORK/quick" --force
check '[ $code -eq 0 ]' "--force runs another grid into the folder"
check '[ "$(grep -c "^[0-9a-f]\{12\}," "$WORK/quick/runs.csv")" -eq $((runs / 2)) ]' "and keeps only the new grid's runs"
finish
