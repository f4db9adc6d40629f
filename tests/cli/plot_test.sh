#!/usr/bin/env bash
# bsweep plot and bsweep report on a small real sweep: every figure docs/pictures.md names is a valid PNG (and SVG)
# of sensible size; failed runs are left out and said to be; the report is well-formed HTML with its images
# embedded and no external resource; a missing gnuplot is a clear error.
. "$(dirname "$0")/lib.sh"
PYTHON=${BSWEEP_PYTHON:-/usr/bin/python3}

"$BSWEEP" run experiments/quick.json -o "$WORK/quick" -q || fail "the quick sweep runs"
capture "$BSWEEP" plot "$WORK/quick"
check '[ $code -eq 0 ]' "plot exits 0"
expected="linear_loss_epoch linear_loss_iteration linear_loss_time linear_final_loss linear_cost linear_fit linear_path
spirals_loss_epoch spirals_loss_iteration spirals_loss_time spirals_final_loss spirals_cost"
for name in $expected; do
  check '[ -f "$WORK/quick/plots/$name.png" ]' "plots/$name.png is written"
done
check '[ $(ls "$WORK/quick/plots" | wc -l) -eq 12 ]' "...and nothing else (spirals is not linear: no fit, no path)"
"$PYTHON" - "$WORK/quick/plots" <<'PY' || fail "PNG files"
import os, struct, sys
for name in sorted(os.listdir(sys.argv[1])):
    data = open(os.path.join(sys.argv[1], name), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{name}: not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800 and height >= 500, f"{name}: {width}x{height}"
    assert len(data) > 15000, f"{name}: {len(data)} bytes: hardly a picture"
    print(f"ok: {name} {width}x{height} {len(data)} bytes")
PY

# A run marked failed: left out of the lines, and said in the legend (SVG keeps the text readable).
mkdir -p "$WORK/failed" && cp "$WORK/quick/"{runs.csv,curves.csv,data.csv,manifest.json} "$WORK/failed/"
"$PYTHON" - "$WORK/failed/runs.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for row in rows:
    if row["task"] == "linear" and row["batch_size"] == "10" and row["seed"] == "1":
        row["status"], row["error"] = "diverged", "loss is inf"
with open(sys.argv[1], "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=rows[0].keys(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
PY
"$PYTHON" tools/row_digest.py "$WORK/failed/runs.csv"  # as a machine where it diverged would write it
capture "$BSWEEP" plot "$WORK/failed" --format svg -o "$WORK/svg"
check '[ $code -eq 0 ] && [ -f "$WORK/svg/linear_path.svg" ]' "plot --format svg writes SVG files"
check 'grep -q "batch 10 (1 of 2 runs failed, left out)" "$WORK/svg/linear_loss_epoch.svg"' "the legend says a run failed and is left out"
check 'grep -q "1 failed runs left out" "$WORK/svg/linear_final_loss.svg"' "the final-loss title says so too"
"$PYTHON" - "$WORK/svg" <<'PY' || fail "SVG files"
import os, sys, xml.etree.ElementTree as ET
for name in sorted(os.listdir(sys.argv[1])):
    root = ET.parse(os.path.join(sys.argv[1], name)).getroot()
    assert root.tag.endswith("svg"), name
print(f"ok: {len(os.listdir(sys.argv[1]))} SVG files parse as XML")
PY

capture "$BSWEEP" report "$WORK/failed"
check '[ $code -eq 0 ] && [ -f "$WORK/failed/report.html" ]' "report writes RESULTS/report.html"
"$PYTHON" - "$WORK/failed/report.html" <<'PY' || fail "the report"
import base64, re, sys
from html.parser import HTMLParser
page = open(sys.argv[1], encoding="utf-8").read()
VOID = {"meta", "img", "br", "hr", "link", "input"}
class Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.images, self.problems = [], 0, []
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "iframe", "object"):
            self.problems.append(f"<{tag}> in the page")
        for key in ("href", "src"):
            if key in attrs and not attrs[key].startswith("data:"):
                self.problems.append(f"{key}={attrs[key][:40]}: an external resource")
        if tag == "img":
            self.images += 1
            data = base64.b64decode(attrs["src"].split(",", 1)[1])
            if data[:8] != b"\x89PNG\r\n\x1a\n":
                self.problems.append("an embedded image is not a PNG")
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()
checker = Checker()
checker.feed(page)
assert page.startswith("<!DOCTYPE html>"), "no doctype"
assert not checker.stack, f"unclosed: {checker.stack}"
assert not checker.problems, checker.problems
assert checker.images == 12, checker.images
assert not re.search(r"url\(|@import|https?://", page), "a reference to the network"
assert "loss is inf" in page and "did not finish ok" in page, "the failure is not reported"
print(f"ok: well-formed, {checker.images} images embedded, nothing external, the failure listed")
PY

capture env BSWEEP_GNUPLOT=/nonexistent/gnuplot "$BSWEEP" plot "$WORK/quick" -o "$WORK/none"
check '[ $code -eq 1 ] && grep -q "BSWEEP_GNUPLOT=/nonexistent/gnuplot: not an executable file" "$WORK/err" && [ ! -e "$WORK/none" ]' \
  "a missing gnuplot (BSWEEP_GNUPLOT) is a clear error and writes nothing"
capture env PATH=/nonexistent "$BSWEEP" plot "$WORK/quick" -o "$WORK/none"
check '[ $code -eq 1 ] && grep -q "gnuplot not found on the PATH" "$WORK/err" && grep -q "apt-get install gnuplot-nox" "$WORK/err"' \
  "no gnuplot on the PATH: says what to install"
capture "$BSWEEP" plot "$WORK/nothing-here"
check '[ $code -eq 2 ] && grep -q "nothing-here: not a folder" "$WORK/err"' "a missing results folder is bad input (exit 2)"
# Data in the plane without a linear model (no w, b in its rows): the data alone, no line, no path.
mkdir -p "$WORK/planar" && cp "$WORK/quick/"{runs.csv,curves.csv,data.csv,manifest.json} "$WORK/planar/"
"$PYTHON" - "$WORK/planar/runs.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for row in rows:
    for column in ("w", "b", "lstsq_w", "lstsq_b"):
        row[column] = ""
with open(sys.argv[1], "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=rows[0].keys(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
PY
"$PYTHON" tools/row_digest.py "$WORK/planar/runs.csv"  # as a model without w and b would write it
capture "$BSWEEP" plot "$WORK/planar" -o "$WORK/planar-plots"
check '[ $code -eq 0 ] && [ -s "$WORK/planar-plots/linear_data.png" ] && [ ! -e "$WORK/planar-plots/linear_fit.png" ] && [ ! -e "$WORK/planar-plots/linear_path.png" ]' \
  "data in the plane without a linear model: the data figure, no fit or path"
finish
