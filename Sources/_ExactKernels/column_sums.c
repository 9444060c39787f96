// The column sums of ExactRunSum.columnAbsoluteSums for binary32 and bfloat16 matrices in
// AVX2 lanes. Only the kernel is compiled for AVX2 (a target attribute); callers check
// `exact_column_sums_avx2_supported()` first, so the package runs on any x86-64.
//
// Per column j it computes, row after row, what the portable loop (Exact, ExactRunSum)
// computes: the binary32 image b of |x| (a bfloat16 shifted into a binary32 pattern; the
// sign bit cleared), high[j] = max(high[j], b) and low_minus_one[j] = min(low_minus_one[j],
// b − 1) as unsigned 32-bit integers, and sums[j] += b widened exactly to binary64, each
// addition rounded once. Maxima and minima do not depend on the order, and each sum takes
// the same terms in the same order, so the results are the portable ones bit for bit (but
// for the payloads of NaN sums, which the caller replaces: a NaN fails the exactness test).

#include "ExactKernels.h"

#if defined(__x86_64__)

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

int exact_column_sums_avx2_supported(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? 1 : 0;
}

/// The binary32 image of |x| of the element of `size` bytes at `p`.
static inline uint32_t image(const unsigned char *p, size_t size) {
  if (size == 4) {
    uint32_t bits;
    __builtin_memcpy(&bits, p, 4);
    return bits & 0x7fffffff;
  }
  uint16_t half;
  __builtin_memcpy(&half, p, 2);
  return ((uint32_t)half << 16) & 0x7fffffff;
}

/// The binary32 images of |x| of the 8 elements of `size` bytes at `p`.
AVX2 static inline __m256i images8(const unsigned char *p, size_t size) {
  const __m256i magnitude = _mm256_set1_epi32(0x7fffffff);
  if (size == 4) return _mm256_and_si256(_mm256_loadu_si256((const __m256i *)p), magnitude);
  __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
  return _mm256_and_si256(_mm256_slli_epi32(wide, 16), magnitude);
}

/// One row, specialised for the element size.
AVX2 static inline void add_row(
  const unsigned char *p, size_t size, size_t width, double *sums, uint32_t *high, uint32_t *low_minus_one)
{
  const __m256i one = _mm256_set1_epi32(1);
  size_t j = 0;
  for (; j + 8 <= width; j += 8) {
    __m256i b = images8(p + size * j, size);
    __m256i *h = (__m256i *)(high + j), *l = (__m256i *)(low_minus_one + j);
    _mm256_storeu_si256(h, _mm256_max_epu32(_mm256_loadu_si256(h), b));
    _mm256_storeu_si256(l, _mm256_min_epu32(_mm256_loadu_si256(l), _mm256_sub_epi32(b, one)));
    __m256 f = _mm256_castsi256_ps(b);
    _mm256_storeu_pd(sums + j, _mm256_add_pd(_mm256_loadu_pd(sums + j), _mm256_cvtps_pd(_mm256_castps256_ps128(f))));
    _mm256_storeu_pd(sums + j + 4, _mm256_add_pd(_mm256_loadu_pd(sums + j + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1))));
  }
  for (; j < width; j++) {
    uint32_t b = image(p + size * j, size);
    if (b > high[j]) high[j] = b;
    if (b - 1 < low_minus_one[j]) low_minus_one[j] = b - 1;
    float f;
    __builtin_memcpy(&f, &b, 4);
    sums[j] += (double)f;
  }
}

AVX2 void exact_column_sums_avx2(
  const void *values, size_t element_size, size_t rows, size_t stride, size_t width, double *sums, uint32_t *high,
  uint32_t *low_minus_one)
{
  const unsigned char *base = values;
  for (size_t row = 0; row < rows; row++) {
    const unsigned char *p = base + element_size * stride * row;
    if (element_size == 4) add_row(p, 4, width, sums, high, low_minus_one);
    else add_row(p, 2, width, sums, high, low_minus_one);
  }
}

#else

int exact_column_sums_avx2_supported(void) { return 0; }

#endif
