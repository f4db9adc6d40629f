#!/usr/bin/env bash
# device "cuda" without a GPU is a per-run error with a message; the CPU runs of the sweep still finish.
. "$(dirname "$0")/lib.sh"
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  echo "SKIPPED: a GPU is visible; this test is for machines without one"
  exit 77
fi
cat >"$WORK/cuda.json" <<'JSON'
{"tasks": [{"type": "linear", "n_train": 20, "n_test": 10}], "batch_sizes": [5], "lr": 0.01,
 "epochs": 2, "seeds": [0], "device": ["cpu", "cuda"]}
JSON
capture "$BSWEEP" run "$WORK/cuda.json" -o "$WORK/cuda"
check '[ $code -eq 1 ]' "a sweep with a failed run exits 1"
check 'grep -q ",cpu,cpu,.*,ok,,[0-9a-f]\{16\}$" "$WORK/cuda/runs.csv"' "the CPU run is ok"
check 'grep -q ",cuda,,.*,error,.*cuda.* requested but" "$WORK/cuda/runs.csv"' "the CUDA run is an error with its reason"
finish
