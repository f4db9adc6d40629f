// bsweep-worker: the only program that loads LibTorch. Started by `bsweep run`, not by people:
//   bsweep-worker --serve        the preloaded server (worker_server.h), on the socket that is its stdin;
//   bsweep-worker JOB_FILE ...   trains the runs of one job file in this process (worker.h).
// Exit codes: 0 results handed over, 2 bad job file or arguments, 75 a result could not be written
// (job_file.h), 1 anything else.
#include "worker/worker.h"
#include "worker/worker_server.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

int main(int argc, char** argv) {
  CLI::App app{"bsweep-worker: trains the runs of job files written by `bsweep run`"};
  bsweep::WorkerOptions options;
  bool serve = false;
  app.add_flag("--serve", serve, "serve job requests on the socket that is standard input");
  app.add_option("job", options.job_file, "the job file");
  app.add_option("--threads", options.threads, "intra-op threads");
  app.add_option("--max-memory", options.max_memory, "memory cap in bytes (0: none)");
  app.add_option("--max-tensor-memory", options.max_tensor_bytes, "live CPU tensor bytes cap (0: none)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (serve) return bsweep::serve_jobs(STDIN_FILENO);
  if (options.job_file.empty()) {
    std::cerr << "bsweep-worker: give a job file, or --serve\n";
    return 2;
  }
  return bsweep::run_worker_reporting(options);
}
