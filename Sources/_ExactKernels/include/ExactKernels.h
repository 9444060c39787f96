#ifndef EXACT_KERNELS_H
#define EXACT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The most elements one call of the binary32 window kernel may take (the lane bound in
/// binary32_window.c depends on it).
#define EXACT_BINARY32_WINDOW_CHUNK 8192

/// The window width W: a call sums, in vector lanes, the elements whose effective exponent
/// field max(e, 1) lies in [base, base + W].
#define EXACT_BINARY32_WINDOW_WIDTH 31

/// The result of one binary32 window kernel call over a chunk of elements.
///
/// With `m` the integer significand and `e1 = max(e, 1)` the effective exponent field of
/// an element summed in lanes: `absolute = Σ m · 2^(e1 − base)` and
/// `squares = Σ m² · 2^(2(e1 − base))`, both as little-endian 128-bit integers.
typedef struct {
  uint64_t absolute_low, absolute_high;
  uint64_t squares_low, squares_high;
  /// The effective exponent field of the unit of the sums, ≥ 1.
  int32_t base;
  /// How many raw elements were written to `spill` (not summed).
  size_t spilled_count;
} exact_binary32_window_sums;

/// Whether this CPU and operating system run AVX-512F code (1) or not (0; always 0 off
/// x86-64).
int exact_cpu_has_avx512f(void);

#if defined(__x86_64__)
/// Sums into `out` the elements of `bits[0 ..< count]` (binary32, little-endian, any
/// alignment) that are zero or finite with an effective exponent in the window, and copies
/// the bits of every other element (nonzero below the window, NaN, ±infinity, and the last
/// `count % 16` elements) to `spill`, so each element is in exactly one of the two.
/// `count ≤ EXACT_BINARY32_WINDOW_CHUNK`; `spill` has room for `count` elements.
/// Requires AVX-512F.
void exact_binary32_window_moments_avx512(
  const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out);
#endif

#endif
