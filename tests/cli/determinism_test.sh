#!/usr/bin/env bash
# On the CPU the same grid gives the same numbers bit for bit (timing and memory aside), whatever the number of
# workers: rows arrive in completion order, so the files are compared sorted.
. "$(dirname "$0")/lib.sh"

"$BSWEEP" run experiments/quick.json -o "$WORK/a" -q -j 1 || fail "run with -j 1"
"$BSWEEP" run experiments/quick.json -o "$WORK/b" -q -j 1 || fail "second run with -j 1"
"$BSWEEP" run experiments/quick.json -o "$WORK/c" -q -j 2 || fail "run with -j 2"
# curves.csv has no quoted fields; its last column is elapsed time.
for other in b c; do
  check 'cmp -s <(sort "$WORK/a/weights.csv") <(sort "$WORK/$other/weights.csv")' "weights.csv: a and $other are identical"
  check 'cmp -s <(cut -d, -f1-8 "$WORK/a/curves.csv" | sort) <(cut -d, -f1-8 "$WORK/$other/curves.csv" | sort)' \
    "losses in curves.csv: a and $other are identical"
done
check '[ "$(rows "$WORK/a/weights.csv")" -gt 0 ]' "there are weights to compare"
check 'grep -q "\"workers\": 2" "$WORK/c/manifest.json"' "the manifest records the workers"
finish
