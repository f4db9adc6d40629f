#!/usr/bin/env bash
# Installs bsweep's Debian packages where missing (needs root or sudo), then configures and builds into
# build/: the `bsweep` command only, or with --tests everything the test suite runs. Idempotent: a second call
# installs nothing and rebuilds only what changed.
#   tools/setup.sh [--tests]
set -euo pipefail
target=(--target bsweep)
test_packages=()
case "${1:-}" in
  # slurm-wlm and munge: the test suite starts a single-node Slurm of its own (tests/cli/slurm_test.sh).
  --tests) target=(); test_packages=(slurm-wlm munge strace) ;;
  "") ;;
  *) echo "usage: tools/setup.sh [--tests]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."

# libopenblas0-openmp: LibTorch (and python3-torch) call the system's libblas.so.3, by default Debian's reference
# BLAS; OpenBLAS takes its place (a higher-priority alternative) and, its OpenMP build, follows LibTorch's thread
# count. Measured: evaluating a [32, 32] MLP over 2000 samples takes half the time.
packages=(build-essential cmake git libtorch-dev python3-torch python3-numpy nlohmann-json3-dev libfmt-dev gnuplot-nox fonts-dejavu-core
          catch2 libcli11-dev libcsv-dev libopenblas0-openmp "${test_packages[@]}")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Warnings are on for every target; CI (CI=true) makes them errors.
werror=OFF
[ "${CI:-}" = true ] && werror=ON
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBSWEEP_WERROR=$werror >/dev/null
elif [ "$werror" = ON ]; then
  cmake -B build -DBSWEEP_WERROR=ON >/dev/null
fi
cmake --build build -j"$(nproc)" "${target[@]}"
