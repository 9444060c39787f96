#ifndef EXACT_KERNELS_H
#define EXACT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The most elements one call of a window kernel (binary32 or bfloat16) may take (the lane bounds in
/// binary32_window.c depend on it).
#define EXACT_BINARY32_WINDOW_CHUNK 8192

/// The result of one binary32 window kernel call over a chunk of elements.
///
/// With `m` the integer significand and `e` the exponent field of an element summed in
/// lanes: `absolute = Σ m · 2^(e − base)` and `squares = Σ m² · 2^(2(e − base))`, both as
/// little-endian 128-bit integers.
typedef struct {
  uint64_t absolute_low, absolute_high;
  uint64_t squares_low, squares_high;
  /// The exponent field of the unit of the sums, ≥ 1.
  int32_t base;
  /// How many raw elements were written to `spill` (not summed).
  size_t spilled_count;
} exact_binary32_window_sums;

/// The widest binary32 window kernel this CPU and operating system run: 2 for AVX-512F
/// with AVX-512 IFMA, 1 for AVX-512F alone, 0 for none (always 0 off x86-64).
int exact_binary32_window_kernel_level(void);

/// Whether this CPU and operating system run `exact_column_sums_avx2` (always 0 off x86-64).
int exact_column_sums_avx2_supported(void);

#if defined(__x86_64__)
/// Sums into `out` the elements of `bits[0 ..< count]` (binary32, little-endian, any
/// alignment) that are zero or normal with an exponent field in the chunk's window, and
/// copies the bits of every other element (nonzero outside the window, subnormal, NaN,
/// ±infinity, and the last `count % 16` elements) to `spill`, so each element is in exactly
/// one of the two. `count ≤ EXACT_BINARY32_WINDOW_CHUNK`; `spill` has room for `count`
/// elements. Requires AVX-512F.
void exact_binary32_window_moments_avx512f(
  const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out);

/// As `exact_binary32_window_moments_avx512f`, squaring with 52-bit multiply-adds (a
/// narrower window, fewer instructions). Requires AVX-512F and AVX-512 IFMA.
void exact_binary32_window_moments_avx512ifma(
  const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out);

/// As `exact_binary32_window_moments_avx512f` for bfloat16 elements (2 bytes each), read
/// and spilled as the binary32 bits of the same values (shifted up by 16).
void exact_bfloat16_window_moments_avx512f(
  const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out);

/// As `exact_binary32_window_moments_avx512ifma` for bfloat16 elements, read and spilled as
/// binary32 bits.
void exact_bfloat16_window_moments_avx512ifma(
  const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out);

/// For each column j < `width` of `rows` rows of `element_size`-byte elements (4: binary32,
/// 2: bfloat16, little-endian, any alignment), row r starting `r · stride` elements after
/// `values`, in row order: with b the binary32 image of |x| (bfloat16 shifted up, sign
/// cleared), `high[j] = max(high[j], b)`, `low_minus_one[j] = min(low_minus_one[j], b − 1)`
/// (unsigned) and `sums[j] += b` widened to binary64. Requires AVX2.
void exact_column_sums_avx2(
  const void *values, size_t element_size, size_t rows, size_t stride, size_t width, double *sums, uint32_t *high,
  uint32_t *low_minus_one);
#endif

#endif
