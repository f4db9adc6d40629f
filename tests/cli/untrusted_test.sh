#!/usr/bin/env bash
# A results folder is input (issue 21): another machine's shard, a colleague's tarball, a hand edit. Each item
# of the issue, attacked as it was reported: strings never reach a shell, links are never written through,
# duplicated and edited rows and NaN are refused with the place named (merge resolves duplicates and says so),
# and a gate fails where most runs of a configuration diverged.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
echo '{"name":"g","tasks":[{"type":"linear","n_train":50,"n_test":20}],"batch_sizes":[1,10,"full"],"lr":0.05,"epochs":3,"seeds":[0,1]}' >g.json
for k in 1 2 3; do "$BSWEEP" run g.json --shard $k/3 -o sh$k -q || fail "shard $k/3"; done
"$BSWEEP" merge clean sh1 sh2 sh3 >/dev/null || fail "the clean merge"
# Rewrites field COLUMN of data row ROW (1-based) of a runs.csv to VALUE, as a hand edit would. With RESEAL=1 the
# row digests are recomputed too: the row then stands for one that another bsweep wrote so (a run that diverged
# on that machine, say), to attack what comes after the digest check.
edit() {
  python3 - "$@" <<'PY'
import csv, sys
path, row, column, value = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = list(csv.reader(open(path, newline="")))
rows[row][rows[0].index(column)] = value
csv.writer(open(path, "w", newline=""), lineterminator="\n").writerows(rows)
PY
  if [ -n "${RESEAL:-}" ]; then python3 "$SOURCE/tools/row_digest.py" "$1"; fi
}
copy() { rm -rf "$2" && cp -r "$1" "$2"; }

# 1. A backtick or $( in any field never runs a command, whichever command reads the folder.
copy sh1 ev1 && edit ev1/runs.csv 1 task 'linear`touch pwned`'
capture "$BSWEEP" merge m ev1 sh2 sh3
check '[ $code -eq 2 ] && grep -q "ev1/runs.csv:2: .*tasks\[0\].name: expected a name" err && [ ! -e m ]' \
  "a task named with a backtick is refused by merge, naming the line, nothing written"
for command in plot report table claims; do
  capture "$BSWEEP" $command ev1
  check '[ $code -eq 2 ] && grep -q "ev1/runs.csv:2" err' "and by $command (exit 2)"
done
copy clean ev2 && RESEAL=1 edit ev2/runs.csv 1 status diverged && RESEAL=1 edit ev2/runs.csv 1 error 'x`touch pwned`$(touch pwned)'
capture "$BSWEEP" plot ev2
check '[ $code -eq 0 ]' "an error text with a backtick and \$( plots"
capture "$BSWEEP" report ev2
check '[ $code -eq 0 ] && grep -q "touch pwned" ev2/report.html' "and is reported, as text"
check '[ ! -e pwned ] && [ ! -e ev2/pwned ]' "and no command ran"

# 2. A link planted where bsweep writes is refused, and what it points to is untouched.
echo keep >victim.txt
mkdir L && ln -s ../victim.txt L/.lock
capture "$BSWEEP" run g.json -o L -q
check '[ $code -eq 2 ] && grep -q "L/.lock is a symbolic link" err && [ "$(cat victim.txt)" = keep ]' \
  "run refuses a symlinked .lock and writes nothing through it"
copy clean M && ln -sf ../victim.txt M/.lock
capture "$BSWEEP" merge M sh1
check '[ $code -eq 2 ] && [ "$(cat victim.txt)" = keep ]' "so does merge"
copy clean R && rm R/runs.csv && ln -s ../victim.txt R/runs.csv
capture "$BSWEEP" run g.json -o R -q
check '[ $code -eq 2 ] && [ "$(cat victim.txt)" = keep ]' "a symlinked runs.csv is neither read as results nor written"
copy clean W && ln -s ../victim.txt W/report.html && mkdir -p W/plots && ln -s ../../victim.txt W/plots/linear_loss_epoch.png
capture "$BSWEEP" report W
check '[ $code -eq 0 ] && [ "$(cat victim.txt)" = keep ] && [ -f W/report.html ] && [ ! -L W/report.html ]' \
  "a file written whole (report.html) replaces a planted link, and what it pointed to is untouched"
capture "$BSWEEP" plot W
check '[ $code -eq 0 ] && [ "$(cat victim.txt)" = keep ] && [ ! -L W/plots/linear_loss_epoch.png ]' "so does a figure"

# 3. A duplicated row: merge keeps one and says so; every other reader refuses, naming both lines.
copy sh1 d1 && tail -1 d1/runs.csv >>d1/runs.csv
capture "$BSWEEP" merge md d1 sh2 sh3
check '[ $code -eq 0 ] && grep -q "1 run is recorded more than once" out && grep -q "d1/runs.csv:3, d1/runs.csv:4 (kept d1/runs.csv:3)" out' \
  "merge reports the duplicated run and the row it kept"
check '[ "$(rows md/runs.csv)" = 6 ]' "and writes one row a run"
check 'python3 "$SOURCE/tests/cli/same_results.py" clean md' "the same results as the clean merge"
copy clean dup && tail -1 dup/runs.csv >>dup/runs.csv
for command in "run g.json -o dup -q" "table dup" "compare clean dup" "claims dup" "plot dup"; do
  capture "$BSWEEP" $command
  check '[ $code -eq 2 ] && grep -q "dup/runs.csv:8: run [0-9a-f]* is recorded twice, here and on line 7" err' \
    "bsweep $command refuses the duplicate (exit 2)"
done

# 4. NaN in a run that finished ok, and numbers as no writer spells them.
for value in nan inf 1e400 0x1p3 " 1.5" 1e-400 +1; do
  copy clean n1 && edit n1/runs.csv 1 final_test_loss "$value"
  capture "$BSWEEP" compare clean n1 --fail-if 'test_loss>+5%'
  check '[ $code -eq 2 ] && grep -q "n1/runs.csv:2: column [0-9]* (final_test_loss)" err' \
    "final_test_loss \"$value\" in an ok row is refused by compare, naming the place"
done
copy clean n2 && RESEAL=1 edit n2/runs.csv 1 status diverged && RESEAL=1 edit n2/runs.csv 1 final_test_loss nan
capture "$BSWEEP" compare clean n2
check '[ $code -eq 0 ] && grep -q "1 of 2 runs in new diverged" out' "NaN in a diverged run is counted, not compared"

# 5. Four of five runs of a configuration diverged: the gate fails, unless asked otherwise.
echo '{"name":"five","tasks":[{"type":"linear","n_train":50,"n_test":20}],"batch_sizes":[10],"lr":0.05,"epochs":2,"seeds":[0,1,2,3,4]}' >five.json
"$BSWEEP" run five.json -o five -q || fail "five seeds"
copy five lost && for row in 2 3 4 5; do RESEAL=1 edit lost/runs.csv $row status diverged; done
capture "$BSWEEP" compare five lost --fail-if 'test_loss>+1000%'
check '[ $code -eq 1 ] && grep -q "4 of 5 runs in new diverged (base: 0 of 5); the gates saw only the 1 that finished ok" out' \
  "a gate on a configuration that lost 4 of 5 runs to divergence fails (exit 1)"
capture "$BSWEEP" compare five lost --fail-if 'test_loss>+1000%' --allow-diverged
check '[ $code -eq 0 ] && grep -q "test_loss>+1000%: passed" out' "--allow-diverged gates on the survivor"
capture "$BSWEEP" compare five lost --format json --fail-if 'test_loss>+1000%'
check '[ $code -eq 1 ] && grep -q "\"new_diverged\": 4" out' "JSON counts the diverged runs"

# 6. table: two learning rates are two rows, not one pooled.
echo '{"name":"lrs","tasks":[{"type":"linear","n_train":50,"n_test":20}],"batch_sizes":[10],"lr":[0.05,0.01],"epochs":2,"seeds":[0,1,2,3,4]}' >lrs.json
"$BSWEEP" run lrs.json -o lrs -q || fail "the lr grid"
capture "$BSWEEP" table lrs
check '[ $code -eq 0 ] && grep -q "| task | batch size | lr | regime | runs |" out && [ "$(grep -c "| linear | 10 | 0.0[15] | mini-batch | 5 |" out)" -eq 2 ]' \
  "table: one row per batch size and lr, 5 runs each"
check 'grep -q "| linear | least squares |  |  | 5 |" out' "and the least-squares row counts 5 seeds"

# 12. A row's settings edited under its run id.
copy sh1 e1 && edit e1/runs.csv 1 lr 0.5
capture "$BSWEEP" merge me e1 sh2 sh3
check '[ $code -eq 2 ] && grep -q "e1/runs.csv:2: column 1 (run_id): run_id \"[0-9a-f]*\" is not the id of this row.s settings" err && [ ! -e me ]' \
  "merge refuses a row whose settings were edited under its id"
copy clean e2 && edit e2/runs.csv 3 lr 0.5
capture "$BSWEEP" run g.json -o e2 -q
check '[ $code -eq 2 ] && grep -q "e2/runs.csv:4: column 1 (run_id)" err' "so does resume"

# A measure retyped in an ok row: the run id cannot tell (it is not a setting), the row's digest does.
copy clean m1 && edit m1/runs.csv 2 final_train_loss 0.001
for command in "compare clean m1" "table m1" "merge mm m1"; do
  capture "$BSWEEP" $command
  check '[ $code -eq 2 ] && grep -q "m1/runs.csv:3: column [0-9]* (row_digest): the row.s fields are not those bsweep wrote" err' \
    "bsweep ${command%% *} refuses a retyped measure, naming the line"
done
copy clean m2 && edit m2/runs.csv 2 status diverged
capture "$BSWEEP" run g.json -o m2 -q
check '[ $code -eq 2 ] && grep -q "m2/runs.csv:3: column [0-9]* (row_digest)" err' "so does resume, for a retyped status"

# 13. A runs.csv saved with a byte-order mark and CRLF line ends reads as the original.
copy clean bom && { printf '\xef\xbb\xbf'; sed 's/$/\r/' clean/runs.csv; } >bom/runs.csv.new && mv bom/runs.csv.new bom/runs.csv
capture "$BSWEEP" compare clean bom --fail-if '|w|>0'
check '[ $code -eq 0 ] && grep -q "6 runs" out' "a BOM and CRLF are read, and the numbers are the same"

# 13. Smaller items: more shards than jobs, a grid whose curves.csv would be huge.
echo '{"name":"g3","tasks":[{"type":"linear","n_train":50,"n_test":20}],"batch_sizes":[1,10,"full"],"lr":0.05,"epochs":3,"seeds":[0]}' >g3.json
capture "$BSWEEP" run g3.json --shard 5/5 -o s5
check '[ $code -eq 2 ] && grep -q "this grid makes 3 jobs" err && [ ! -e s5 ]' "--shard 5/5 of a 3-job grid: exit 2, nothing written"
echo '{"name":"big","tasks":[{"type":"linear","n_train":1000,"n_test":20}],"batch_sizes":[1],"lr":0.01,"steps":1000000,"log_every":1,"seeds":[0]}' >big.json
capture "$BSWEEP" list big.json
check '[ $code -eq 0 ] && grep -q "warning: this grid.s curves.csv will hold about 1 million points, about 1[0-9][0-9] MB" err' \
  "list warns of a curves.csv of about 100 MB"
capture "$BSWEEP" list g.json
check '! grep -q "curves.csv" err' "and not of a small one"

finish
