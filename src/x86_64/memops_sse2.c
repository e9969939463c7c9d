/* SPDX-License-Identifier: BSD-3-Clause */
/* Copy and fill kernels with 16-byte SSE2 vectors (every x86_64 CPU). */
#define ISA sse2
#include "vec_sse2.h"

#include "memops_template.h"
