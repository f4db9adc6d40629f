#!/usr/bin/env bash
# bsweep maxbatch against a budget of live tensor memory (deterministic, what a GPU's memory limits): the size it
# finds fits and one more does not (each checked by a real `bsweep run` under the same budget), the size it
# recommends trains a whole epoch, a second search finds the same; a process cap below LibTorch's own footprint
# is reported as such; bad input is refused.
. "$(dirname "$0")/lib.sh"
grid=tests/data/maxbatch.json  # n_train 4000

capture "$BSWEEP" maxbatch "$grid" --max-tensor-memory 12M -o "$WORK/search"
cat "$WORK/out"
check '[ $code -eq 0 ]' "the search under 12M of tensors ends (exit 0)"
row=$(sed -n 2p "$WORK/search/maxbatch.csv")
largest=$(echo "$row" | cut -d, -f5); verified=$(echo "$row" | cut -d, -f6); recommended=$(echo "$row" | cut -d, -f7)
check '[ "$largest" -gt 1 ] && [ "$largest" -lt 4000 ]' "the budget limits the batch: $largest of 4000"
check '[ "$verified" -le "$largest" ] && [ "$verified" -ge 1 ] && [ "$recommended" -eq $((verified * 9 / 10)) ]' \
  "verified ($verified) at most the largest, recommended ($recommended) 90% of it"

train() {  # batch, budget key, value -> the run's status
  sed "s/\"batch_sizes\": \[1\]/\"batch_sizes\": [$1]/; s/\"steps\": 3/\"$2\": $3/" "$grid" >"$WORK/g$1$2.json"
  "$BSWEEP" run "$WORK/g$1$2.json" -o "$WORK/run$1$2" -q --max-tensor-memory 12M -j 1 --threads 1 >"$WORK/train.out" 2>&1
  python3 -c "import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))['status'])" "$WORK/run$1$2/runs.csv"
}
check '[ "$(train "$largest" steps 5)" = ok ]' "batch $largest trains 5 steps under the budget"
check '[ "$(train $((largest + 1)) steps 5)" = oom ]' "batch $((largest + 1)) runs out of memory: the boundary is exact"
check '[ "$(train "$recommended" epochs 1)" = ok ]' "the recommended batch ($recommended) trains a whole epoch"
check 'grep -q "tensor memory cap" "$WORK/run$((largest + 1))steps/runs.csv"' "the oom names the tensor memory cap"
capture "$BSWEEP" maxbatch "$grid" --max-tensor-memory 12M -o "$WORK/again" -q
check 'cmp -s "$WORK/search/maxbatch.csv" "$WORK/again/maxbatch.csv"' "a second search finds the same sizes"
check 'head -1 "$WORK/search/maxbatch.csv" | grep -q ",failure,max_memory,max_tensor_bytes,steps,margin$" && echo "$row" | grep -q ",0,$((12 * 1024 * 1024)),5,0.1$"' \
  "maxbatch.csv records the budget, the steps and the margin it was found under"

# One search a folder: a second into the same -o is refused at once, and the first one's result stands.
"$BSWEEP" maxbatch "$grid" --max-tensor-memory 12M -o "$WORK/again" -q >"$WORK/first.out" 2>&1 &
pid=$!
sleep 0.5
capture "$BSWEEP" maxbatch "$grid" --max-tensor-memory 6M -o "$WORK/again" -q
check '[ $code -eq 2 ] && grep -q "in use by another bsweep" "$WORK/err"' "a second maxbatch into the same folder: exit 2"
wait "$pid"
check '[ $? -eq 0 ] && cmp -s "$WORK/search/maxbatch.csv" "$WORK/again/maxbatch.csv"' "and the first one's search is whole"

# A process cap below what a worker holds before training: nothing fits, and it says why.
capture "$BSWEEP" maxbatch "$grid" --max-memory 64M -o "$WORK/tiny" -q
check '[ $code -eq 0 ] && grep -q "even batch 1 does not fit: the memory cap of 64.0 MiB is below" "$WORK/out"' \
  "a process cap below LibTorch's footprint: nothing fits, and it says why"

# Ctrl-C or SIGTERM stops a search (exit 130) and leaves no maxbatch.csv, between attempts or during one.
for signal in INT TERM; do
  mkdir -p "$WORK/stopped$signal" && cp "$WORK/search/maxbatch.csv" "$WORK/stopped$signal/"  # an earlier search's
  "$BSWEEP" maxbatch "$grid" --max-tensor-memory 12M -o "$WORK/stopped$signal" -q >"$WORK/out" 2>&1 &
  pid=$!
  sleep 1.5
  kill -"$signal" "$pid"
  wait "$pid"
  code=$?
  check '[ $code -eq 130 ] && [ ! -e "$WORK/stopped$signal/maxbatch.csv" ] && grep -q "maxbatch interrupted" "$WORK/out"' \
    "SIG$signal stops the search: exit 130, no maxbatch.csv (not even the earlier search's)"
done

capture "$BSWEEP" maxbatch "$grid" -o "$WORK/none"
check '[ $code -eq 2 ] && grep -q "max-tensor-memory: required" "$WORK/err"' "the CPU without a budget: exit 2, the options named"
capture "$BSWEEP" maxbatch "$grid" --max-memory 1G --margin 1.5
check '[ $code -eq 2 ] && grep -q "^bsweep: error: --margin" "$WORK/err"' "a margin outside [0, 1): exit 2, one line naming it"
echo "not a folder" >"$WORK/afile"
capture "$BSWEEP" maxbatch "$grid" --max-tensor-memory 12M -o "$WORK/afile"
check '[ $code -eq 2 ] && grep -q "exists and is not a folder" "$WORK/err"' "-o naming a file: exit 2"
finish
