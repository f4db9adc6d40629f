#include "cli/commands.h"
#include "sweep/maxbatch.h"
#include "spec/run_limits.h"
#include "sweep/runner.h"

#include <iostream>
#include <memory>

namespace bsweep::cli {

void add_maxbatch_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string grid, max_memory, max_tensor_memory;
    MaxBatchOptions search;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("maxbatch", "find the largest batch size that fits a memory budget, per task, "
                                                 "dtype and device of a grid");
  command->add_option("grid", options->grid, "the grid, e.g. experiments/claims/max_batch.json")->required();
  command->add_option("-o,--out", options->search.out_dir, "folder for the attempts and maxbatch.csv (default: "
                      "results/<grid name>_maxbatch)");
  command->add_option("--max-memory", options->max_memory, "the budget per worker process on the CPU, e.g. 1G "
                      "(LibTorch itself takes about 100 MB of it); CUDA: the GPU's memory");
  command->add_option("--max-tensor-memory", options->max_tensor_memory, "the budget as live CPU tensor bytes, e.g. "
                      "64M: deterministic, and what a GPU's memory limits");
  command->add_option("--steps", options->search.steps, "optimizer steps of each attempt (default 5)")
      ->check(CLI::Range(1, 1000000));
  command->add_option("--margin", options->search.margin, "the recommended size is this fraction below the verified "
                      "one (default 0.1)")
      ;  // checked with the rest (find_max_batches), in one line
  command->add_option("--threads", options->search.threads, "intra-op threads of each attempt (default 1)")
      ->check(CLI::Range(1, 1024));
  command->add_flag("-q,--quiet", options->search.quiet, "print only the table");
  command->callback([options, &exit_code] {
    const SweepSpec spec = load_sweep(options->grid);
    if (!options->max_tensor_memory.empty())
      options->search.max_tensor_bytes = parse_size(options->max_tensor_memory, "--max-tensor-memory");
    if (!options->max_memory.empty()) options->search.max_memory = parse_size(options->max_memory, "--max-memory");
    if (options->search.out_dir.empty()) options->search.out_dir = default_results_dir(spec) + "_maxbatch";
    try {
      const auto results = find_max_batches(spec, options->search, std::cerr);
      std::cout << format_max_batches(results, options->search);
      exit_code = 0;
    } catch (const Interrupted& stop) {
      std::cerr << "bsweep: " << stop.what() << "\n";
      exit_code = 130;
    }
  });
}

}  // namespace bsweep::cli
