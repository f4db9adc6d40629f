#!/usr/bin/env bash
# Every grid of experiments/claims/ runs from the repository and `bsweep claims` states a measured verdict for the
# claim it was made for; the report carries the section and the probes' figures.
. "$(dirname "$0")/lib.sh"
verdict() {  # results folder, a piece of the claim's text -> ok when a verdict line for it is printed
  "$BSWEEP" claims "$1" >"$WORK/claims" 2>&1 && grep -A1 -F "$2" "$WORK/claims" | grep -q "^  \[\(holds\|does not hold\|unclear\)\]\|^      [a-z]"
}
for grid in gradient_noise critical_batch sharpness lr_scaling speed_memory; do
  capture "$BSWEEP" run "experiments/claims/$grid.json" -o "$WORK/$grid" -q
  check '[ $code -eq 0 ]' "experiments/claims/$grid.json runs (exit 0)"
done
check 'verdict "$WORK/gradient_noise" "O(sqrt(m))"' "gradient_noise: a verdict on the O(sqrt(m)) claim"
check 'grep -A1 -F "O(sqrt(m))" "$WORK/claims" | grep -q "slope -[01]\.[0-9]*"' "with the measured slope"
check 'verdict "$WORK/critical_batch" "diminishing returns"' "critical_batch: a verdict on diminishing returns"
check 'grep -A1 "diminishing returns" "$WORK/claims" | grep -q "B_crit = .*B_simple"' "with B_crit and B_simple beside"
check 'grep -q "past batch [0-9]* the time to the target stops improving" "$WORK/claims"' "and the batch past which time stops improving"
check 'verdict "$WORK/sharpness" "flat minimizers"' "sharpness: a verdict on flat minima"
check 'verdict "$WORK/sharpness" "generalize better"' "and on generalization"
check 'verdict "$WORK/lr_scaling" "learning rate scaled up"' "lr_scaling: a verdict on lr scaling"
check 'verdict "$WORK/speed_memory" "vectorization"' "speed_memory: a verdict on vectorization"
check 'verdict "$WORK/speed_memory" "O(m) memory"' "and on O(m) memory"

if command -v gnuplot >/dev/null; then
  capture "$BSWEEP" report "$WORK/critical_batch"
  check '[ $code -eq 0 ] && grep -q "What this sweep says" "$WORK/critical_batch/report.html"' "the report says what the sweep says"
  capture "$BSWEEP" plot "$WORK/critical_batch"
  check '[ -s "$WORK/critical_batch/plots/teacher_steps_to_target.png" ] && [ -s "$WORK/critical_batch/plots/teacher_noise_scale.png" ]' \
    "with the steps-to-target and noise-scale figures"
  capture "$BSWEEP" plot "$WORK/gradient_noise"
  check '[ -s "$WORK/gradient_noise/plots/teacher_grad_noise.png" ]' "gradient noise against m is drawn"
  capture "$BSWEEP" plot "$WORK/sharpness"
  check '[ -s "$WORK/sharpness/plots/spirals_sharpness.png" ]' "sharpness against batch size is drawn"
fi
# Edited folders: a probe column blanked (as a bsweep whose probe measured nothing would write it: the digests
# resealed) is no verdict but never a crash; a probes.csv field that is not a number stops plot before any figure
# is written.
cp -r "$WORK/gradient_noise" "$WORK/edited"
python3 - "$WORK/edited/runs.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for row in rows: row["grad_noise_fpc_error"] = ""
with open(sys.argv[1], "w", newline="") as f:
    out = csv.DictWriter(f, fieldnames=rows[0].keys(), lineterminator="\n"); out.writeheader(); out.writerows(rows)
PY
python3 tools/row_digest.py "$WORK/edited/runs.csv"
capture "$BSWEEP" claims "$WORK/edited"
check '[ $code -eq 0 ] && grep -A1 -F "O(sqrt(m))" "$WORK/out" | grep -q "unclear"' "a blanked probe column: the claim is unclear, no crash"
sed -i '2s/,grad_noise,\([0-9]*\),/,grad_noise,x\1,/' "$WORK/edited/probes.csv"
capture "$BSWEEP" plot "$WORK/edited" -o "$WORK/edited_plots"
check '[ $code -eq 2 ] && grep -q "probes.csv:2: column 5 (m): expected a number" "$WORK/err" && [ ! -e "$WORK/edited_plots" ]' \
  "a probes.csv field that is not a number: exit 2 naming line and column, no figure written"

capture "$BSWEEP" claims "$WORK/nowhere"
check '[ $code -eq 2 ]' "claims of a folder that is not there: exit 2"
finish
