#!/usr/bin/env bash
# Fuzzes bsweep's readers of outside input with libFuzzer, for SECONDS each (default 60):
#   grid     the grid parser and validator, from the shipped grids;
#   results  the readers of results folders (table, compare, plot's view, report) on mutated runs.csv,
#            curves.csv, manifest.json and data.csv, from the committed baseline results/reference/quick.
# Every earlier finding (tests/fuzz/regressions/, which the test suite replays) seeds the corpus too.
# Builds with clang into build-fuzz/ (AddressSanitizer). A finding is left as build-fuzz/crash-*: copy it into
# tests/fuzz/regressions/ (grid findings) or tests/fuzz/regressions/results/ (results findings).
#   tools/fuzz.sh [SECONDS] [grid|results|all]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
which=${2:-all}

missing=()
for package in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -f build-fuzz/CMakeCache.txt ] ||
  CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBSWEEP_FUZZ=ON -DBSWEEP_BUILD_TESTS=OFF >/dev/null
targets=()
[ "$which" = results ] || targets+=(grid)
[ "$which" = grid ] || targets+=(results)
for target in "${targets[@]}"; do cmake --build build-fuzz --target "bsweep_${target}_fuzzer" -j"$(nproc)"; done

fuzz() {  # target, corpus, max_len, extra flags...
  local target=$1 corpus=$2 max_len=$3
  shift 3
  echo "fuzzing the $target readers for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=0 "build-fuzz/bsweep_${target}_fuzzer" "$corpus" -max_total_time="$seconds" \
    -max_len="$max_len" -artifact_prefix="build-fuzz/$target-" -print_final_stats=1 "$@" 2>&1 |
    grep -E "^#|Done|stat::|ERROR|SUMMARY|crash|==" | tail -25
  # A finding makes the fuzzer exit non-zero; so does this script then.
  return "${PIPESTATUS[0]}"
}

status=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus-$target
  mkdir -p "$corpus"
  if [ "$target" = grid ]; then
    cp experiments/*.json tests/data/*.json "$corpus"/
    find tests/fuzz/regressions -maxdepth 1 -type f -exec cp {} "$corpus"/ \;
    fuzz grid "$corpus" 4096 -dict=tests/fuzz/grid.dict || status=1
  else
    # Seeds: the baseline folder whole but for most of its curve rows, and one run alone.
    quick=results/reference/quick
    first_run=$(sed -n 2p "$quick/runs.csv" | cut -d, -f1)
    { cat "$quick/runs.csv"; echo "@@@@"; head -40 "$quick/curves.csv"; echo "@@@@"; cat "$quick/manifest.json"
      echo "@@@@"; printf 'run_id,index,x,y\n%s,0,1.5,7.25\n%s,1,0.25,4.5\n' "$first_run" "$first_run"; } >"$corpus/quick"
    { head -2 "$quick/runs.csv"; echo "@@@@"; head -5 "$quick/curves.csv"; echo "@@@@"; cat "$quick/manifest.json"; } >"$corpus/one_run"
    [ -d tests/fuzz/regressions/results ] && cp tests/fuzz/regressions/results/* "$corpus"/ 2>/dev/null
    fuzz results "$corpus" 16384 || status=1
  fi
done
exit $status
