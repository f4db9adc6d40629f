#include "cli/commands.h"
#include "sweep/merge.h"

#include <iostream>
#include <memory>

namespace bsweep::cli {

void add_merge_command(CLI::App& app, int& exit_code) {
  auto out = std::make_shared<std::string>();
  auto folders = std::make_shared<std::vector<std::string>>();
  auto* command = app.add_subcommand("merge", "join results folders of one grid (shards, or machines that share no "
                                              "filesystem) into one; `bsweep run GRID -o OUT` resumes it");
  command->add_option("out", *out, "the merged folder")->required();
  command->add_option("folders", *folders, "the folders to join")->required();
  command->callback([out, folders, &exit_code] {
    merge_folders(*out, *folders, std::cout);
    exit_code = 0;
  });
}

}  // namespace bsweep::cli
