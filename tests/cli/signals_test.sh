#!/usr/bin/env bash
# Signals, closed pipes and full disks (issue 21, items 8, 9 and 11): a hangup (a closed terminal or SSH session)
# stops a sweep as Ctrl-C does; a closed stdout (`| head -1`) and a stdout on a full device are an error at the end
# (exit 2, a message on stderr) while the sweep itself completes and records every run; plot and report leave no
# temporary file outside the folder they write, even when killed.
. "$(dirname "$0")/lib.sh"
echo '{"name":"g","tasks":[{"type":"linear","n_train":50,"n_test":20}],"batch_sizes":[1,10,"full"],"lr":0.05,"epochs":3,"seeds":[0,1]}' >"$WORK/g.json"

# 9. SIGHUP to the process group, as a terminal's hangup sends it.
signal_sweep "$WORK/hup" HUP 2
check '[ $code -eq 130 ]' "a hung-up sweep exits 130"
check 'grep -q "interrupted (rerun to resume)" "$WORK/out"' "and says how to resume"
check '[ -z "$(find "$WORK/hup" -name "job-*.json")" ] && [ ! -e "$WORK/hup/.pending" ]' "leaving no job file behind"
check '[ -z "$(pgrep -g "$pid")" ]' "nor a worker"
check '[ "$(grep -c "^[0-9a-f]\{12\}," "$WORK/hup/runs.csv")" -lt 16 ]' "it stopped before the end"
capture "$BSWEEP" run tests/data/kill.json -o "$WORK/hup" -j 2
check '[ $code -eq 0 ] && [ "$(grep -c "^[0-9a-f]\{12\}," "$WORK/hup/runs.csv")" -eq 16 ] && ! grep -q ",interrupted," "$WORK/hup/runs.csv"' \
  "the rerun completes it, every run once"

# 9. A closed pipe: the sweep goes on to the end, and says at the end that its output was cut.
"$BSWEEP" run "$WORK/g.json" -o "$WORK/pipe" 2>"$WORK/err" | head -1 >/dev/null
code=${PIPESTATUS[0]}
check '[ $code -eq 2 ] && grep -q "cannot write to standard output" "$WORK/err"' "| head -1: exit 2, said on stderr"
check '[ "$(rows "$WORK/pipe/runs.csv")" -eq 6 ] && ! grep -q ",interrupted," "$WORK/pipe/runs.csv"' \
  "and all 6 runs are recorded"

# 8. Standard output on a full device.
"$BSWEEP" run "$WORK/g.json" -o "$WORK/full" >/dev/full 2>"$WORK/err"
code=$?
check '[ $code -eq 2 ] && grep -q "cannot write to standard output" "$WORK/err" && [ "$(rows "$WORK/full/runs.csv")" -eq 6 ]' \
  "run > /dev/full: exit 2, every run recorded"
for command in "compare $WORK/pipe $WORK/full --format json" "list $WORK/g.json" "table $WORK/pipe" "schema" \
               "claims $WORK/pipe" "plot $WORK/pipe"; do
  "$BSWEEP" $command >/dev/full 2>"$WORK/err"
  code=$?
  check '[ $code -eq 2 ] && grep -q "cannot write to standard output" "$WORK/err"' "bsweep ${command%% *} > /dev/full: exit 2"
done
capture "$BSWEEP" compare "$WORK/pipe" "$WORK/full" --format json
check '[ $code -eq 0 ]' "and the same compare to a file exits 0"

# 11. No temporary file outside the output folder: the figures of a report are drawn beside the page.
export TMPDIR="$WORK/tmp" && mkdir -p "$TMPDIR"
before=$(ls /tmp | grep -c "^bsweep-")
capture "$BSWEEP" report "$WORK/pipe"
check '[ $code -eq 0 ] && [ -z "$(ls -A "$TMPDIR")" ] && [ "$(ls /tmp | grep -c "^bsweep-")" -eq "$before" ]' \
  "report leaves nothing in a temporary folder"
check '[ -z "$(find "$WORK/pipe" -name ".scratch-*")" ]' "nor its working folder"
"$BSWEEP" report "$WORK/pipe" -o "$WORK/killed/report.html" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check '[ -z "$(ls -A "$TMPDIR")" ] && [ "$(ls /tmp | grep -c "^bsweep-")" -eq "$before" ]' \
  "a report killed with SIGKILL leaves nothing outside the folder it writes"
capture "$BSWEEP" report "$WORK/pipe" -o "$WORK/killed/report.html"
check '[ $code -eq 0 ] && [ -z "$(find "$WORK/killed" -name ".scratch-*")" ]' "and the next report sweeps what it left"
"$BSWEEP" plot "$WORK/pipe" >/dev/null 2>&1 &
pid=$!
sleep 0.2
kill -TERM "$pid"
wait "$pid" 2>/dev/null
check '[ -z "$(ls -A "$TMPDIR")" ] && [ "$(ls /tmp | grep -c "^bsweep-")" -eq "$before" ]' "nor does a plot stopped by SIGTERM"
finish
