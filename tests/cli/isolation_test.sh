#!/usr/bin/env bash
# A run that aborts, runs out of memory, outlives its timeout, exits without a word or diverges costs that run
# alone: each is recorded with its status, the healthy run of the same sweep finishes ok, the sweep exits 1.
. "$(dirname "$0")/lib.sh"
export BSWEEP_ENABLE_FAULT_TASK=1
capture "$BSWEEP" run tests/data/faults.json -o "$WORK/faults" -j 2
cat "$WORK/out" "$WORK/err"
check '[ $code -eq 1 ]' "a sweep with failed runs exits 1"
status_of() { grep "^[0-9a-f]\{12\},[0-9]*,$1," "$WORK/faults/runs.csv"; }
check 'status_of fine | grep -q ",ok,,[0-9a-f]\{16\}$"' "the healthy run is ok"
check 'status_of aborts | grep -q ",crashed,killed by signal 6 (ABRT: Aborted),[0-9a-f]\{16\}$"' "abort: crashed, with the signal"
check 'status_of hog | grep -q ",oom,.*can.t allocate memory"' "past the memory cap: oom"
check 'status_of sleeper | grep -q ",timeout,"' "past the timeout: timeout"
check 'status_of quitter | grep -q ",crashed,the worker exited with status 3 without a result,[0-9a-f]\{16\}$"' "a silent exit: crashed"
check 'status_of exploder | grep -q ",diverged,"' "too large a step: diverged"
check '[ "$(grep -c "^exploder\|^[0-9a-f]\{12\},[0-9]*,exploder," "$WORK/faults/runs.csv")" -eq 1 ]' "once each"
check '[ "$(rows "$WORK/faults/runs.csv")" -eq 6 ] && ! grep -q "worker server ended" "$WORK/faults/runs.csv"' \
  "the worker server outlives its crashing children and starts every later job"
check 'grep -q "^$(status_of exploder | cut -d, -f1),1," "$WORK/faults/curves.csv"' "the diverged run keeps its curve so far"

unset BSWEEP_ENABLE_FAULT_TASK
capture "$BSWEEP" list tests/data/faults.json
check '[ $code -eq 2 ]' "the fault task is refused outside the tests"
check 'grep -q "tasks\[1\].type: expected \"linear\" or \"mlp\".*, got \"fault\"" "$WORK/err" && ! grep -q "or \"fault\"" "$WORK/err"' "with the usual message"
finish
