// What this binary was built from. Its own file, so a new commit recompiles only build_info.cpp.
#pragma once

namespace bsweep {

const char* build_version();
const char* build_git_revision();
// The LibTorch the training part was built against, and whether it has CUDA.
const char* build_libtorch_version();
bool build_libtorch_cuda();

}  // namespace bsweep
