#!/usr/bin/env bash
# Measures what set-up costs from a clean clone (packages already installed), for issue 11's figures:
# the build of command one (the bsweep command), the whole build (tests too), the build folder's size, the
# rebuild after touching one reader file and one training file, and `bsweep compare` of a sweep with itself.
#   tools/measure_build.sh [BUILD_DIR]     (default: a fresh folder under /tmp; removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-$(mktemp -d /tmp/bsweep-measure-XXXXXX)}
jobs=$(nproc)
seconds() { local start=$1; echo "$(( $(date +%s%N) / 1000000 - start ))" | awk '{printf "%.1f", $1 / 1000}'; }
now() { echo $(( $(date +%s%N) / 1000000 )); }

rm -rf "$build"
t=$(now)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$jobs" --target bsweep >/dev/null
echo "command one's build (configure + bsweep): $(seconds "$t") s"
t=$(now)
cmake --build "$build" -j"$jobs" >/dev/null
echo "the rest of the build (tests): $(seconds "$t") s"
echo "build folder: $(du -sm "$build" | cut -f1) MB"
touch harness/compare/compare.cpp
t=$(now)
cmake --build "$build" -j"$jobs" --target bsweep >/dev/null
echo "rebuild after touching a reader (compare/compare.cpp): $(seconds "$t") s"
touch harness/train.cpp
t=$(now)
cmake --build "$build" -j"$jobs" --target bsweep >/dev/null
echo "rebuild after touching a training file (train.cpp): $(seconds "$t") s"
if [ -f results/reference/quick/runs.csv ]; then
  t=$(now)
  "$build/bsweep" compare results/reference/quick results/reference/quick >/dev/null
  echo "bsweep compare of the quick baseline with itself: $(seconds "$t") s"
fi
[ $# -ge 1 ] || rm -rf "$build"
