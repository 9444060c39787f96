#ifndef FAST_KERNELS_H
#define FAST_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The elements of a block: the unit of the sums (and of the fast path's threads), and the
/// most one call of a kernel takes.
#define FAST_BLOCK 8192

/// The formats the kernels read as binary32 images of the magnitudes (`format` arguments):
/// binary32 (4 bytes), bfloat16 and IEEE 754 binary16 (2 bytes each), little-endian.
#define FAST_BINARY32 0
#define FAST_BFLOAT16 1
#define FAST_BINARY16 2

/// The widest kernels this CPU and operating system run: 3 for AVX-512F, AVX-512BW and
/// AVX-512VL with AVX-512 VBMI2, 2 for the three without VBMI2, 1 for AVX2 (with F16C, which
/// every AVX2 CPU has), 0 for none (always 0 off x86-64).
int fast_kernel_level(void);

/// A spin-wait hint to the processor: `pause` on x86-64; `isb sy` on arm64 (which, unlike
/// `yield`, a no-op on most cores, stalls for a short while as `pause` does); elsewhere only
/// a compiler barrier, so that the loop still reloads what it waits for.
static inline void fast_spin_pause(void) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm64__)
  __asm__ __volatile__("isb sy" ::: "memory");
#else
  __asm__ __volatile__("" ::: "memory");
#endif
}

#if defined(__x86_64__)
/// Adds the magnitudes and their squares of `count ≤ FAST_BLOCK` elements of `format` (any
/// alignment) into 8 binary64 lanes each, starting from +0: lane j receives |x| (the binary32
/// image widened exactly to binary64) and |x|·|x| (exact) of the elements with index ≡ j
/// (mod 8), in index order. NaN and ±∞ make their lanes non-finite (binary16 NaN: +∞).
///
/// Requires level 2; `fast_moments_avx2` (the same results) level 1.
void fast_moments_avx512(
  const void *elements, size_t count, int format, double absolute[8], double squares[8]);
void fast_moments_avx2(
  const void *elements, size_t count, int format, double absolute[8], double squares[8]);

/// Classifies the magnitudes of `count ≤ FAST_BLOCK` elements of `format` (any alignment)
/// against the binary32 images `low_image ≤ high_image` (both in [0, 2^31)). With `image`
/// the binary32 bit pattern of |x| (a bfloat16 or binary16 read as the binary32 of the same
/// value; a binary16 NaN as +∞):
///
/// - bit k of `high[w]` is set when element 64w + k has image ≥ high_image;
/// - bit k of `interior[w]` when low_image ≤ image < high_image;
/// - bits past `count` are 0; `high` and `interior` hold ⌈count/64⌉ words;
/// - `kept[j]` is the sum, in index order starting from +0, of the |x| (widened exactly to
///   binary64) of the elements with index ≡ j (mod 8) whose image is ≥ high_image;
/// - unless `offsets` is NULL, the indices and images of the elements inside
///   [low_image, high_image), in index order, go to `offsets` and `images`, each with room
///   for `count` entries; returns how many (else 0).
///
/// Requires level 2; it lists the inside elements by a bit scan of the interior words.
size_t fast_classify_avx512(
  const void *elements, size_t count, int format, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8], uint32_t *offsets, uint32_t *images);

/// `fast_classify_avx512`, listing by 16-bit compresses of the interior words (no branch per
/// word). Same results. Requires level 3.
size_t fast_classify_avx512_vbmi2(
  const void *elements, size_t count, int format, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8], uint32_t *offsets, uint32_t *images);

/// `fast_classify_avx512` with AVX2 (8 lanes per compare). Same results. Requires level 1.
size_t fast_classify_avx2(
  const void *elements, size_t count, int format, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8], uint32_t *offsets, uint32_t *images);

/// `fast_moments_avx512` of `count ≤ FAST_BLOCK` binary64 elements: lane j receives |x| and
/// the rounded |x|·|x| of the elements with index ≡ j (mod 8), in index order, each addition
/// rounded. Requires level 2; `fast_moments64_avx2` (the same results) level 1.
void fast_moments64_avx512(const double *elements, size_t count, double absolute[8], double squares[8]);
void fast_moments64_avx2(const double *elements, size_t count, double absolute[8], double squares[8]);

/// `fast_classify_avx512` of `count ≤ FAST_BLOCK` binary64 elements against the bracket
/// `0 ≤ low < high` itself (compared as binary64), without lists: fills `high_bits`,
/// `interior` and `kept` as that function fills `high`, `interior` and `kept`.
/// Requires level 2; `fast_classify64_avx2` (the same results) level 1.
void fast_classify64_avx512(
  const double *elements, size_t count, double low, double high, uint64_t *high_bits, uint64_t *interior, double kept[8]);
void fast_classify64_avx2(
  const double *elements, size_t count, double low, double high, uint64_t *high_bits, uint64_t *interior, double kept[8]);
#endif

#endif
