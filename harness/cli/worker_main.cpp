// bsweep-worker: trains the runs of one job file in this process (worker.h). Started by `bsweep run`, not by
// people; the only program that loads LibTorch. Exit codes: 0 results handed over, 2 bad job file,
// 75 a result could not be written (job_file.h), 1 anything else.
#include "errors.h"
#include "worker.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"bsweep-worker: trains the runs of a job file written by `bsweep run`"};
  bsweep::WorkerOptions options;
  app.add_option("job", options.job_file, "the job file")->required();
  app.add_option("--threads", options.threads, "intra-op threads");
  app.add_option("--max-memory", options.max_memory, "memory cap in bytes (0: none)");
  try {
    app.parse(argc, argv);
    return bsweep::run_worker(options);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  } catch (const bsweep::InputError& error) {
    std::cerr << fmt::format("bsweep-worker: error: {}\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::cerr << fmt::format("bsweep-worker: internal error: {}\n", error.what());
    return 1;
  }
}
