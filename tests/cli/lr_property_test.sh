#!/usr/bin/env bash
# Property (issue 10): learning rates drawn at random from 1e-4 to 1e6 (log-uniform) over every task, batch 1 to
# full, finish with every run ok or diverged, exit 0, and a resume that changes nothing. A fresh draw each time
# (the seed is printed, to replay a failure: LR_PROPERTY_SEED=n).
. "$(dirname "$0")/lib.sh"
seed=${LR_PROPERTY_SEED:-$RANDOM}
echo "lr property seed: $seed"
python3 - "$seed" >"$WORK/lrs.json" <<'PY'
import json, random, sys
rng = random.Random(int(sys.argv[1]))
lrs = sorted({float(f"{10 ** rng.uniform(-4, 6):.3g}") for _ in range(6)} | {1e-4, 1e6})
print(json.dumps({
    "name": "lrs",
    "tasks": [{"type": "linear", "n_train": 40, "n_test": 10},
              {"type": "linear", "name": "wide", "features": 3, "w": [1, -2, 0.5], "n_train": 40, "n_test": 10},
              {"type": "mlp", "name": "teacher", "n_train": 40, "n_test": 10, "hidden": [8]},
              {"type": "mlp", "name": "spirals", "data": "spirals", "n_train": 40, "n_test": 10, "hidden": [8]}],
    "optimizer": [{"name": "sgd", "momentum": 0.9}, "adam"],
    "batch_sizes": [1, 7, "full"], "lr": lrs, "epochs": 3, "seeds": [0]}))
PY
capture "$BSWEEP" run "$WORK/lrs.json" -o "$WORK/lrs" -q
cat "$WORK/out" "$WORK/err" | tail -5
check '[ $code -eq 0 ]' "exit 0"
statuses=$(python3 -c "import csv,sys; print(' '.join(sorted({r['status'] for r in csv.DictReader(open(sys.argv[1]))})))" "$WORK/lrs/runs.csv")
echo "statuses: $statuses"
check '[ "$statuses" = "diverged ok" ] || [ "$statuses" = "ok" ]' "every run ok or diverged"
expected=$(python3 -c "import json,sys; g=json.load(open(sys.argv[1])); print(4 * 2 * 3 * len(g['lr']))" "$WORK/lrs.json")
check '[ "$(rows "$WORK/lrs/runs.csv")" -eq $expected ] && [ "$(cut -d, -f1 "$WORK/lrs/runs.csv" | sort -u | wc -l)" -eq $((expected + 1)) ]' "every run recorded once"
cp "$WORK/lrs/runs.csv" "$WORK/runs.before"
capture "$BSWEEP" run "$WORK/lrs.json" -o "$WORK/lrs" -q
check '[ $code -eq 0 ] && cmp -s "$WORK/lrs/runs.csv" "$WORK/runs.before"' "a resume changes nothing"
capture "$BSWEEP" report "$WORK/lrs"
check '[ $code -eq 0 ]' "the report renders"
finish
