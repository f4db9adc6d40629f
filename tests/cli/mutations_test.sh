#!/usr/bin/env bash
# The property of issue 21: a results folder mutated at random (a row duplicated, rows reordered, a field edited,
# a number respelt or replaced, the file cut inside a row) is read by table and compare exactly as the original,
# or refused with exit 2 naming file and line; never read with a changed statistic. 300 mutations, a fixed seed.
. "$(dirname "$0")/lib.sh"
echo '{"name":"g","tasks":[{"type":"linear","n_train":50,"n_test":20},{"type":"linear","name":"wild","n_train":40,"n_test":10,"x_range":[0,100]}],"batch_sizes":[1,10,"full"],"lr":[0.05,0.01],"epochs":3,"seeds":[0,1,2]}' >"$WORK/g.json"
"$BSWEEP" run "$WORK/g.json" -o "$WORK/clean" -q
check '[ -s "$WORK/clean/runs.csv" ] && grep -q ",diverged," "$WORK/clean/runs.csv"' "a sweep with ok and diverged runs"
check 'python3 tests/cli/mutate_results.py "$BSWEEP" "$WORK/clean" "$WORK" 300 21' \
  "300 mutations: each read as the original or refused with the place"
finish
