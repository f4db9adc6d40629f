#!/usr/bin/env bash
# Shards and merge: the K-th of N slices of a grid run into folders of their own; `bsweep merge` joins them into
# the results a single run gives (timings aside), refuses folders of another grid, reports runs recorded twice or
# missing, and leaves a folder that `bsweep run` resumes.
. "$(dirname "$0")/lib.sh"
same() { python3 tests/cli/same_results.py "$1" "$2"; }

"$BSWEEP" run experiments/quick.json -o "$WORK/whole" -q || fail "the whole grid"
total=$(rows "$WORK/whole/runs.csv")
for k in 1 2 3; do
  capture "$BSWEEP" run experiments/quick.json --shard $k/3 -o "$WORK/s$k"
  check '[ "$code" = 0 ]' "shard $k/3 runs"
  check 'grep -q "in shard $k/3" "$WORK/out"' "shard $k/3 says which shard it ran"
done
check '[ $(( $(rows "$WORK/s1/runs.csv") + $(rows "$WORK/s2/runs.csv") + $(rows "$WORK/s3/runs.csv") )) = "$total" ]' \
  "the three shards hold every run of the grid"
check '[ -z "$(cat "$WORK"/s*/runs.csv | cut -d, -f1 | grep -v run_id | sort | uniq -d)" ]' "no run is in two shards"
check 'grep -q "\"shard\": \"2/3\"" "$WORK/s2/manifest.json"' "a shard's manifest names it"
capture "$BSWEEP" run experiments/quick.json --shard 2/3 -o "$WORK/s2"
check '[ "$code" = 0 ] && grep -q "0 ran now" "$WORK/out"' "a finished shard rerun runs nothing"
capture "$BSWEEP" run experiments/quick.json --shard 1/3 -o "$WORK/s2"
check '[ "$code" = 2 ] && grep -q "holds shard 2/3" "$WORK/err"' "a shard's folder refuses another shard (exit 2)"
capture "$BSWEEP" run experiments/quick.json --shard 4/3 -o "$WORK/bad"
check '[ "$code" = 2 ] && grep -q "K/N" "$WORK/err" && [ ! -e "$WORK/bad" ]' "--shard 4/3 is refused, nothing written"

capture "$BSWEEP" merge "$WORK/merged" "$WORK/s1" "$WORK/s2" "$WORK/s3"
check '[ "$code" = 0 ] && grep -q "$total of the grid.s $total runs recorded" "$WORK/out"' "merge joins the shards"
check 'same "$WORK/whole" "$WORK/merged"' "the merged shards equal the whole grid's results, bit for bit"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/merged"
check '[ "$code" = 0 ] && grep -q "0 ran now, $total already recorded" "$WORK/out"' "a merged folder resumes: nothing to run"

# Missing runs: a merge of two shards, completed by a run.
capture "$BSWEEP" merge "$WORK/partial" "$WORK/s1" "$WORK/s3"
missing=$(rows "$WORK/s2/runs.csv")
check '[ "$code" = 0 ] && grep -q "$missing runs missing" "$WORK/out"' "merge reports the runs no folder holds"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/partial" -q
check '[ "$code" = 0 ] && same "$WORK/whole" "$WORK/partial"' "bsweep run completes a partial merge to the whole grid's results"

# Runs recorded twice: one row each, and a warning.
capture "$BSWEEP" merge "$WORK/twice" "$WORK/s1" "$WORK/whole"
check '[ "$code" = 0 ] && grep -q "recorded more than once" "$WORK/out"' "merge reports runs recorded twice"
check '[ "$(rows "$WORK/twice/runs.csv")" = "$total" ] && same "$WORK/whole" "$WORK/twice"' "each run keeps one row"

# Refusals: another grid, a folder with results as OUT, a folder that is not a results folder.
"$BSWEEP" run tests/data/compare_lr_0.01.json -o "$WORK/other" -q
capture "$BSWEEP" merge "$WORK/mixed" "$WORK/s1" "$WORK/other"
check '[ "$code" = 2 ] && grep -q "different grid" "$WORK/err" && [ ! -e "$WORK/mixed/runs.csv" ]' \
  "folders of different grids are refused (exit 2), nothing written"
capture "$BSWEEP" merge "$WORK/s1" "$WORK/s2"
check '[ "$code" = 2 ] && grep -q "holds results already" "$WORK/err"' "OUT with results of its own is refused"
mkdir -p "$WORK/empty"
capture "$BSWEEP" merge "$WORK/m2" "$WORK/empty"
check '[ "$code" = 2 ] && grep -q "no manifest.json" "$WORK/err"' "a folder that holds no results is refused"
finish
