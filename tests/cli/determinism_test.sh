#!/usr/bin/env bash
# On the CPU the same grid gives the same numbers bit for bit (timing and memory aside).
. "$(dirname "$0")/lib.sh"

"$BSWEEP" run experiments/quick.json -o "$WORK/a" -q || fail "first run"
"$BSWEEP" run experiments/quick.json -o "$WORK/b" -q || fail "second run"
check 'cmp -s "$WORK/a/weights.csv" "$WORK/b/weights.csv"' "weights.csv is identical"
# curves.csv has no quoted fields; its last column is elapsed time.
check 'cmp -s <(cut -d, -f1-8 "$WORK/a/curves.csv") <(cut -d, -f1-8 "$WORK/b/curves.csv")' "losses in curves.csv are identical"
check '[ "$(rows "$WORK/a/weights.csv")" -gt 0 ]' "there are weights to compare"
finish
