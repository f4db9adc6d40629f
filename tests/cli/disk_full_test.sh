#!/usr/bin/env bash
# A disk that fills up mid-sweep (issue 10, item 8): bsweep says what ran out, exits 2, leaves no torn row and no
# hand-off file, keeps every run it recorded, and a rerun after space is freed completes with each run once.
# Needs a small tmpfs (mount as root); skipped with a message where that cannot be mounted.
. "$(dirname "$0")/lib.sh"
disk="$WORK/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=200k tmpfs "$disk" 2>/dev/null; then
  echo "SKIPPED: cannot mount a small tmpfs here (needs root and mount rights)"
  exit 77
fi
trap 'umount "$disk" 2>/dev/null; rm -rf "$WORK"' EXIT
echo '{"name":"fill","tasks":[{"type":"linear"}],"batch_sizes":[1,10,50,"full"],"lr":0.01,"epochs":3,"log_every":1,"seeds":[0,1,2,3,4]}' >"$WORK/fill.json"
capture "$BSWEEP" run "$WORK/fill.json" -o "$disk/f" -q
cat "$WORK/err"
check '[ $code -eq 2 ]' "a full disk stops the sweep with exit 2"
check 'grep -q "No space left on device; free some space and run the same command again to resume" "$WORK/err"' "saying what ran out"
check '! grep -q "internal error" "$WORK/err"' "not as an internal error"
check '[ ! -e "$disk/f/.pending" ] && [ -z "$(find "$disk/f" -name "*.tmp")" ]' "no hand-off or temporary file left"
check '[ "$(tail -c 1 "$disk/f/runs.csv" | od -An -c | tr -d " ")" = "\n" ] && [ "$(tail -c 1 "$disk/f/curves.csv" | od -An -c | tr -d " ")" = "\n" ]' "no torn row"
check '! grep -q ",crashed," "$disk/f/runs.csv"' "no run is recorded as crashed for want of space: the others are stopped, not blamed"
kept=$(rows "$disk/f/runs.csv")
mount -o remount,size=8M "$disk"
capture "$BSWEEP" run "$WORK/fill.json" -o "$disk/f" -q
check '[ $code -eq 0 ]' "after space is freed, the same command completes"
check '[ "$(rows "$disk/f/runs.csv")" -eq 20 ] && [ "$(cut -d, -f1 "$disk/f/runs.csv" | sort -u | wc -l)" -eq 21 ]' "each of the 20 runs once (kept $kept from before)"
finish
