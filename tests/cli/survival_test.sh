#!/usr/bin/env bash
# Ordinary trouble costs no result (issue 10): a loss that turns NaN, two sweeps in one folder, tiny memory caps,
# a parent killed, a resumed folder with failures, mixed linear widths, deep JSON, bad option values, a folder
# without its manifest or with foreign columns.
. "$(dirname "$0")/lib.sh"
export BSWEEP_ENABLE_FAULT_TASK=1
csv_status() { python3 -c "import csv,sys; print(' '.join(r['status'] for r in csv.DictReader(open(sys.argv[1]))))" "$1"; }

# 1. A learning rate that sends the loss to NaN is a result: diverged, with the NaN written and read back.
echo '{"name":"lrbig","tasks":[{"type":"linear"}],"batch_sizes":[10],"lr":1e6,"epochs":2,"seeds":[0]}' >"$WORK/lrbig.json"
capture "$BSWEEP" run "$WORK/lrbig.json" -o "$WORK/lrbig"
check '[ $code -eq 0 ]' "a diverged run is a result: exit 0"
check '[ "$(csv_status "$WORK/lrbig/runs.csv")" = diverged ]' "recorded as diverged"
check 'grep -q ",nan,nan," "$WORK/lrbig/runs.csv"' "its NaN losses are written as nan"
check 'grep -q "1 diverged, 0 failed" "$WORK/out"' "the summary counts it as diverged"
cp "$WORK/lrbig/runs.csv" "$WORK/lrbig.before"
capture "$BSWEEP" run "$WORK/lrbig.json" -o "$WORK/lrbig"
check '[ $code -eq 0 ] && cmp -s "$WORK/lrbig/runs.csv" "$WORK/lrbig.before"' "a resume changes nothing"

# 2. A second sweep into a folder in use is refused at once, and every run is recorded once.
# These grids train each run alone ("max_cohort": 1): what they test is one process per run.
echo '{"name":"slow","tasks":[{"type":"fault","mode":"sleep","seconds":1.5}],"batch_sizes":[10],"lr":0.01,"epochs":1,"seeds":[0,1],"max_cohort":1}' >"$WORK/slow.json"
"$BSWEEP" run "$WORK/slow.json" -o "$WORK/slow" -j 2 -q &
first=$!
sleep 0.7
capture "$BSWEEP" run "$WORK/slow.json" -o "$WORK/slow" -j 2 -q
check '[ $code -eq 2 ]' "the second sweep into the same folder exits 2"
check 'grep -q "is in use by another bsweep run (pid $first)" "$WORK/err"' "saying who holds it"
wait $first
check '[ $? -eq 0 ] && [ "$(rows "$WORK/slow/runs.csv")" -eq 2 ]' "the first finishes, each run once"

# 3. A memory cap below what LibTorch needs to start is oom at once, not a hang.
capture timeout 60 "$BSWEEP" run "$WORK/lrbig.json" -o "$WORK/cap" --max-memory 40M
check '[ $code -eq 1 ]' "a cap too small to start: exit 1 (a failed run), no hang"
check 'grep -q ",oom,the memory cap of 40.0 MiB is below the" "$WORK/cap/runs.csv"' "recorded as oom, saying why"

# Sets $server to the sweep's worker server once it runs two jobs (polls: the server's LibTorch load takes
# about a second, longer on a loaded machine; gives up after 20 s and lets the check say what it saw).
wait_for_two_jobs() {
  for _ in $(seq 400); do
    server=$(pgrep -P "$1" -f "bsweep-worker --serve")
    [ -n "$server" ] && [ "$(pgrep -P "$server" | wc -l)" -eq 2 ] && return
    sleep 0.05
  done
}

# 4. Workers die with their parent; a rerun adopts nothing from them.
"$BSWEEP" run "$WORK/slow.json" -o "$WORK/orphans" -j 2 -q &
parent=$!
wait_for_two_jobs $parent
workers=$([ -n "$server" ] && pgrep -P "$server" | tr '\n' ' ')
check '[ -n "$server" ] && [ "$(echo $workers | wc -w)" -eq 2 ]' "a sweep runs its jobs as children of one worker server ($server: $workers)"
kill -9 $parent
wait $parent 2>/dev/null
# Alive: a process that exists and is not a zombie (the dead wait for an init that may reap them late).
alive() { for p in "$@"; do state=$(awk '{print $3}' /proc/$p/stat 2>/dev/null); [ -n "$state" ] && [ "$state" != Z ] && return 0; done; return 1; }
for _ in $(seq 100); do alive $server $workers || break; sleep 0.05; done  # they die within moments, not at once
check '! alive $server $workers' "killing the parent kills its server and workers"
capture "$BSWEEP" run "$WORK/slow.json" -o "$WORK/orphans" -j 2 --timeout 0.5
check '[ "$(csv_status "$WORK/orphans/runs.csv")" = "timeout timeout" ]' "a rerun records its own runs (timeout), no stale result"
check '[ ! -e "$WORK/orphans/.pending" ]' "and leaves no hand-off files"

# 4b. The worker server killed mid-sweep: its jobs are recorded crashed, saying so; a new server runs the rest.
echo '{"name":"four","tasks":[{"type":"fault","mode":"sleep","seconds":1.0}],"batch_sizes":[10],"lr":0.01,"epochs":1,"seeds":[0,1,2,3],"max_cohort":1}' >"$WORK/four.json"
"$BSWEEP" run "$WORK/four.json" -o "$WORK/server" -j 2 -q >"$WORK/out" 2>&1 &
parent=$!
wait_for_two_jobs $parent
kill -9 "$server"
wait $parent
code=$?
check '[ $code -eq 1 ] && [ "$(grep -c ",crashed,the worker server ended unexpectedly" "$WORK/server/runs.csv")" -eq 2 ] && [ "$(grep -c ",ok," "$WORK/server/runs.csv")" -eq 2 ]' \
  "a killed worker server: its 2 jobs crashed, the other 2 ran on a new one"

# 7. The exit code and the counts come from the folder: a resumed folder with failures still exits 1.
capture "$BSWEEP" run "$WORK/slow.json" -o "$WORK/orphans" -j 2 --timeout 0.5
check '[ $code -eq 1 ] && grep -q "0 ok, 2 failed (0 ran now, 2 already recorded)" "$WORK/out"' "resume of a folder with timeouts: 2 failed, exit 1"
capture "$BSWEEP" run "$WORK/slow.json" -o "$WORK/orphans" -j 2 --timeout 0.5 -q
check 'grep -q "2 failed" "$WORK/out"' "-q still reports failures"

# 10. Workers receive their runs and never read the grid: a manifest broken mid-sweep costs no run.
"$BSWEEP" run "$WORK/slow.json" -o "$WORK/nogrid" -j 1 -q &
sweep=$!
sleep 0.7
echo '{"grid": "not a grid"}' >"$WORK/nogrid/manifest.json"
wait $sweep
check '[ $? -eq 0 ] && [ "$(csv_status "$WORK/nogrid/runs.csv")" = "ok ok" ]' "the run started after the manifest broke is ok"

# Programs replaced or removed during a sweep still start its workers (they run the sweep's own build).
mkdir -p "$WORK/copy" && cp "$BSWEEP" "$(dirname "$BSWEEP")/bsweep-worker" "$WORK/copy/"
"$WORK/copy/bsweep" run "$WORK/slow.json" -o "$WORK/rebuilt" -j 1 -q &
sweep=$!
sleep 0.7
rm "$WORK/copy/bsweep" "$WORK/copy/bsweep-worker"
wait $sweep
check '[ $? -eq 0 ] && [ "$(csv_status "$WORK/rebuilt/runs.csv")" = "ok ok" ]' "the binary removed mid-sweep: the next worker still runs"

# A manifest without started_at (edited by hand) resumes; a folder of foreign files is refused and left as it was.
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); del m['started_at']; json.dump(m, open(sys.argv[1],'w'))" "$WORK/rebuilt/manifest.json"
capture "$BSWEEP" run "$WORK/slow.json" -o "$WORK/rebuilt" -q
check '[ $code -eq 0 ]' "a manifest without started_at resumes"
mkdir -p "$WORK/foreign" && printf 'a,b\n1,"2' >"$WORK/foreign/runs.csv" && cp "$WORK/foreign/runs.csv" "$WORK/foreign.before"
capture "$BSWEEP" run "$WORK/slow.json" -o "$WORK/foreign"
check '[ $code -eq 2 ] && grep -q "runs.csv is not one of this grid" "$WORK/err" && cmp -s "$WORK/foreign/runs.csv" "$WORK/foreign.before"' "a foreign runs.csv: refused, not repaired"

# 9. A 1-feature and a 2-feature linear task in one grid; a grid nested 100,000 levels deep.
echo '{"name":"mixed","tasks":[{"type":"linear","name":"one"},{"type":"linear","name":"two","features":2,"w":[1,2]}],"batch_sizes":[10],"lr":0.01,"epochs":2,"seeds":[0]}' >"$WORK/mixed.json"
capture "$BSWEEP" run "$WORK/mixed.json" -o "$WORK/mixed"
check '[ $code -eq 0 ] && head -1 "$WORK/mixed/runs.csv" | grep -q ",w0,w1,b,lstsq_w0,lstsq_w1,lstsq_b,"' "mixed widths: columns w0, w1, b"
capture "$BSWEEP" table "$WORK/mixed"
check '[ $code -eq 0 ] && grep -q "| one | 10 | mini-batch | 1 | [0-9.-]* | | [0-9.-]* |" "$WORK/out"' "the table leaves the narrower task's w1 empty"
python3 -c "print('[' * 100000 + ']' * 100000)" >"$WORK/deep.json"
capture "$BSWEEP" run "$WORK/deep.json" -o "$WORK/deep"
check '[ $code -eq 2 ] && grep -q "deep.json:1:65: not valid here: JSON nested deeper than 64 levels" "$WORK/err"' "deep JSON: exit 2, located"
check '[ ! -e "$WORK/deep" ]' "and nothing written"

# 11. Command-line values, and folders that are not what they seem.
for bad in "-j 0" "--threads 0" "--timeout -1" "--timeout nan" "--max-memory 0.5" "--max-memory 1e30G"; do
  capture "$BSWEEP" run "$WORK/lrbig.json" -o "$WORK/bad" $bad
  check '[ $code -eq 2 ] && ! grep -q "1797693134862315708" "$WORK/err" && [ ! -e "$WORK/bad" ]' "$bad: exit 2, a readable message, nothing written"
done
check 'capture "$BSWEEP" run "$WORK/lrbig.json" -o "$WORK/bad" -j 0; grep -q "expected a whole number from 1 to 1024, got \"0\"" "$WORK/err"' "-j 0 says what it expects"
cp -r "$WORK/mixed" "$WORK/nomanifest" && rm "$WORK/nomanifest/manifest.json"
capture "$BSWEEP" run "$WORK/mixed.json" -o "$WORK/nomanifest"
check '[ $code -eq 0 ] && grep -q "0 ran now, 2 already recorded" "$WORK/out"' "a folder whose manifest was deleted resumes, retraining nothing"
cp -r "$WORK/mixed" "$WORK/nostatus"
python3 - "$WORK/nostatus/runs.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
at = rows[0].index("status")
with open(sys.argv[1], "w", newline="") as out:
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
PY
capture "$BSWEEP" run "$WORK/mixed.json" -o "$WORK/nostatus"
check '[ $code -eq 2 ] && grep -q "runs.csv: its columns differ .*(missing: status)" "$WORK/err"' "a runs.csv without status: exit 2, names the column"

# 12. The manifest keeps its first start; many workers on few cores are worth a warning.
started=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['started_at'])" "$WORK/mixed/manifest.json")
sleep 1.1
"$BSWEEP" run "$WORK/mixed.json" -o "$WORK/mixed" -q
check '[ "$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m[\"started_at\"], m[\"resumed_at\"] is not None)" "$WORK/mixed/manifest.json")" = "$started True" ]' "started_at survives a resume; resumed_at is set"
capture "$BSWEEP" run "$WORK/lrbig.json" -o "$WORK/many" -j 64
check 'grep -q "warning: 64 workers × 1 threads on [0-9]* cores" "$WORK/out"' "-j far above the cores: a warning"

# 6. Names are data: a task name that is a path is refused where it is written.
echo '{"name":"esc","tasks":[{"type":"linear","name":"../../ESCAPED"}],"batch_sizes":[10],"lr":0.01,"epochs":1,"seeds":[0]}' >"$WORK/esc.json"
capture "$BSWEEP" run "$WORK/esc.json" -o "$WORK/esc"
check '[ $code -eq 2 ] && grep -q "tasks\[0\].name: expected a name of letters, digits" "$WORK/err"' "a task named ../../ESCAPED: exit 2 at tasks[0].name"
echo '{"name":"../up","tasks":[{"type":"linear"}],"batch_sizes":[10],"lr":0.01,"epochs":1,"seeds":[0]}' >"$WORK/up.json"
capture "$BSWEEP" list "$WORK/up.json"
check '[ $code -eq 2 ] && grep -q "^bsweep: error: name: expected a name" "$WORK/err"' "a grid named ../up: exit 2 at name"
finish
