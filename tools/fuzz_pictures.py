#!/usr/bin/env python3
"""Fuzzes `bsweep plot` and `bsweep report` with hostile strings in every column of a results folder.

usage: fuzz_pictures.py BSWEEP FOLDER WORK SECONDS [SEED]

Each input copies FOLDER (a real results folder) and puts a hostile string (a backtick command, $(...), @macros,
quotes, backslashes, line breaks, enhanced-text marks, bytes that are not UTF-8) into a random field of runs.csv
(or curves.csv). Where the string is one a row may carry, the row's digest is recomputed, so that it reaches the
figures as a folder written so elsewhere would; otherwise it is a hand edit, which must be refused. Then plot and
report run under strace -f, and each input must:
  - end with exit 0, or exit 2 with the place named (file:line);
  - start no program but bsweep and gnuplot (execve);
  - create, rename or remove no file outside the copy of the folder;
  - leave no file named by the hostile string's commands (the marker) anywhere under WORK.
Prints how many inputs ran and every finding; exits 1 on any.
"""
import csv
import io
import os
import random
import re
import shutil
import subprocess
import sys
import time

from row_digest import digest

bsweep, folder, work, seconds = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3]), float(sys.argv[4])
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
marker = "PWNED"
hostile = [
    "`touch PWNED`", "$(touch PWNED)", "x`touch PWNED`y", "\"`touch PWNED`\"", "'`touch PWNED`'", "@PWNED",
    "a\\\"; system \"touch PWNED\"; print \"", "line\nbreak `touch PWNED`", "\\`touch PWNED\\`", "}{^_@&~\\",
    "\"; ! touch PWNED\n", "\u00e9\u4e2d`touch PWNED`", "\x01\x7f`touch PWNED`", "%s%n%x", "../../PWNED",
    "set output '/tmp/PWNED'", "\\\\\\`touch PWNED`",
]
allowed_programs = re.compile(r"(^|/)(bsweep|gnuplot[^/]*)$")


def mutate(target):
    name = "curves.csv" if rng.random() < 0.2 else "runs.csv"
    path = os.path.join(target, name)
    rows = list(csv.reader(open(path, newline="", encoding="utf-8", errors="surrogateescape")))
    r, c = rng.randrange(1, len(rows)), rng.randrange(len(rows[0]))
    text = rng.choice(hostile)
    rows[r][c] = text if rng.random() < 0.5 else rows[r][c] + text
    if name == "runs.csv" and "row_digest" in rows[0] and rng.random() < 0.8:
        skip = rows[0].index("row_digest")
        rows[r][skip] = digest(rows[r], skip)
    with open(path, "w", newline="", encoding="utf-8", errors="surrogateescape") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return f"{name} row {r} column {rows[0][c]} = {rows[r][c]!r}"


def traced(args, trace):
    done = subprocess.run(["strace", "-f", "-qq", "-o", trace, "-e", "trace=execve,openat,rename,renameat,renameat2,"
                           "mkdir,mkdirat,unlink,unlinkat,creat,symlink,symlinkat,link,linkat"] + args,
                          capture_output=True, text=True, errors="replace", cwd=work)
    return done.returncode, done.stderr


def findings_in(trace, target):
    found = []
    inside = os.path.realpath(target) + "/"
    for line in open(trace, errors="replace"):
        if "execve(" in line and "= 0" in line:
            program = re.search(r'execve\("([^"]*)"', line).group(1)
            if not allowed_programs.search(program):
                found.append(f"started {program}")
            continue
        writes = ("openat(" in line and re.search(r"O_(WRONLY|RDWR|CREAT)", line)) or any(
            f"{call}(" in line for call in ("rename", "mkdir", "unlink", "creat", "symlink", "link"))
        if not writes or "= -1" in line:
            continue
        for path in re.findall(r'"([^"]*)"', line):
            if path.startswith("/dev/") or path.startswith("/proc/"):
                continue
            absolute = os.path.realpath(os.path.join(work, path))
            if not (absolute + "/").startswith(inside):
                found.append(f"wrote {path}")
    return found


inputs, findings = 0, []
deadline = time.time() + seconds
while time.time() < deadline:
    target = os.path.join(work, "f")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder, target, symlinks=True)
    what = mutate(target)
    for args in (["plot", target], ["report", target]):
        trace = os.path.join(work, "trace")
        code, err = traced([bsweep] + args, trace)
        problems = findings_in(trace, target)
        if code not in (0, 2) or (code == 2 and not re.search(r"\.csv:\d+", err)):
            problems.append(f"exit {code}: {err.strip()[:300]}")
        for root, _, files in os.walk(work):
            if marker in files or any(marker in name for name in files if name != "trace"):
                problems.append(f"a file named {marker} appeared in {root}")
                for name in files:
                    if marker in name:
                        os.remove(os.path.join(root, name))
        if os.path.exists(os.path.join("/tmp", marker)):
            problems.append("/tmp/PWNED appeared")
            os.remove(os.path.join("/tmp", marker))
        if problems:
            findings.append((what, args[0], problems))
    inputs += 1

print(f"fuzz_pictures: {inputs} inputs ({2 * inputs} plot and report runs under strace) in {seconds:.0f} s: "
      f"{len(findings)} findings")
for what, command, problems in findings:
    print(f"  {command} with {what}: {problems}")
sys.exit(1 if findings else 0)
