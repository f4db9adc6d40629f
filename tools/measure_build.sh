#!/usr/bin/env bash
# Measures what set-up costs from a clean clone (packages already installed), for issue 11's figures:
# the build of command one (the bsweep command and its worker) and the default sweep after it, the whole build
# (tests too), the build folder's size, the rebuild after touching one reader file and one training file, and
# `bsweep compare` of the default sweep's results with themselves.
#   tools/measure_build.sh [BUILD_DIR]     (default: a fresh folder under /tmp; removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-$(mktemp -d /tmp/bsweep-measure-XXXXXX)}
jobs=$(nproc)
seconds() { local start=$1; echo "$(( $(date +%s%N) / 1000000 - start ))" | awk '{printf "%.1f", $1 / 1000}'; }
milliseconds() { local start=$1; echo "$(( $(date +%s%N) / 1000000 - start ))"; }
now() { echo $(( $(date +%s%N) / 1000000 )); }

rm -rf "$build"
t=$(now)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$jobs" --target bsweep >/dev/null
echo "command one's build (configure + bsweep + bsweep-worker): $(seconds "$t") s"
sweep=$(mktemp -d /tmp/bsweep-measure-sweep-XXXXXX)
t=$(now)
"$build/bsweep" run experiments/default.json -o "$sweep/default" -q
echo "the default sweep: $(seconds "$t") s"
t=$(now)
cmake --build "$build" -j"$jobs" >/dev/null
echo "the rest of the build (tests): $(seconds "$t") s"
echo "build folder: $(du -sm "$build" | cut -f1) MB"
touch harness/compare/compare.cpp
t=$(now)
cmake --build "$build" -j"$jobs" --target bsweep >/dev/null
echo "rebuild after touching a reader (compare/compare.cpp): $(seconds "$t") s"
touch harness/train/train.cpp
t=$(now)
cmake --build "$build" -j"$jobs" --target bsweep >/dev/null
echo "rebuild after touching a training file (train.cpp): $(seconds "$t") s"
t=$(now)
"$build/bsweep" compare "$sweep/default" "$sweep/default" >/dev/null
echo "bsweep compare of the default sweep with itself (start to finish): $(milliseconds "$t") ms"
rm -rf "$sweep"
[ $# -ge 1 ] || rm -rf "$build"
