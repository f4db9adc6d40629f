#include "results/folder_lock.h"

#include "util/errors.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <optional>
#include <string>

using namespace bsweep;

TEST_CASE("one sweep at a time holds a results folder") {
  bsweep::test::TempDir dir;
  const std::string folder = dir.path() + "/new/folder";
  std::optional<FolderLock> first(folder);  // creates the folder
  // flock locks belong to the open file: a second open in this process conflicts just as another process would.
  CHECK_THROWS_AS(FolderLock(folder), ResourceError);
  CHECK_THROWS_WITH(FolderLock(folder), Catch::Contains("is in use by another bsweep run (pid " +
                                                        std::to_string(getpid()) + ")"));
  first.reset();
  CHECK_NOTHROW(FolderLock(folder));
}

TEST_CASE("a folder that cannot be made is a clear error") {
  bsweep::test::TempDir dir;
  const std::string file = dir.path() + "/plain-file";
  FILE* f = fopen(file.c_str(), "w");
  fclose(f);
  CHECK_THROWS_WITH(FolderLock(file + "/results"), Catch::Contains("cannot create the results folder"));
}
