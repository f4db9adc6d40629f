#!/usr/bin/env bash
# No string from a results folder reaches a shell (issue 21): tools/fuzz_pictures.py puts hostile strings into
# every column and runs plot and report under strace, checking that only bsweep and gnuplot start and nothing is
# written outside the folder. A short run here (the long one is `tools/fuzz_pictures.py ... 600`); and the fuzzer
# itself must see a planted fault: a "gnuplot" that runs a shell and writes outside the folder.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || { echo "strace missing (tools/setup.sh --tests installs it)"; exit 77; }
echo '{"name":"g","tasks":[{"type":"linear","n_train":50,"n_test":20},{"type":"linear","name":"wild","n_train":40,"n_test":10,"x_range":[0,100]}],"batch_sizes":[1,"full"],"lr":0.05,"epochs":3,"seeds":[0,1]}' >"$WORK/g.json"
"$BSWEEP" run "$WORK/g.json" -o "$WORK/clean" -q
mkdir -p "$WORK/fuzz" "$WORK/planted"
capture python3 tools/fuzz_pictures.py "$BSWEEP" "$WORK/clean" "$WORK/fuzz" 20 21
cat "$WORK/out"
check '[ $code -eq 0 ] && grep -q " 0 findings" "$WORK/out"' "20 s of hostile strings: no shell, no write outside the folder"
printf '#!/bin/sh\ntouch "%s/outside"\nexec gnuplot "$@"\n' "$WORK" >"$WORK/fake-gnuplot" && chmod +x "$WORK/fake-gnuplot"
BSWEEP_GNUPLOT="$WORK/fake-gnuplot" capture python3 tools/fuzz_pictures.py "$BSWEEP" "$WORK/clean" "$WORK/planted" 3 21
check '[ $code -eq 1 ] && grep -q "started /usr/bin/touch\|started /bin/touch" "$WORK/out" && grep -q "wrote .*outside" "$WORK/out"' \
  "the fuzzer reports a planted program and a planted write"
finish
