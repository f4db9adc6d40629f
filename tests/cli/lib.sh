# Shared by the end-to-end tests: each test is `script BSWEEP_BINARY SOURCE_DIR`.
set -u
BSWEEP=$1
SOURCE=$2
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
cd "$SOURCE"
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { if eval "$1"; then echo "ok: $2"; else fail "$2"; fi; }
# Runs a command, saving its stdout, stderr and exit code as $WORK/out, $WORK/err, $code.
capture() { "$@" >"$WORK/out" 2>"$WORK/err"; code=$?; }
finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
  echo "all checks passed"
}
# Runs tests/data/kill.json into folder $1 in a session of its own, sends signal $2 to its whole process group (as
# a terminal does) after $3 seconds, and waits: $pid, $code, and its stdout and stderr in $WORK/out.
signal_sweep() {
  setsid "$BSWEEP" run tests/data/kill.json -o "$1" -j 2 >"$WORK/out" 2>&1 &
  pid=$!
  sleep "$3"
  kill -"$2" -- "-$pid"
  wait "$pid"
  code=$?
}
# Number of data rows of a CSV without line breaks inside fields.
rows() { echo $(($(wc -l <"$1") - 1)); }
