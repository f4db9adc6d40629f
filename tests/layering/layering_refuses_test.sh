#!/usr/bin/env bash
# The layering test can fail: on a copy of the tree with forbidden includes planted, it names each one.
set -u
SOURCE=$1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$SOURCE/harness" "$SOURCE/CMakeLists.txt" "$WORK/"
echo '#include "train/train.h"' >>"$WORK/harness/stats/summary.cpp"
echo '#include <torch/torch.h>' >>"$WORK/harness/results/csv.h"
echo '#include "report/claims.h"' >>"$WORK/harness/plot/gnuplot.cpp"
echo '#include "cli/commands.h"' >>"$WORK/harness/sweep/merge.cpp"
python3 "$SOURCE/tests/layering/layering_test.py" "$WORK" >"$WORK/out" 2>&1
code=$?
cat "$WORK/out"
[ "$code" -eq 1 ] || { echo "FAIL: exit $code, expected 1"; exit 1; }
for expected in "harness/stats/summary.cpp:.*training side's train/train.h" "harness/results/csv.h:.*the core includes torch/torch.h" \
                "harness/plot/gnuplot.cpp:.*plot/ includes report/" "harness/sweep/merge.cpp:.*only cli/ includes cli/"; do
  grep -q "$expected" "$WORK/out" || { echo "FAIL: not named: $expected"; exit 1; }
done
echo "all checks passed"
