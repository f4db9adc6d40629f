#include "build_info.h"

#ifndef BSWEEP_GIT_REVISION
#define BSWEEP_GIT_REVISION "unknown"
#endif
#ifndef BSWEEP_VERSION
#define BSWEEP_VERSION "0.0.0"
#endif

namespace bsweep {

const char* build_version() { return BSWEEP_VERSION; }
const char* build_git_revision() { return BSWEEP_GIT_REVISION; }

}  // namespace bsweep
