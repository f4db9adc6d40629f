#!/usr/bin/env bash
# bsweep on a real Slurm: a single-node cluster (munged, slurmctld, slurmd from Debian's packages) started in a
# temporary folder (slurm_cluster.sh), MaxArraySize 3 so that arrays are split. A sweep submitted as job arrays
# gives the local results bit for bit (timings aside); every failure inside a task is the status it is locally; an
# array task cancelled mid-run is recorded as interrupted and a rerun completes it; a submission left with
# --no-wait is collected by a rerun, which runs again what a cancelled task lost. Every daemon is stopped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm_cluster.sh"
same() { python3 tests/cli/same_results.py "$1" "$2"; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "SKIP: slurmctld or munged is not installed (tools/setup.sh --tests installs slurm-wlm and munge)"
  [ "${CI:-}" = true ] && exit 1  # CI must run this test, not skip it
  exit 77
fi
trap 'slurm_stop; rm -rf "$WORK"' EXIT
export SLURM_TEST_MAX_ARRAY_SIZE=3
slurm_start "$WORK/cluster" || { fail "the test cluster did not start"; finish; }
export BSWEEP_ENABLE_FAULT_TASK=1
# Seconds, with a fraction, since the epoch.
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$(now) - $1:.1f}')"; }
# Waits until task $2 of job $1 is RUNNING (at most 60 s).
wait_running() {
  for _ in $(seq 600); do
    [ "$(squeue -h -j "$1_$2" -o %T 2>/dev/null)" = RUNNING ] && return 0
    sleep 0.1
  done
  return 1
}

# 1. The quick grid here and through Slurm: the same numbers.
start=$(now)
"$BSWEEP" run experiments/quick.json -o "$WORK/local" -q || fail "the local sweep"
echo "local sweep of experiments/quick.json: $(elapsed "$start") s"
start=$(now)
capture "$BSWEEP" run experiments/quick.json -o "$WORK/slurm" --slurm --runs-per-task 2
echo "Slurm sweep of experiments/quick.json: $(elapsed "$start") s"
cat "$WORK/out" "$WORK/err"
check '[ "$code" = 0 ]' "the sweep through Slurm finishes (exit 0)"
check 'same "$WORK/local" "$WORK/slurm"' "Slurm's results equal the local results, bit for bit"
check 'grep -q "submitted to Slurm as job array [0-9]*, [0-9]*" "$WORK/out"' \
  "an array above MaxArraySize (3) goes in several parts"
script=$(ls "$WORK"/slurm/slurm/*/array-0.sbatch 2>/dev/null | head -1)
check '[ -n "$script" ] && grep -q "^exec .*slurm-task" "$script"' "the sbatch script is in the results folder"
check 'ls "$WORK"/slurm/slurm/*/logs/*.out >/dev/null 2>&1' "each task's log is in the results folder"
check 'ls "$WORK"/slurm/slurm/*/closed >/dev/null 2>&1 && ! ls "$WORK"/slurm/slurm/*/job-*.json >/dev/null 2>&1' \
  "a collected submission is closed and its hand-off files are gone"
check 'grep -q "\"executor\": \"slurm\"" "$WORK/slurm/manifest.json"' "the manifest says the runs ran on Slurm"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/slurm"
check '[ "$code" = 0 ] && grep -q "going on there" "$WORK/out" && grep -q "0 ran now" "$WORK/out"' \
  "a rerun stays on Slurm and submits nothing when everything is recorded"

# 2. Failures inside a task: each run's status is what it is on one machine.
"$BSWEEP" run tests/data/faults.json -o "$WORK/faults-local" -q
"$BSWEEP" run tests/data/faults.json -o "$WORK/faults-slurm" -q --slurm --runs-per-task 3
statuses() { python3 -c "import csv,sys; print(sorted((r['task'], r['status']) for r in csv.DictReader(open(sys.argv[1]))))" "$1/runs.csv"; }
check '[ "$(statuses "$WORK/faults-local")" = "$(statuses "$WORK/faults-slurm")" ]' \
  "abort, oom, timeout, a silent exit and divergence inside array tasks get the statuses they get locally"

# 3. An array task cancelled while the submitter waits: its runs are interrupted; a rerun completes them.
"$BSWEEP" run tests/data/slurm_kill.json -o "$WORK/kill-local" -q
"$BSWEEP" run tests/data/slurm_kill.json -o "$WORK/kill" --slurm --runs-per-task 2 >"$WORK/kill.out" 2>&1 &
submitter=$!
for _ in $(seq 100); do grep -q "submitted to Slurm" "$WORK/kill.out" && break; sleep 0.1; done
job=$(sed -n 's/.*submitted to Slurm as job array \([0-9]*\).*/\1/p' "$WORK/kill.out" | head -1)
check 'wait_running "$job" 1' "task 1 of the array runs"
scancel "${job}_1"
wait "$submitter"
code=$?
check '[ "$code" = 130 ]' "the submitter ends with 130: some runs were interrupted (got $code)"
check '[ "$(grep -c ",interrupted," "$WORK/kill/runs.csv")" -ge 1 ] && grep -q "cancelled" "$WORK/kill/runs.csv"' \
  "the cancelled task's runs are recorded as interrupted, and why"
capture "$BSWEEP" run tests/data/slurm_kill.json -o "$WORK/kill"
check '[ "$code" = 0 ] && same "$WORK/kill-local" "$WORK/kill"' "a rerun completes them: the local results, bit for bit"

# 4. --no-wait, a task cancelled meanwhile, and a rerun that collects the rest and runs the lost runs again.
capture "$BSWEEP" run tests/data/slurm_kill.json -o "$WORK/later" --slurm --runs-per-task 2 --no-wait
check '[ "$code" = 0 ] && grep -q "running in Slurm" "$WORK/out"' "--no-wait returns at once, saying what goes on"
job=$(sed -n 's/.*submitted to Slurm as job array \([0-9]*\).*/\1/p' "$WORK/out" | head -1)
check 'wait_running "$job" 1' "task 1 of the array runs"
scancel "${job}_1"
capture "$BSWEEP" run tests/data/slurm_kill.json -o "$WORK/later"
check '[ "$code" = 0 ]' "the rerun waits, collects and finishes (exit 0)"
check 'same "$WORK/kill-local" "$WORK/later"' "its results equal the local results, bit for bit"
check '[ "$(grep -c "submitted to Slurm" "$WORK/out")" = 1 ]' "it submitted the cancelled task's runs again"

# 5. A submission collected in part (two tasks held back) and then in full: every run recorded once.
capture "$BSWEEP" run experiments/quick.json -o "$WORK/held" --slurm --runs-per-task 2 --no-wait
job=$(sed -n 's/.*submitted to Slurm as job array \([0-9]*\).*/\1/p' "$WORK/out" | head -1)
scontrol hold "${job}_2" >/dev/null 2>&1
sleep 5
"$BSWEEP" run experiments/quick.json -o "$WORK/held" --no-wait -q
scontrol release "${job}_2" >/dev/null 2>&1
capture "$BSWEEP" run experiments/quick.json -o "$WORK/held"
check '[ "$code" = 0 ] && same "$WORK/local" "$WORK/held"' \
  "a submission collected in two goes records every run once, with the local results"

capture "$BSWEEP" run tests/data/faults.json -o "$WORK/faults-slurm" --retry-failed
check '[ "$code" = 1 ] && grep -q "going on there" "$WORK/out" && grep -q "4 ran now" "$WORK/out"' \
  "--retry-failed resubmits the failed runs to Slurm (and they fail again)"
check '[ "$(statuses "$WORK/faults-local")" = "$(statuses "$WORK/faults-slurm")" ]' "each run still recorded once"

# The test cluster's partition "far" has a node that is another machine: this one's disk is not shared with it.
capture "$BSWEEP" run experiments/quick.json -o "$WORK/far/results" --slurm --partition far
check '[ "$code" = 2 ] && grep -q "which the nodes (faraway) cannot see" "$WORK/err" && [ ! -e "$WORK/far" ]' \
  "a results folder the partition's nodes cannot see is refused before anything is written"

capture "$BSWEEP" run experiments/quick.json -o "$WORK/local" --local
check '[ "$code" = 0 ]' "--local still runs here"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/x" --slurm --partition nope
check '[ "$code" = 2 ] && grep -q "no partition \"nope\"" "$WORK/err" && [ ! -e "$WORK/x/runs.csv" ]' \
  "an unknown partition is refused before anything is written"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/pct%j" --slurm
check '[ "$code" = 2 ] && grep -q "cannot go into an sbatch script" "$WORK/err" && [ ! -e "$WORK/pct%j" ]' \
  "a results path sbatch would misread (a %, a space) is refused before anything is written"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/x" --slurm --time 1h
check '[ "$code" = 2 ] && grep -q "sbatch.s forms" "$WORK/err"' "a --time sbatch cannot read is refused"
finish
