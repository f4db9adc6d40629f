#!/usr/bin/env bash
# SIGKILL the whole sweep (parent and workers) at several moments and resume each time: every CSV stays
# parseable with no partial row, and in the end every run is there once, ok, with the numbers of a sweep that
# was never interrupted.
. "$(dirname "$0")/lib.sh"
PYTHON=${BSWEEP_PYTHON:-/usr/bin/python3}
"$BSWEEP" run tests/data/kill.json -o "$WORK/whole" -q -j 2 || fail "the uninterrupted sweep"

parseable() {
  "$PYTHON" - "$1" <<'PY'
import csv, sys
for name in ("runs.csv", "curves.csv", "weights.csv"):
    try:
        rows = list(csv.reader(open(f"{sys.argv[1]}/{name}", newline="")))
    except FileNotFoundError:
        continue
    assert all(len(r) == len(rows[0]) for r in rows), f"{name}: a row of another length"
PY
}

for delay in 0.3 1.2 2.0 2.6 3.4 4.1; do
  setsid "$BSWEEP" run tests/data/kill.json -o "$WORK/killed" -q -j 2 &
  pid=$!
  sleep "$delay"
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  recorded=$(grep -c "^[0-9a-f]\{12\}," "$WORK/killed/runs.csv" 2>/dev/null)
  check 'parseable "$WORK/killed"' "after a kill at ${delay}s ($recorded of 16 runs recorded) every CSV parses with no partial row"
done
"$BSWEEP" run tests/data/kill.json -o "$WORK/killed" -q -j 2
check '[ $? -eq 0 ]' "the last resume finishes"
"$PYTHON" - "$WORK/whole" "$WORK/killed" <<'PY' || fail "the resumed sweep differs from the uninterrupted one"
import csv, sys
def load(folder):
    runs = list(csv.DictReader(open(f"{folder}/runs.csv", newline="")))
    ids = [r["run_id"] for r in runs]
    assert len(ids) == len(set(ids)), f"{folder}: a run appears twice"
    assert all(r["status"] == "ok" for r in runs), f"{folder}: a run is not ok"
    weights = sorted(tuple(r) for r in csv.reader(open(f"{folder}/weights.csv", newline="")))
    curves = sorted(tuple(r[:8]) for r in csv.reader(open(f"{folder}/curves.csv", newline="")))
    return set(ids), weights, curves
whole, killed = load(sys.argv[1]), load(sys.argv[2])
assert len(whole[0]) == 16, len(whole[0])
assert whole[0] == killed[0], "other runs"
assert whole[1] == killed[1], "other weights"
assert whole[2] == killed[2], "other curves"
print("16 runs, each once, ok, weights and curves equal to the uninterrupted sweep's")
PY
finish
