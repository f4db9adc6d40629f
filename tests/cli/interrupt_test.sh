#!/usr/bin/env bash
# Ctrl-C (SIGINT to the process group): the sweep stops launching, records the running runs as interrupted,
# exits 130 and leaves a folder that a rerun completes. A second Ctrl-C stops at once.
. "$(dirname "$0")/lib.sh"

signal_sweep "$WORK/sweep" INT 2
cat "$WORK/out"
check '[ $code -eq 130 ]' "an interrupted sweep exits 130"
check 'grep -q "interrupted (rerun to resume)" "$WORK/out"' "and says how to resume"
check 'grep -q "\"finished_at\": null" "$WORK/sweep/manifest.json"' "the manifest has no end time"
before=$(grep -c "^[0-9a-f]\{12\}," "$WORK/sweep/runs.csv")
check '[ "$before" -lt 16 ]' "not every run finished ($before recorded)"

capture "$BSWEEP" run tests/data/kill.json -o "$WORK/sweep" -j 2
check '[ $code -eq 0 ]' "the rerun completes the sweep"
check '[ "$(grep -c "^[0-9a-f]\{12\}," "$WORK/sweep/runs.csv")" -eq 16 ]' "with every run once"
check '! grep -q ",interrupted," "$WORK/sweep/runs.csv"' "and no interrupted row left"

setsid "$BSWEEP" run tests/data/kill.json -o "$WORK/twice" -j 2 >"$WORK/out" 2>&1 &
pid=$!
sleep 1.5
kill -INT -- "-$pid"
sleep 0.05
kill -INT "$pid"
wait "$pid"
code=$?
check '[ $code -eq 130 ]' "a second Ctrl-C exits 130 too"
check '[ -z "$(pgrep -g "$pid")" ]' "leaving no worker behind"
finish
