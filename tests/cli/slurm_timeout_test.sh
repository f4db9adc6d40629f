#!/usr/bin/env bash
# A Slurm array task cut by its time limit (--time 1, a minute: Slurm's smallest) leaves its run recorded as
# `timeout`, saying why; the other task's run is ok. On a real single-node Slurm (slurm_cluster.sh); takes 1 to 2
# minutes, most of it waiting for Slurm's limit, so it is a test of its own that ctest runs beside the others.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm_cluster.sh"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "SKIP: slurmctld or munged is not installed (tools/setup.sh --tests installs slurm-wlm and munge)"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
trap 'slurm_stop; rm -rf "$WORK"' EXIT
slurm_start "$WORK/cluster" || { fail "the test cluster did not start"; finish; }
export BSWEEP_ENABLE_FAULT_TASK=1
capture "$BSWEEP" run tests/data/slurm_timeout.json -o "$WORK/t" --slurm --time 1 --runs-per-task 1
cat "$WORK/out" "$WORK/err"
check '[ "$code" = 1 ]' "the sweep ends with 1: a run failed"
status_of() { python3 -c "import csv,sys; print([r['status'] + ': ' + r['error'] for r in csv.DictReader(open(sys.argv[1])) if r['task'] == sys.argv[2]][0])" "$WORK/t/runs.csv" "$1"; }
check 'status_of sleeper | grep -q "^timeout: its Slurm array task passed its time limit"' \
  "the run of the task Slurm cut at its time limit is recorded as timeout, saying why"
check 'status_of quick | grep -q "^ok"' "the other task's run is ok"
finish
