#!/usr/bin/env bash
# Fuzzes the grid parser and validator with libFuzzer for SECONDS (default 60), starting from the shipped
# grids and every earlier finding (tests/fuzz/regressions/). Builds with clang into build-fuzz/ (AddressSanitizer).
# A finding is left as build-fuzz/crash-*: copy it into tests/fuzz/regressions/, where the test suite reads it.
#   tools/fuzz_grid.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

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
cmake --build build-fuzz --target bsweep_grid_fuzzer -j"$(nproc)"

corpus=build-fuzz/corpus
mkdir -p "$corpus"
cp experiments/*.json tests/data/*.json "$corpus"/
find tests/fuzz/regressions -type f -exec cp {} "$corpus"/ \;
echo "fuzzing the grid parser for ${seconds}s"
ASAN_OPTIONS=detect_leaks=0 build-fuzz/bsweep_grid_fuzzer "$corpus" -max_total_time="$seconds" -max_len=4096 \
  -dict=tests/fuzz/grid.dict -artifact_prefix=build-fuzz/ -print_final_stats=1 2>&1 | grep -E "^#|Done|stat::|ERROR|SUMMARY|crash|==" | tail -25
