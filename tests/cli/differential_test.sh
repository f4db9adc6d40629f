#!/usr/bin/env bash
# The harness and the PyTorch reference script (tools/reference.py) train the same runs to the same weights.
. "$(dirname "$0")/lib.sh"
PYTHON=${BSWEEP_PYTHON:-/usr/bin/python3}
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "FAIL: $PYTHON cannot import torch (install python3-torch)"; exit 1
fi
for grid in differential differential_shared differential_rules differential_optimizers; do
  capture "$BSWEEP" run "tests/data/$grid.json" -o "$WORK/$grid" --no-batching  # the solo path: PyTorch bit for bit
  check '[ $code -eq 0 ]' "the harness trains $grid.json"
  capture "$PYTHON" tools/reference.py "$WORK/$grid" --tolerance 0
  cat "$WORK/out" "$WORK/err"
  check '[ $code -eq 0 ]' "every final weight of $grid.json matches PyTorch exactly"
  check 'grep -q "runs checked: [1-9]" "$WORK/out"' "and runs were checked"
  check '! grep -q "skipped" "$WORK/out"' "none skipped"
done
finish
