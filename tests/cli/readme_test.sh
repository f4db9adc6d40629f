#!/usr/bin/env bash
# docs/results.md documents every column of every results file, exactly as the schema in the code has them; every
# page the README points to exists.
. "$(dirname "$0")/lib.sh"
"$BSWEEP" schema >"$WORK/schema.md" || fail "bsweep schema"
check '[ -f README.md ] && [ -f docs/results.md ]' "README.md and docs/results.md exist"
python3 - "$WORK/schema.md" docs/results.md <<'PY' || fail "docs/results.md's column tables differ from 'bsweep schema' (paste its output)"
import sys
schema, page = (open(p).read() for p in sys.argv[1:])
sys.exit(0 if schema.strip() in page else 1)
PY
python3 - README.md docs/*.md <<'PY' || fail "a page links to a file that does not exist"
import os, re, sys
missing = []
for page in sys.argv[1:]:
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", open(page).read()):
        if "://" not in target and not os.path.exists(os.path.join(os.path.dirname(page), target)):
            missing.append(f"{page}: {target}")
print("\n".join(missing))
sys.exit(1 if missing else 0)
PY
finish
