#include "FastKernels.h"

#if defined(__x86_64__)

int fast_kernel_level(void) {
  __builtin_cpu_init();
  if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c"))) return 0;
  if (!(__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl"))) return 1;
  return __builtin_cpu_supports("avx512vbmi2") ? 3 : 2;
}

#else

int fast_kernel_level(void) { return 0; }

#endif
