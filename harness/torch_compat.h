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

// Optimizer::zero_grad() sets gradients to None by default from 2.0 on; both are equivalent for
// the optimizers we use, but we say it explicitly so 1.13 and 2.x take the same path.
#if TORCH_VERSION_MAJOR >= 2
#define BSWEEP_ZERO_GRAD(opt) (opt).zero_grad(/*set_to_none=*/true)
#else
#define BSWEEP_ZERO_GRAD(opt) (opt).zero_grad()
#endif
