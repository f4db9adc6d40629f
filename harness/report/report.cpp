#include "report/report.h"

#include "report/claims.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace bsweep {

std::string base64(const std::string& bytes) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    std::uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
    if (left > 1) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (left > 2) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(chunk >> 18) & 63];
    out += alphabet[(chunk >> 12) & 63];
    out += left > 1 ? alphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? alphabet[chunk & 63] : '=';
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string json_text(const nlohmann::json& manifest, const char* key) {
  if (!manifest.is_object() || !manifest.contains(key) || manifest[key].is_null()) return "";
  return manifest[key].is_string() ? manifest[key].get<std::string>() : manifest[key].dump();
}

// The runs table's columns: what a reader compares across batch sizes.
const std::vector<std::string>& table_columns() {
  static const std::vector<std::string> columns = {
      "task", "batch_size", "seed", "status", "iterations", "final_train_loss", "final_test_loss",
      "final_test_accuracy", "wall_s", "epoch_s", "samples_per_s", "step_peak_tensor_bytes", "peak_rss_bytes"};
  return columns;
}

// A page stays a page: past this many rows a runs table says how many it left out (runs.csv holds them all).
constexpr std::size_t max_table_rows = 500;

std::string runs_table(const SweepView& view, bool failed_only) {
  const auto& runs = view.runs;
  std::size_t shown = 0, left_out = 0;
  std::string header = "<tr>";
  for (const auto& name : table_columns()) header += "<th>" + html_escape(name) + "</th>";
  if (failed_only) header += "<th>error</th>";
  std::string body;
  for (const auto& task : view.tasks) {
    for (const auto& line : task.lines) {
      for (const auto* rows : {&line.ok_rows, &line.failed_rows}) {
        if (failed_only && rows == &line.ok_rows) continue;
        for (auto r : *rows) {
          if (shown == max_table_rows) {
            ++left_out;
            continue;
          }
          ++shown;
          body += rows == &line.failed_rows ? "<tr class=\"failed\">" : "<tr>";
          for (const auto& name : table_columns()) {
            const auto column = runs.find(name);
            body += "<td>" + (column ? html_escape(runs.text(r, *column)) : std::string()) + "</td>";
          }
          if (failed_only) body += "<td>" + html_escape(runs.text(r, runs.column("error"))) + "</td>";
          body += "</tr>\n";
        }
      }
    }
  }
  const std::size_t width = table_columns().size() + (failed_only ? 1 : 0);
  if (left_out > 0)
    body += fmt::format("<tr class=\"more\"><td colspan=\"{}\">and {} more runs: runs.csv holds every run</td></tr>\n",
                        width, left_out);
  return "<table>\n<thead>" + header + "</tr></thead>\n<tbody>\n" + body + "</tbody>\n</table>\n";
}

// "What this sweep says": a row per claim the data speaks to, then the advice.
std::string claims_section(const SweepView& view) {
  const auto verdicts = assess_claims(view);
  const auto advice = advise(view);
  std::string out = "<h2>What this sweep says</h2>\n";
  if (verdicts.empty()) return out + "<p>This sweep measured nothing the notes' claims speak of; the grids in "
                                     "<code>experiments/claims/</code> do.</p>\n";
  out += "<table class=\"claims\">\n<thead><tr><th>task</th><th>the notes say</th><th>this sweep measured</th>"
         "<th>verdict</th><th>figure</th></tr></thead>\n<tbody>\n";
  for (const auto& v : verdicts)
    out += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td><strong>{}</strong></td><td>{}</td></tr>\n",
                       v.outcome == Outcome::holds ? "holds" : v.outcome == Outcome::does_not_hold ? "fails" : "unclear",
                       html_escape(v.task), html_escape(v.claim), html_escape(v.measured), html_escape(to_string(v.outcome)),
                       html_escape(v.figure.empty() ? "" : v.task + "_" + v.figure));
  out += "</tbody>\n</table>\n";
  if (!advice.empty()) {
    out += "<p>The notes' advice made concrete:</p>\n<ul>\n";
    for (const auto& a : advice) {
      if (a.time_batch > 0)
        out += fmt::format("<li>{}: past batch {:g} the time to the target stops improving (within 10% of the fastest)</li>\n",
                           html_escape(a.task), a.time_batch);
      if (a.test_batch > 0)
        out += a.test_worsens ? fmt::format("<li>{}: past batch {:g} the test loss worsens (more than 5% above the best)</li>\n",
                                            html_escape(a.task), a.test_batch)
                              : fmt::format("<li>{}: up to batch {:g}, the largest, the test loss stays within 5% of the best</li>\n",
                                            html_escape(a.task), a.test_batch);
    }
    out += "</ul>\n";
  }
  return out;
}

}  // namespace

std::string render_report(const SweepView& view, const std::vector<Figure>& figures) {
  const auto& manifest = view.runs.manifest;
  std::string page = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>)" + html_escape("bsweep report: " + view.name) +
                     R"(</title>
<style>
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1700px; color: #222; }
h1, h2, h3 { font-weight: 600; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; }
tr.failed td { background: #fde8e8; }
table.claims td { text-align: left; vertical-align: top; }
tr.holds td:nth-child(4) { color: #1a7f37; }
tr.fails td:nth-child(4) { color: #b42318; }
tr.unclear td:nth-child(4) { color: #8a6d00; }
p.unfinished { background: #fff4d6; padding: 0.6em; border: 1px solid #e6c200; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: 600; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; }
</style>
</head>
<body>
)";
  page += "<h1>" + html_escape("bsweep report: " + view.name) + "</h1>\n";
  // First what is missing: runs not yet run, then runs that failed.
  const bool finished = manifest.is_object() && manifest.contains("finished_at") && !manifest["finished_at"].is_null();
  if (!finished) {
    const std::size_t recorded = view.runs.rows();
    std::size_t total = recorded;
    if (manifest.is_object() && manifest.contains("runs") && manifest["runs"].is_object() &&
        manifest["runs"].value("total", nlohmann::json()).is_number_unsigned())
      total = std::max(total, manifest["runs"]["total"].get<std::size_t>());
    page += fmt::format("<p class=\"unfinished\"><strong>This sweep is unfinished</strong>: {} of its {} runs are "
                        "recorded, {} to go. Run the same <code>bsweep run</code> command again to resume it.</p>\n",
                        recorded, total, total - recorded);
  }
  page += "<h2>Failures</h2>\n";
  page += view.failed == 0 ? "<p>Every run finished ok.</p>\n"
                           : fmt::format("<p>{} run(s) did not finish ok. The figures leave them out; their legends "
                                         "say where.</p>\n",
                                         view.failed) +
                                 runs_table(view, true);
  page += "<h2>Sweep</h2>\n<dl>\n";
  const std::vector<std::pair<std::string, std::string>> facts = {
      {"results", view.source},
      {"grid file", json_text(manifest, "grid_file")},
      {"description", manifest.is_object() && manifest.contains("grid") ? manifest["grid"].value("description", "") : ""},
      {"runs", fmt::format("{} recorded, {} not ok", view.runs.rows(), view.failed)},
      {"started", json_text(manifest, "started_at")},
      {"finished", json_text(manifest, "finished_at")},
      {"bsweep", json_text(manifest, "bsweep_version") + " " + json_text(manifest, "git_revision")},
      {"LibTorch", json_text(manifest, "libtorch_version")},
      {"CPU", json_text(manifest, "cpu_model")},
      {"devices", json_text(manifest, "devices")},
      {"threads per run, workers", json_text(manifest, "threads") + ", " + json_text(manifest, "workers")},
      {"host", json_text(manifest, "host")},
  };
  for (const auto& [name, value] : facts)
    if (!value.empty() && value != " " && value != ", ")
      page += "<dt>" + html_escape(name) + "</dt><dd>" + html_escape(value) + "</dd>\n";
  page += "</dl>\n";
  if (manifest.is_object() && manifest.contains("grid"))
    page += "<details><summary>The grid</summary>\n<pre>" + html_escape(manifest["grid"].dump(2)) + "</pre>\n</details>\n";


  page += claims_section(view);
  page += "<h2>Figures</h2>\n";
  std::string current_task;
  for (const auto& figure : figures) {
    if (figure.task != current_task) {
      current_task = figure.task;
      page += "<h3>" + html_escape("Task " + current_task) + "</h3>\n";
    }
    page += "<figure><img alt=\"" + html_escape(figure.title) + "\" src=\"data:image/png;base64," +
            base64(read_bytes(figure.path)) + "\"><figcaption>" + html_escape(figure.title) + "</figcaption></figure>\n";
  }
  page += "<h2>Runs</h2>\n<p>From runs.csv, by task and batch size; failed runs shaded.</p>\n" + runs_table(view, false);
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace bsweep
