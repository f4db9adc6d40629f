#!/usr/bin/env python3
"""The tree's layering, read from its include lines: fails naming each include a folder must not make.

usage: tests/layering/layering_test.py SOURCE_DIR

Rules (docs/architecture.md):
  1. The core library (bsweep_core's sources, which harness/*/CMakeLists.txt add, and every project header they
     reach) never includes LibTorch: what `bsweep` links loads no LibTorch. A task file is read as the core
     compiles it, without BSWEEP_TRAINING_FACE.
  2. The core's folders (util/, spec/, plan/, exec/, sweep/, results/, stats/, compare/, plot/, report/, cli/)
     never include the training side (random/, optim/, probes/, train/, worker/, tasks/task.h, util/torch_compat.h).
  3. stats/ is a leaf: it includes only stats/ (and util/errors.h).
  4. plot/ never includes report/ (report draws on plot, not the other way).
  5. Nothing outside cli/ includes cli/.
"""
import os
import re
import sys

source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
harness = os.path.join(source, "harness")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
TORCH = re.compile(r"^(torch/|ATen/|c10/)")
TRAINING_SIDE = re.compile(r"^(random/|optim/|probes/|train/|worker/|tasks/task\.h$|util/torch_compat\.h$)")
CORE_FOLDERS = ("util", "spec", "plan", "exec", "sweep", "results", "stats", "compare", "plot", "report", "cli")


def includes(path, training_face):
    """(line number, kind, name) of the includes the preprocessor would see, BSWEEP_TRAINING_FACE given or not;
    other conditions count as both branches."""
    out, stack = [], []  # per open #if: (whether it tests BSWEEP_TRAINING_FACE, whether its branch is left out)
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        directive = line.strip()
        if re.match(r"#\s*if(n?def)?\b", directive):
            face = "BSWEEP_TRAINING_FACE" in directive
            negated = directive.startswith("#ifndef") or "!defined" in directive
            stack.append((face, face and training_face == negated))
            continue
        if re.match(r"#\s*(else|elif)\b", directive) and stack:
            face, left_out = stack[-1]
            stack[-1] = (face, face and not left_out)
            continue
        if re.match(r"#\s*endif\b", directive) and stack:
            stack.pop()
            continue
        if any(left_out for _, left_out in stack):
            continue
        found = INCLUDE.match(line)
        if found:
            out.append((number, found.group(1), found.group(2)))
    return out


def core_sources():
    files = []
    for folder in sorted(os.listdir(harness)):
        cmake = os.path.join(harness, folder, "CMakeLists.txt")
        if not os.path.exists(cmake):
            continue
        for block in re.findall(r"target_sources\(bsweep_core PRIVATE(.*?)\)", open(cmake).read(), re.S):
            files += [os.path.join(harness, folder, f) for f in block.split() if f.endswith(".cpp")]
    return files


def folder_of(relative):
    return relative.split("/")[0] if "/" in relative else ""


problems = []
# 1. The core, and what it reaches, without LibTorch.
seen, pending = set(), [(path, path) for path in core_sources()]
while pending:
    path, root = pending.pop()
    if path in seen or not os.path.exists(path):
        continue
    seen.add(path)
    for number, kind, name in includes(path, training_face=False):
        where = f"{os.path.relpath(path, source)}:{number}"
        if kind == "<" and TORCH.match(name) or name == "util/torch_compat.h":
            problems.append(f"{where}: the core includes {name} (reached from {os.path.relpath(root, source)})")
        if kind == '"' and os.path.exists(os.path.join(harness, name)):
            pending.append((os.path.join(harness, name), root))

# 2-5. Folder rules, over every file as either library compiles it.
for directory, _, names in os.walk(harness):
    for name in names:
        if not name.endswith((".h", ".cpp")):
            continue
        path = os.path.join(directory, name)
        relative = os.path.relpath(path, harness)
        folder = folder_of(relative)
        for face in (False, True):
            for number, kind, included in includes(path, training_face=face):
                if kind != '"':
                    continue
                where = f"harness/{relative}:{number}"
                target = folder_of(included)
                if folder in CORE_FOLDERS and TRAINING_SIDE.match(included):
                    problems.append(f"{where}: {folder}/ is the core's, but includes the training side's {included}")
                if folder == "stats" and target != "stats" and included != "util/errors.h":
                    problems.append(f"{where}: stats/ is a leaf, but includes {included}")
                if folder == "plot" and target == "report":
                    problems.append(f"{where}: plot/ includes report/'s {included}")
                if folder != "cli" and target == "cli":
                    problems.append(f"{where}: only cli/ includes cli/, but this includes {included}")

problems = sorted(set(problems))
print("\n".join(problems) if problems else f"layering holds ({len(seen)} core files and their includes read)")
sys.exit(1 if problems else 0)
