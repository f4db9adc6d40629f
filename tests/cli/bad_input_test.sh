#!/usr/bin/env bash
# Bad input: exit 2, a one-line error that names the place, and nothing written.
. "$(dirname "$0")/lib.sh"

sed 's/"epochs"/"epoch"/' experiments/quick.json >"$WORK/typo.json"
capture "$BSWEEP" run "$WORK/typo.json" -o "$WORK/out-typo"
check '[ $code -eq 2 ]' "a typo in a key exits 2"
check '[ "$(wc -l <"$WORK/err")" -eq 1 ]' "with a one-line error"
check 'grep -q "^bsweep: error: epoch: unknown key" "$WORK/err"' "that names the key ($(cat "$WORK/err"))"
check '[ ! -e "$WORK/out-typo" ]' "and no output folder"

printf '{\n  "tasks": [\n    {"type": "linear"},\n  ]\n}\n' >"$WORK/broken.json"
capture "$BSWEEP" run "$WORK/broken.json" -o "$WORK/out-broken"
check '[ $code -eq 2 ]' "a file that is not JSON exits 2"
check 'grep -q "broken.json:4:3: not valid JSON" "$WORK/err"' "naming line and column ($(cat "$WORK/err"))"
check '[ ! -e "$WORK/out-broken" ]' "and writes nothing"

capture "$BSWEEP" run "$WORK/missing.json"
check '[ $code -eq 2 ]' "a missing grid file exits 2"
check 'grep -q "missing.json: cannot open file" "$WORK/err"' "naming the file"

capture "$BSWEEP" run experiments/quick.json --threads -3
check '[ $code -eq 2 ]' "a bad option exits 2"

mkdir -p "$WORK/other"
capture "$BSWEEP" run experiments/quick.json -o "$WORK/other"
sed 's/"seeds": \[0, 1\]/"seeds": [5]/' experiments/quick.json >"$WORK/other-grid.json"
capture "$BSWEEP" run "$WORK/other-grid.json" -o "$WORK/other"
check '[ $code -eq 2 ]' "another grid's results folder is refused"
check 'grep -q "holds results of a different grid" "$WORK/err"' "with a message that says so"
finish
