#!/usr/bin/env bash
# bsweep maxbatch against a budget set just above what a worker holds before training: the size it finds fits and
# twice it does not (each checked by a real `bsweep run` under the same cap), the size it recommends trains a whole
# epoch, and bad input is refused.
. "$(dirname "$0")/lib.sh"
grid=tests/data/maxbatch.json

# What a worker holds before any training, from the refusal of a cap below it ("... below the 473.1 MiB the worker holds").
capture "$BSWEEP" maxbatch "$grid" --max-memory 64M -o "$WORK/tiny" -q
check '[ $code -eq 0 ] && grep -q "even batch 1 does not fit" "$WORK/out"' "a cap below LibTorch's own footprint: nothing fits, and it says why"
held=$(grep -o "below the [0-9.]* MiB" "$WORK/out" | grep -o "[0-9.]*" | head -1)
check '[ -n "$held" ]' "the footprint is reported ($held MiB)"
budget="$(python3 -c "import math; print(math.ceil(float('${held:-400}') + 50))")M"

capture "$BSWEEP" maxbatch "$grid" --max-memory "$budget" -o "$WORK/search"
cat "$WORK/out"
check '[ $code -eq 0 ]' "the search under $budget ends (exit 0)"
row=$(sed -n 2p "$WORK/search/maxbatch.csv")
largest=$(echo "$row" | cut -d, -f5); verified=$(echo "$row" | cut -d, -f6); recommended=$(echo "$row" | cut -d, -f7)
check '[ "$largest" -gt 1 ] && [ "$largest" -lt 12000 ]' "the budget limits the batch: $largest of 12000"
check '[ "$verified" -le "$largest" ] && [ "$verified" -ge 1 ] && [ "$recommended" -le "$verified" ]' \
  "verified ($verified) and recommended ($recommended) sizes lie at or below it"
check '[ "$recommended" -eq $((verified * 9 / 10)) ] || [ "$recommended" -eq $((verified * 9 / 10 - 1)) ]' "the recommended size is 90% of the verified one"

# Independent checks with bsweep run under the same cap.
train() {  # batch, budget key, value -> the run's status
  sed "s/\"batch_sizes\": \[1\]/\"batch_sizes\": [$1]/; s/\"steps\": 3/\"$2\": $3/" "$grid" >"$WORK/g$1.json"
  "$BSWEEP" run "$WORK/g$1.json" -o "$WORK/run$1" -q --max-memory "$budget" -j 1 --threads 1 >/dev/null 2>&1
  python3 -c "import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))['status'])" "$WORK/run$1/runs.csv"
}
check '[ "$(train "$recommended" epochs 1)" = ok ]' "the recommended batch trains a whole epoch under the budget"
double=$((largest * 2 > 12000 ? 12000 : largest * 2))
check '[ "$(train "$double" steps 5)" = oom ]' "twice the largest ($double) runs out of memory"

capture "$BSWEEP" maxbatch "$grid" -o "$WORK/none"
check '[ $code -eq 2 ] && grep -q "max-memory: required" "$WORK/err"' "the CPU without a budget: exit 2, --max-memory named"
capture "$BSWEEP" maxbatch "$grid" --max-memory 1G --margin 1.5
check '[ $code -eq 2 ]' "a margin outside [0, 1): exit 2"
finish
