#!/usr/bin/env bash
# The README documents every column of every results file, exactly as the schema in the code has them.
. "$(dirname "$0")/lib.sh"
"$BSWEEP" schema >"$WORK/schema.md" || fail "bsweep schema"
check '[ -f README.md ]' "README.md exists"
python3 - "$WORK/schema.md" README.md <<'PY' || fail "README.md's column tables differ from 'bsweep schema' (paste its output)"
import sys
schema, readme = (open(p).read() for p in sys.argv[1:])
sys.exit(0 if schema.strip() in readme else 1)
PY
finish
