// The one place where LibTorch version differences are handled.
// Debian ships LibTorch 1.13; the GPU machine has PyTorch 2.x.
#pragma once

#include <torch/version.h>

// c10::Allocator::allocate lost its `const` in LibTorch 2.3 (pytorch/pytorch#120969).
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
#define BSWEEP_ALLOCATOR_ALLOCATE_CONST
#else
#define BSWEEP_ALLOCATOR_ALLOCATE_CONST const
#endif
