#include "results/status.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>
#include <string>

using namespace bsweep;

TEST_CASE("every run status reads back from its word, and the failures are those that left no result") {
  std::set<std::string> names, failures;
  for (const auto& status : run_statuses()) {
    CHECK(parse_run_status(status.name) == status.status);
    CHECK(&info(status.status) == &status);
    CHECK(fmt::format("{}", status.status) == status.name);
    CHECK(std::string(status.meaning).size() > 10);
    names.insert(status.name);
    if (is_failure(status.status)) failures.insert(status.name);
  }
  CHECK(names.size() == run_statuses().size());
  CHECK(failures == std::set<std::string>{"oom", "timeout", "crashed", "error"});
  CHECK_FALSE(parse_run_status("OK"));
  CHECK_FALSE(parse_run_status("ok "));
  CHECK_FALSE(parse_run_status(""));
  CHECK(run_status_names() == "ok, diverged, oom, timeout, crashed, error or interrupted");
}
