#include "results/writer.h"

#include "util/json_path.h"
#include "spec/lr_rules.h"
#include "results/csv.h"
#include "results/row_digest.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace bsweep {
namespace {

std::string number(double value) { return fmt::format("{}", value); }
std::string optional_number(double value) { return value < 0 ? std::string() : number(value); }

// A linear model's weights then bias (`values`), under the names runs_header and curves_header give them in a
// file whose widest linear task has `linear_features` weights.
void put_linear(Row& row, const std::string& prefix, const std::vector<double>& values, std::int64_t linear_features) {
  if (values.empty()) return;
  for (std::size_t i = 0; i + 1 < values.size(); ++i)
    row[prefix + linear_weight_column(i, linear_features)] = number(values[i]);
  row[prefix + "b"] = number(values.back());
}
// A test loss: empty where the task has no test split, else the number (NaN too: a diverged run's).
std::string test_value(bool has_test, double value) { return has_test ? number(value) : std::string(); }

// The machine's refusal as a ResourceError that names the file and what ran out.
[[noreturn]] void refuse(const char* what, const std::string& path, int error) {
  std::string hint;
  if (error == ENOSPC || error == EDQUOT) hint = "; free some space and run the same command again to resume";
  if (error == EROFS || error == EACCES || error == EPERM) hint = "; choose a writable folder with -o";
  if (error == ELOOP) {
    // O_NOFOLLOW's refusal: in a shared folder another user may have planted the link.
    throw ResourceError(fmt::format("cannot {} {}: it is a symbolic link, and bsweep never writes through a link in "
                                    "a results folder; remove it (or write to another folder with -o)",
                                    what, path));
  }
  throw ResourceError(fmt::format("cannot {} {}: {}{}", what, path, std::strerror(error), hint));
}

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const auto wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) refuse("write", path, errno);
    done += static_cast<std::size_t>(wrote);
  }
}

// Opens `path` (created if absent) with `mode` (O_APPEND or O_TRUNC), writes `text` with one write() where the
// kernel allows, fsyncs and closes. A write that fails part way (a full disk) is cut back to the file's length
// before it, so no torn row is left behind.
void write_durably(const std::string& path, int mode, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | mode, 0644);
  if (fd < 0) refuse("open", path, errno);
  struct stat before {};
  ::fstat(fd, &before);
  try {
    write_all(fd, text, path);
    if (::fsync(fd) != 0 && errno != EINVAL) refuse("write", path, errno);
  } catch (...) {
    if (::ftruncate(fd, before.st_size) != 0) { /* the next open repairs a torn tail */ }
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void ensure_header(const std::string& path, const std::vector<std::string>& header) {
  if (!std::filesystem::exists(path)) {
    append_durably(path, csv_line(header));
    return;
  }
  const auto existing = read_csv(path).header;
  if (existing != header)
    throw InputError(fmt::format("{}: its columns differ from this version's; write to a new folder", path));
}

}  // namespace

void append_durably(const std::string& path, const std::string& text) {
  write_durably(path, O_APPEND, text);
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  // A leftover of a killed writer, or a link someone planted: removed (unlink never follows), then made afresh.
  if (::unlink(temporary.c_str()) != 0 && errno != ENOENT) refuse("replace", temporary, errno);
  try {
    write_durably(temporary, O_EXCL, text);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    refuse("replace", path, error);
  }
}

void repair_torn_tail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t end = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;  // a doubled quote toggles twice
    if (text[i] == '\n' && !quoted) end = i + 1;
  }
  if (end == text.size()) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);  // truncate() would follow a link
  if (fd < 0) refuse("repair", path, errno);
  const bool cut = ::ftruncate(fd, static_cast<off_t>(end)) == 0;
  const int error = errno;
  ::close(fd);
  if (!cut) refuse("repair", path, error);
}

Row make_run_row(const RunSpec& run, const TrainResult& result, std::int64_t linear_features) {
  const auto& plan = result.plan;
  const bool epochs = run.budget.kind == Budget::Kind::epochs;
  Row row = {
      {"run_id", run.id},
      {"index", std::to_string(run.index)},
      {"task", run.task.name},
      {"task_type", run.task.type},
      {"task_params", run.task.params.dump()},
      {"n_train", std::to_string(run.task.train_size())},
      {"n_test", std::to_string(run.task.test_size())},
      {"batch_size", run.batch_size.label()},
      {"batch_size_effective", plan.batch_size ? std::to_string(plan.batch_size) : ""},
      {"lr", number(run.lr)},
      {"lr_scaling", run.lr_scaling.rule == "none" ? "none" : fmt::format("{}/{}", run.lr_scaling.rule, run.lr_scaling.base_batch)},
      {"warmup_epochs", number(run.warmup_epochs)},
      {"until", run.until ? fmt::format("{}{}{}", run.until->metric, run.until->is_loss() ? "<=" : ">=",
                                        number(run.until->value)) : ""},
      {"probes", run.probes.empty() ? "" : run.probes.dump()},
      {"lr_used", plan.batch_size ? number(scaled_lr(run, plan.batch_size)) : ""},
      {"optimizer", run.optimizer.name},
      {"momentum", run.optimizer.momentum_if_any() ? number(*run.optimizer.momentum_if_any()) : ""},
      {"optimizer_options", run.optimizer.options_set().empty() ? "" : run.optimizer.options_set().dump()},
      {"epochs", epochs ? std::to_string(run.budget.value) : ""},
      {"steps", epochs ? "" : std::to_string(run.budget.value)},
      {"seed", std::to_string(run.seed)},
      {"dtype", run.dtype},
      {"device", run.device},
      {"device_used", result.device},
      {"shuffle", run.shuffle ? "true" : "false"},
      {"drop_last", run.drop_last ? "true" : "false"},
      {"log_every", std::to_string(run.log_every)},
      {"generator", run.generator},
      {"stream", run.shared_stream ? "shared" : "per_run"},
      {"stream_previous", run.stream_previous},
      {"iterations_per_epoch", plan.iterations_per_epoch ? std::to_string(plan.iterations_per_epoch) : ""},
      {"iterations", std::to_string(result.iterations)},
      {"wall_s", number(result.wall_s)},
      {"cohort", result.cohort},
      {"cohort_size", std::to_string(result.cohort_size)},
      {"status", to_string(result.status)},
      {"error", result.error},
  };
  if (!result.curve.empty()) {
    const auto& last = result.curve.back();
    row["final_train_loss"] = number(last.train_loss);
    row["final_test_loss"] = test_value(run.task.test_size() > 0, last.test_loss);
    row["final_train_accuracy"] = optional_number(last.train_accuracy);
    row["final_test_accuracy"] = optional_number(last.test_accuracy);
  }
  if (result.iterations > 0 && result.train_s > 0) {
    // One step of this configuration alone: the run's own clock, or in a cohort its cost probe's.
    const double step_s =
        result.alone_step_s > 0 ? result.alone_step_s : result.train_s / static_cast<double>(result.iterations);
    const double samples_per_step = static_cast<double>(result.samples) / static_cast<double>(result.iterations);
    row["train_s"] = number(result.train_s);
    row["epoch_s"] = number(step_s * static_cast<double>(plan.iterations_per_epoch));
    row["step_s"] = number(step_s);
    row["samples_per_s"] = number(samples_per_step / step_s);
  }
  if (result.process_peak_rss_bytes >= 0) row["process_peak_rss_bytes"] = std::to_string(result.process_peak_rss_bytes);
  for (const auto& [name, value] : result.measures) row[name] = number(value);
  if (run.task.linear_features() > 0) {
    put_linear(row, "", linear_weights(result.parameters), linear_features);
    put_linear(row, "lstsq_", result.least_squares, linear_features);
  }
  return row;
}

ResultsWriter::ResultsWriter(std::string directory, std::int64_t linear_features)
    : directory_(std::move(directory)),
      linear_features_(linear_features),
      runs_header_(bsweep::runs_header(linear_features)),
      digest_at_(static_cast<std::size_t>(std::find(runs_header_.begin(), runs_header_.end(), "row_digest") -
                                          runs_header_.begin())),
      curves_header_(bsweep::curves_header(linear_features)) {
  std::filesystem::create_directories(directory_);
  ensure_header(directory_ + "/curves.csv", curves_header_);
  ensure_header(directory_ + "/weights.csv", header_of(weight_columns()));
  ensure_header(directory_ + "/data.csv", header_of(data_columns()));
  ensure_header(directory_ + "/probes.csv", header_of(series_columns()));
  ensure_header(directory_ + "/runs.csv", runs_header_);
}

void ResultsWriter::append(const RunSpec& run, const TrainResult& result) {
  const bool has_test = run.task.test_size() > 0;
  std::string curves;
  for (const auto& point : result.curve) {
    Row row = {{"run_id", run.id},
         {"epoch", number(point.epoch)},
         {"iteration", std::to_string(point.iteration)},
         {"train_loss", number(point.train_loss)},
         {"test_loss", test_value(has_test, point.test_loss)},
         {"train_accuracy", optional_number(point.train_accuracy)},
         {"test_accuracy", optional_number(point.test_accuracy)},
         {"batch_loss", optional_number(point.batch_loss)},
               {"elapsed_s", number(point.elapsed_s)}};
    put_linear(row, "", point.linear, linear_features_);
    for (const auto& [name, value] : point.measures) row[name] = number(value);
    curves += csv_line(order(row, curves_header_));
  }
  std::string weights;
  for (const auto& parameter : result.parameters)
    for (std::size_t i = 0; i < parameter.values.size(); ++i)
      weights += csv_line({run.id, parameter.name, std::to_string(i), number(parameter.values[i])});
  std::string data;
  for (std::size_t i = 0; i < result.data.x.size() && i < result.data.y.size(); ++i)
    data += csv_line({run.id, std::to_string(i), number(result.data.x[i]), number(result.data.y[i])});
  std::string series;
  for (const auto& v : result.series)
    series += csv_line({run.id, std::to_string(v.iteration), number(v.epoch), v.quantity, std::to_string(v.m),
                        number(v.value)});
  if (!curves.empty()) append_durably(directory_ + "/curves.csv", curves);
  if (!series.empty()) append_durably(directory_ + "/probes.csv", series);
  if (!weights.empty()) append_durably(directory_ + "/weights.csv", weights);
  if (!data.empty()) append_durably(directory_ + "/data.csv", data);
  auto fields = order(make_run_row(run, result, linear_features_), runs_header_);
  fields.at(digest_at_) = row_digest(fields, digest_at_);
  append_durably(directory_ + "/runs.csv", csv_line(fields));
}

}  // namespace bsweep
