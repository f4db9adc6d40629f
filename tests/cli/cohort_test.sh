#!/usr/bin/env bash
# Cohorts end to end: runs that differ only in seed, lr and momentum train together, and nothing a cohort does
# costs a run its own result.
. "$(dirname "$0")/lib.sh"
export BSWEEP_ENABLE_FAULT_TASK=1

# The largest relative difference between two folders' weights.csv (the same runs), and whether their runs.csv
# agree on everything but timing, memory and the cohort columns.
cat >"$WORK/agree.py" <<'PY'
import csv, sys
def weights(folder):
    with open(f"{folder}/weights.csv", newline="") as f:
        return {(r["run_id"], r["parameter"], r["index"]): float(r["value"]) for r in csv.DictReader(f)}
a, b = weights(sys.argv[1]), weights(sys.argv[2])
assert a.keys() == b.keys(), "different weights"
worst = max(abs(a[k] - b[k]) / max(abs(a[k]), abs(b[k]), 1e-300) for k in a)
print(f"{worst:.3g}")
PY
# Column `name` of runs.csv, one value per line, in run_id order.
column() { python3 -c "import csv,sys; print('\n'.join(r[sys.argv[2]] for r in sorted(csv.DictReader(open(sys.argv[1])), key=lambda r: r['run_id'])))" "$1/runs.csv" "$2"; }

# 1. -j 1, -j 2 and --no-batching agree: float64 within 1e-9; -j 1 and -j 2 train the same cohorts, bit for bit.
cat >"$WORK/grid.json" <<'EOF'
{"name": "cohorts", "tasks": [{"type": "linear", "n_train": 40, "n_test": 10},
                              {"type": "mlp", "name": "teacher", "data": "teacher", "n_train": 40, "n_test": 10, "hidden": [8]},
                              {"type": "mlp", "name": "spirals", "data": "spirals", "n_train": 40, "n_test": 10, "hidden": [8]}],
 "batch_sizes": [1, 10, "full"], "optimizer": [{"name": "sgd", "momentum": 0.9}, "adam"], "lr": [0.01, 0.02],
 "epochs": 2, "dtype": "float64", "seeds": [0, 1, 2]}
EOF
capture "$BSWEEP" run "$WORK/grid.json" -o "$WORK/j1" -j 1 -q
check '[ $code -eq 0 ]' "a batched sweep runs (-j 1)"
check '[ "$(column "$WORK/j1" cohort_size | sort -u)" = 6 ]' "every run trained in a cohort of 6 (2 lrs x 3 seeds)"
check 'python3 -c "import json,sys; m=json.load(open(sys.argv[1])); b=m[\"batching\"]; sys.exit(not (b[\"enabled\"] and len(b[\"cohorts\"]) == 18))" "$WORK/j1/manifest.json"' \
  "the manifest lists its 18 cohorts"
capture "$BSWEEP" run "$WORK/grid.json" -o "$WORK/j2" -j 2 -q
capture "$BSWEEP" run "$WORK/grid.json" -o "$WORK/alone" -j 2 -q --no-batching
check '[ "$(column "$WORK/alone" cohort_size | sort -u)" = 1 ] && [ -z "$(column "$WORK/alone" cohort | sort -u)" ]' \
  "--no-batching: every run alone"
check '[ "$(python3 "$WORK/agree.py" "$WORK/j1" "$WORK/j2")" = 0 ]' "-j 1 and -j 2: the same numbers, bit for bit"
gap=$(python3 "$WORK/agree.py" "$WORK/j1" "$WORK/alone")
check 'python3 -c "import sys; sys.exit(not float(sys.argv[1]) <= 1e-9)" "$gap"' "batched and alone agree within 1e-9 (float64: $gap)"
check '[ "$(column "$WORK/j1" final_train_loss | md5sum)" = "$(column "$WORK/j2" final_train_loss | md5sum)" ]' \
  "and -j 1 and -j 2 write the same losses"

# 1b. Every optimizer's options in a cohort: SGD with Nesterov and weight decay (momenta differing by replica),
# Adam with its betas and eps, AdamW; batched and alone agree within 1e-9 (float64).
cat >"$WORK/options.json" <<'EOF'
{"name": "options", "tasks": [{"type": "mlp", "name": "teacher", "data": "teacher", "n_train": 40, "n_test": 10, "hidden": [8]}],
 "batch_sizes": [1, 10], "lr": [0.01, 0.02], "epochs": 2, "dtype": "float64", "seeds": [0, 1],
 "optimizer": [{"name": "sgd", "momentum": 0.9, "nesterov": true, "weight_decay": 0.01},
               {"name": "sgd", "momentum": 0.5, "nesterov": true, "weight_decay": 0.01},
               {"name": "adam", "betas": [0.8, 0.99], "eps": 1e-6}, {"name": "adamw", "weight_decay": 0.1}]}
EOF
capture "$BSWEEP" run "$WORK/options.json" -o "$WORK/options" -q
check '[ $code -eq 0 ] && [ "$(column "$WORK/options" cohort_size | sort -u | tr "\n" " ")" = "4 8 " ]' \
  "runs that differ in lr, seed and momentum train together; other options split cohorts (sizes 8 and 4)"
capture "$BSWEEP" run "$WORK/options.json" -o "$WORK/options_alone" -q --no-batching
gap=$(python3 "$WORK/agree.py" "$WORK/options" "$WORK/options_alone")
check 'python3 -c "import sys; sys.exit(not float(sys.argv[1]) <= 1e-9)" "$gap"' \
  "and agree with the runs alone within 1e-9 (float64: $gap)"

# 2. A replica that diverges is recorded diverged; its cohort-mates finish ok.
echo '{"name":"mixed","tasks":[{"type":"linear","n_train":50,"n_test":10}],"batch_sizes":[5],"lr":[0.01,5.0,0.02],"epochs":4,"seeds":[0]}' >"$WORK/mixed.json"
capture "$BSWEEP" run "$WORK/mixed.json" -o "$WORK/mixed" -q
check '[ $code -eq 0 ] && [ "$(column "$WORK/mixed" status | sort | tr "\n" " ")" = "diverged ok ok " ]' \
  "a diverging replica: diverged, its two cohort-mates ok"

# 3. A cohort killed with SIGKILL: each of its runs runs again alone and is recorded once, ok.
echo '{"name":"slow","tasks":[{"type":"fault","mode":"sleep","seconds":0.5}],"batch_sizes":[10],"lr":0.01,"epochs":1,"seeds":[0,1,2]}' >"$WORK/slow.json"
"$BSWEEP" run "$WORK/slow.json" -o "$WORK/killed" -j 1 -q >"$WORK/out" 2>&1 &
parent=$!
child=""
for _ in $(seq 400); do  # until the worker server runs the cohort's job
  server=$(pgrep -P $parent -f "bsweep-worker --serve")
  [ -n "$server" ] && child=$(pgrep -P "$server" | head -1)
  [ -n "$child" ] && break
  sleep 0.05
done
[ -n "$child" ] && kill -9 "$child"
wait $parent
code=$?
check '[ $code -eq 0 ] && [ "$(rows "$WORK/killed/runs.csv")" -eq 3 ]' "the sweep goes on: 3 runs, exit 0"
check '[ "$(column "$WORK/killed" status | sort -u)" = ok ] && [ "$(column "$WORK/killed" cohort_size | sort -u)" = 1 ]' \
  "each run of the killed cohort ran again alone, ok"

# 4. Resume in the middle of a batched sweep (its parent killed): every run once, the numbers those of a whole sweep.
cat >"$WORK/long.json" <<'EOF'
{"name": "long", "tasks": [{"type": "mlp", "name": "teacher", "data": "teacher", "n_train": 200, "n_test": 10, "hidden": [16]}],
 "batch_sizes": [1], "lr": [0.01, 0.02], "epochs": 6, "dtype": "float64", "seeds": [0, 1, 2, 3, 4, 5, 6, 7],
 "max_cohort": 4}
EOF
setsid "$BSWEEP" run "$WORK/long.json" -o "$WORK/resumed" -j 1 -q >"$WORK/out" 2>&1 &
parent=$!
for _ in $(seq 600); do  # until the first cohort is recorded
  [ -f "$WORK/resumed/runs.csv" ] && [ "$(rows "$WORK/resumed/runs.csv")" -ge 4 ] && break
  sleep 0.05
done
kill -9 -- "-$parent"
wait $parent 2>/dev/null
before=$(rows "$WORK/resumed/runs.csv")
capture "$BSWEEP" run "$WORK/long.json" -o "$WORK/resumed" -j 1 -q
check '[ $code -eq 0 ] && [ "$before" -lt 16 ] && [ "$(rows "$WORK/resumed/runs.csv")" -eq 16 ] && [ "$(column "$WORK/resumed" run_id | sort -u | wc -l)" -eq 16 ]' \
  "killed after $before of 16 runs, the rerun records the rest, each once"
capture "$BSWEEP" run "$WORK/long.json" -o "$WORK/whole" -j 1 -q --no-batching
gap=$(python3 "$WORK/agree.py" "$WORK/resumed" "$WORK/whole")
check 'python3 -c "import sys; sys.exit(not float(sys.argv[1]) <= 1e-9)" "$gap"' "and agree with the runs alone within 1e-9 ($gap)"

# 5. Bad values for the cohort cap are refused with their place.
capture "$BSWEEP" run "$WORK/grid.json" -o "$WORK/bad" --max-cohort 0
check '[ $code -eq 2 ] && grep -q "max-cohort" "$WORK/err" && [ ! -e "$WORK/bad" ]' "--max-cohort 0: exit 2, nothing written"
echo '{"name":"bad","tasks":[{"type":"linear"}],"batch_sizes":[1],"lr":0.01,"epochs":1,"seeds":[0],"max_cohort":-3}' >"$WORK/bad.json"
capture "$BSWEEP" run "$WORK/bad.json" -o "$WORK/bad"
check '[ $code -eq 2 ] && grep -q "max_cohort" "$WORK/err"' "a grid's max_cohort of -3: exit 2 at max_cohort"
finish
