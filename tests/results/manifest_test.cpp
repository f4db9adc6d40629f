#include "results/manifest.h"

#include "util/host.h"

#include <catch2/catch.hpp>

using namespace bsweep;

TEST_CASE("the manifest names the CPU at once and other devices as their runs report them") {
  const auto fresh = initial_devices({"cpu", "cuda"}, nullptr);
  CHECK(fresh.at("cpu") == "cpu: " + cpu_model_name());
  CHECK(fresh.at("cuda") == kDeviceNotUsedYet);
  const auto resumed = initial_devices({"cuda", "auto"}, {{"cuda", "cuda: NVIDIA H100"}});
  CHECK(resumed.at("cuda") == "cuda: NVIDIA H100");
  CHECK(resumed.at("auto") == kDeviceNotUsedYet);
}

TEST_CASE("the manifest records the build, the LibTorch it was built against and the grid") {
  ManifestInfo info;
  info.grid = {{"name", "g"}};
  info.devices = {{"cpu", "cpu: x"}};
  const auto manifest = make_manifest(info);
  CHECK(manifest.at("libtorch_version").get<std::string>().rfind("1", 0) != std::string::npos);
  CHECK(manifest.at("libtorch_cuda").is_boolean());
  CHECK(manifest.at("devices") == nlohmann::json{{"cpu", "cpu: x"}});
  CHECK(manifest.at("grid") == info.grid);
}
