#include "results/result_json.h"

#include "util/build_info.h"
#include "spec/measures.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace bsweep {
namespace {

constexpr int kFormat = 5;  // raise when the layout below changes: an old worker's file is then refused

using json = nlohmann::json;

json named(const std::map<std::string, double>& values) {
  json out = json::object();
  for (const auto& [name, value] : values) out[name] = encode_double(value);
  return out;
}

json doubles(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(encode_double(v));
  return out;
}

// Reads fields of one JSON object, each with a message that names it when it is absent or of the wrong kind.
class Reader {
 public:
  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) throw HandoffError(fmt::format("{}: expected an object", where_));
  }
  const json& at(const char* key) const {
    const auto found = object_.find(key);
    if (found == object_.end()) throw HandoffError(fmt::format("{}.{}: missing", where_, key));
    return *found;
  }
  std::string text(const char* key) const {
    const auto& value = at(key);
    if (!value.is_string()) throw HandoffError(fmt::format("{}.{}: expected a string", where_, key));
    return value.get<std::string>();
  }
  std::int64_t integer(const char* key) const {
    const auto& value = at(key);
    if (!value.is_number_integer()) throw HandoffError(fmt::format("{}.{}: expected an integer", where_, key));
    return value.get<std::int64_t>();
  }
  double number(const char* key) const { return decode_double(at(key), fmt::format("{}.{}", where_, key)); }
  std::vector<double> numbers(const char* key) const {
    const auto& value = at(key);
    if (!value.is_array()) throw HandoffError(fmt::format("{}.{}: expected a list", where_, key));
    std::vector<double> out;
    for (std::size_t i = 0; i < value.size(); ++i)
      out.push_back(decode_double(value[i], fmt::format("{}.{}[{}]", where_, key, i)));
    return out;
  }
  const json& list(const char* key) const {
    const auto& value = at(key);
    if (!value.is_array()) throw HandoffError(fmt::format("{}.{}: expected a list", where_, key));
    return value;
  }
  std::string path(const char* key) const { return fmt::format("{}.{}", where_, key); }
  // An object of declared measures of `where` (probes/measures.h): a name nobody declared is refused.
  std::map<std::string, double> measures(const char* key, Destination where) const {
    const auto& value = at(key);
    if (!value.is_object()) throw HandoffError(fmt::format("{}.{}: expected an object", where_, key));
    std::map<std::string, double> out;
    for (const auto& item : value.items()) {
      const auto item_path = fmt::format("{}.{}.{}", where_, key, item.key());
      if (find_measure(item.key(), where) == nullptr) throw HandoffError(fmt::format("{}: not a declared measure", item_path));
      out[item.key()] = decode_double(item.value(), item_path);
    }
    return out;
  }

 private:
  const json& object_;
  std::string where_;
};

// The binary's version and revision: a worker of another build may lay out the same format differently.
std::string build_identity() { return fmt::format("{} {}", build_version(), build_git_revision()); }

}  // namespace

json encode_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

double decode_double(const json& value, const std::string& where) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  throw HandoffError(fmt::format("{}: expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", got {}", where,
                                 value.dump().substr(0, 40)));
}

json result_to_json(const TrainResult& result, const std::string& sweep_id, const std::string& run_id) {
  json curve = json::array();
  for (const auto& p : result.curve)
    curve.push_back({{"epoch", encode_double(p.epoch)},
                     {"iteration", p.iteration},
                     {"train_loss", encode_double(p.train_loss)},
                     {"test_loss", encode_double(p.test_loss)},
                     {"train_accuracy", encode_double(p.train_accuracy)},
                     {"test_accuracy", encode_double(p.test_accuracy)},
                     {"batch_loss", encode_double(p.batch_loss)},
                     {"elapsed_s", encode_double(p.elapsed_s)},
                     {"linear", doubles(p.linear)},
                     {"measures", named(p.measures)}});
  json series = json::array();
  for (const auto& v : result.series)
    series.push_back({{"iteration", v.iteration}, {"epoch", encode_double(v.epoch)}, {"quantity", v.quantity},
                      {"m", v.m}, {"value", encode_double(v.value)}});
  json parameters = json::array();
  for (const auto& p : result.parameters) parameters.push_back({{"name", p.name}, {"values", doubles(p.values)}});
  return {{"format", kFormat},
          {"build", build_identity()},
          {"sweep", sweep_id},
          {"run_id", run_id},
          {"status", to_string(result.status)},
          {"error", result.error},
          {"plan", {{"n_train", result.plan.n_train},
                    {"batch_size", result.plan.batch_size},
                    {"iterations_per_epoch", result.plan.iterations_per_epoch}}},
          {"iterations", result.iterations},
          {"samples", result.samples},
          {"curve", curve},
          {"parameters", parameters},
          {"least_squares", doubles(result.least_squares)},
          {"device", result.device},
          {"device_name", result.device_name},
          {"data", {{"x", doubles(result.data.x)}, {"y", doubles(result.data.y)}}},
          {"wall_s", encode_double(result.wall_s)},
          {"alone_step_s", encode_double(result.alone_step_s)},
          {"train_s", encode_double(result.train_s)},
          {"measures", named(result.measures)},
          {"series", series}};
}

TrainResult result_from_json(const json& input, const std::string& sweep_id, const std::string& run_id) {
  const Reader top(input, "result");
  if (top.integer("format") != kFormat)
    throw HandoffError(fmt::format("result.format: {} from another version of bsweep (this one reads {})",
                                   top.at("format").dump(), kFormat));
  if (top.text("build") != build_identity())
    throw HandoffError(fmt::format("result.build: written by bsweep {}, read by {} (was the binary rebuilt during "
                                   "the sweep?)",
                                   top.text("build"), build_identity()));
  if (top.text("sweep") != sweep_id)
    throw HandoffError(fmt::format("result.sweep: \"{}\" is another sweep's (this sweep is \"{}\")",
                                   top.text("sweep"), sweep_id));
  if (top.text("run_id") != run_id)
    throw HandoffError(fmt::format("result.run_id: \"{}\" where \"{}\" was expected", top.text("run_id"), run_id));

  TrainResult result;
  // A worker reports ok, diverged, oom or error; a Slurm array task (exec/slurm_task.h) also hands over the
  // timeout or crash of a worker it ran. "interrupted" is only ever the parent's to record.
  const auto status = parse_run_status(top.text("status"));
  if (!status || *status == RunStatus::interrupted)
    throw HandoffError(fmt::format("result.status: \"{}\" is not a status a worker reports", top.text("status")));
  result.status = *status;
  result.error = top.text("error");
  const Reader plan(top.at("plan"), top.path("plan"));
  result.plan = {plan.integer("n_train"), plan.integer("batch_size"), plan.integer("iterations_per_epoch")};
  result.iterations = top.integer("iterations");
  result.samples = top.integer("samples");
  const auto& curve = top.list("curve");
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const Reader p(curve[i], fmt::format("result.curve[{}]", i));
    result.curve.push_back({p.number("epoch"), p.integer("iteration"), p.number("train_loss"), p.number("test_loss"),
                            p.number("train_accuracy"), p.number("test_accuracy"), p.number("batch_loss"),
                            p.number("elapsed_s"), p.numbers("linear"), p.measures("measures", Destination::curves)});
  }
  const auto& parameters = top.list("parameters");
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const Reader p(parameters[i], fmt::format("result.parameters[{}]", i));
    result.parameters.push_back({p.text("name"), p.numbers("values")});
  }
  result.least_squares = top.numbers("least_squares");
  result.device = top.text("device");
  result.device_name = top.text("device_name");
  const Reader data(top.at("data"), top.path("data"));
  result.data = {data.numbers("x"), data.numbers("y")};
  if (result.data.x.size() != result.data.y.size())
    throw HandoffError(fmt::format("result.data: {} x values but {} y values", result.data.x.size(),
                                   result.data.y.size()));
  result.wall_s = top.number("wall_s");
  result.alone_step_s = top.number("alone_step_s");
  result.train_s = top.number("train_s");
  result.measures = top.measures("measures", Destination::runs);
  const auto& series = top.list("series");
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Reader v(series[i], fmt::format("result.series[{}]", i));
    const auto quantity = v.text("quantity");
    if (find_measure(quantity, Destination::series) == nullptr)
      throw HandoffError(fmt::format("{}: \"{}\" is not a declared quantity", v.path("quantity"), quantity));
    result.series.push_back({v.integer("iteration"), v.number("epoch"), quantity, v.integer("m"), v.number("value")});
  }
  return result;
}

}  // namespace bsweep
