#include "results/runs_file.h"

#include "util/json_path.h"
#include "results/runs_check.h"
#include "results/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace bsweep {
namespace fs = std::filesystem;

std::optional<std::size_t> RunsFile::find(const std::string& name) const { return find_in_header(header_, name); }

std::size_t RunsFile::column(const std::string& name) const {
  if (auto found = find(name)) return *found;
  throw InputError(fmt::format("{}:1: no column \"{}\": not a bsweep runs.csv", path, name));
}

std::string RunsFile::where(std::size_t row, std::size_t column) const {
  return field_place(path, lines_[row], header_, column);
}

std::optional<double> RunsFile::number(std::size_t row, std::size_t column) const {
  if (!text_[column]) return columns_[column].number(row);
  const auto text = columns_[column].text(row);
  if (text.empty()) return std::nullopt;
  if (auto value = parse_strict_number(text)) return value;
  throw InputError(fmt::format("{}: expected a number, got \"{}\"", where(row, column), text));
}

void RunsFile::set_header(std::vector<std::string> header) {
  header_ = std::move(header);
  columns_.clear();
  text_.clear();
  for (const auto& name : header_) {
    // Settings, the batch size used and outcomes stay coded: readers group runs by them. An unknown column is
    // read as numbers, as the check reads it.
    const Column* known = find_run_column(name);
    const bool setting = known && known->role == Role::config;
    text_.push_back(is_text_column(name));
    columns_.emplace_back(!text_.back(), setting || name == "batch_size_effective" || name == "status" ||
                                                     name == "device_used");
  }
}

void RunsFile::append(const std::vector<std::string_view>& fields, const std::vector<double>& numbers,
                      std::size_t line) {
  for (std::size_t c = 0; c < fields.size(); ++c) columns_[c].append(fields[c], numbers[c]);
  lines_.push_back(static_cast<std::uint32_t>(line));
}

double RunsFile::required_number(std::size_t row, std::size_t column) const {
  if (auto value = number(row, column)) return *value;
  throw InputError(fmt::format("{}: expected a number, got an empty field", where(row, column)));
}

namespace {

// A runs.csv begins with run_id and index; curves.csv and weights.csv begin with run_id too, so say which
// file it is when someone passes one of those.
void check_is_runs_file(const RunsFile& runs) {
  const bool curves = runs.find("iteration") && runs.find("elapsed_s") && !runs.find("seed");
  const bool weights = runs.find("parameter") && runs.find("value") && !runs.find("seed");
  if (curves || weights)
    throw InputError(fmt::format("{}:1: this is a {} file, not runs.csv: give the results folder or its runs.csv",
                                 runs.path, curves ? "curves" : "weights"));
  for (const char* name : {"run_id", "seed", "status"}) runs.column(name);
}

// Units recorded by the bsweep that wrote the file must be the units this one reads.
void check_units(const RunsFile& runs, const std::string& manifest_path) {
  if (!runs.manifest.is_object() || !runs.manifest.contains("units")) return;
  const auto& units = runs.manifest["units"];
  if (!units.is_object() || !units.contains("runs.csv") || !units["runs.csv"].is_object()) return;
  for (const auto& [name, unit] : units["runs.csv"].items()) {
    const Column* column = find_run_column(name);
    if (column == nullptr || !runs.find(name)) continue;
    if (!unit.is_string() || unit.get<std::string>() != column->unit)
      throw InputError(fmt::format("{}: units.runs.csv.{}: recorded in {}, but this bsweep reads {} in \"{}\"",
                                   manifest_path, name, unit.dump(), name, column->unit));
  }
}

// Rows handed from the thread that reads and checks what they say to the one that checks what they hold and keeps
// them: views into the reader's buffer, which the batch holds (a batch is the rows of one buffer).
struct RowBatch {
  std::shared_ptr<const std::string> buffer;
  std::vector<std::string_view> fields;  // by field, row after row
  std::deque<std::string> unquoted;      // the fields that held doubled quotes, which are not in the buffer
  std::vector<std::size_t> lines;        // by row
  std::vector<double> numbers;           // by field: RunsChecker::numbers()
};

// A bounded queue of batches from one thread to another. The reading side ends it with finish (and the error
// that stopped it, if any); the keeping side may cancel it, which makes the reading side stop.
class BatchQueue {
 public:
  bool push(RowBatch batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return batches_.size() < 4 || cancelled_; });
    if (cancelled_) return false;
    batches_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }
  void finish(std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    error_ = error;
    changed_.notify_all();
  }
  void cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }
  // The next batch; nullopt at the end; the reading side's error, after every batch it read before it.
  std::optional<RowBatch> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !batches_.empty() || finished_; });
    if (batches_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return std::nullopt;
    }
    RowBatch batch = std::move(batches_.front());
    batches_.pop_front();
    changed_.notify_all();
    return batch;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<RowBatch> batches_;
  bool finished_ = false, cancelled_ = false;
  std::exception_ptr error_;
};

}  // namespace

RunsFile read_runs_file(const std::string& results) {
  RunsFile runs;
  runs.source = results;
  const bool is_folder = fs::is_directory(results);
  runs.path = is_folder ? (fs::path(results) / "runs.csv").string() : results;
  if (!fs::exists(runs.path))
    throw InputError(is_folder ? fmt::format("{}: no runs.csv in this folder: not a bsweep results folder", results)
                               : fmt::format("{}: no such file", results));
  auto reader = CsvRowReader::open_file(runs.path);
  reader.next();  // the header
  runs.set_header(std::vector<std::string>(reader.fields().begin(), reader.fields().end()));
  check_is_runs_file(runs);
  RunsChecker checker(runs.header(), runs.path, Duplicates::refuse);
  // Two threads, as a million rows take seconds: one reads rows and checks what they say, the other checks
  // they are whole and keeps them. The checks are those of one thread, in the same order: the first error in
  // the file is the one told.
  BatchQueue queue;
  std::thread reading([&] {
    RowBatch batch;
    try {
      while (reader.next()) {
        if (reader.buffer() != batch.buffer) {  // the reader read on into another buffer
          if (!batch.lines.empty() && !queue.push(std::move(batch))) return;
          batch = RowBatch{};
          batch.buffer = reader.buffer();
          const std::size_t fields = std::max<std::size_t>(batch.buffer->size() / 4, reader.fields().size());
          batch.fields.reserve(fields);  // a field takes a few bytes at least
          batch.numbers.reserve(fields);
        }
        checker.check_row_settings(reader.fields(), reader.line());
        batch.numbers.insert(batch.numbers.end(), checker.numbers().begin(), checker.numbers().end());
        for (const auto field : reader.fields())
          batch.fields.push_back(reader.in_buffer(field) ? field : batch.unquoted.emplace_back(field));
        batch.lines.push_back(reader.line());
      }
      if (!batch.lines.empty() && !queue.push(std::move(batch))) return;
      queue.finish(nullptr);
    } catch (...) {
      // The rows before the one that failed are checked on first: the first error in the file is the one told.
      if (!batch.lines.empty() && !queue.push(std::move(batch))) return;
      queue.finish(std::current_exception());
    }
  });
  struct Join {  // on every way out: a reading thread stopped and joined
    BatchQueue& queue;
    std::thread& thread;
    ~Join() {
      queue.cancel();
      thread.join();
    }
  } join{queue, reading};
  const std::size_t width = runs.header().size();
  std::vector<std::string_view> fields(width);
  std::vector<double> numbers(width);
  while (auto batch = queue.pop()) {
    for (std::size_t row = 0; row < batch->lines.size(); ++row) {
      const auto at = static_cast<std::ptrdiff_t>(row * width);
      fields.assign(batch->fields.begin() + at, batch->fields.begin() + at + static_cast<std::ptrdiff_t>(width));
      numbers.assign(batch->numbers.begin() + at, batch->numbers.begin() + at + static_cast<std::ptrdiff_t>(width));
      checker.check_row_integrity(fields, batch->lines[row]);
      runs.append(fields, numbers, batch->lines[row]);
    }
  }
  checker.check_no_duplicates();
  const auto manifest_path = fs::path(runs.path).parent_path() / "manifest.json";
  if (fs::exists(manifest_path)) {
    runs.manifest = parse_json_file(manifest_path.string());
    check_units(runs, manifest_path.string());
  }
  return runs;
}

}  // namespace bsweep
