// The moments pass of the fast path for binary32, bfloat16 and binary16 scores (on the
// binary32 images of their magnitudes) in AVX2 or AVX-512 lanes. Only these functions are compiled for AVX2 and AVX-512 (target attributes); callers
// check `fast_kernel_level()` first, so the package runs on any x86-64.
//
// It computes bit for bit what the portable code (EMPFast, FastKernels.moments) computes:
// lane j of each sum receives the elements 8g + j, g = 0, 1, ..., in turn, as exact
// widenings to binary64 (|x|, and x² = |x|·|x|, exact for a widened binary32); lanes past
// the end receive +0, which changes no lane (a lane is never −0). So the proof of
// Proofs/fast-path-error-bounds.md §3 applies unchanged.

#include "FastKernels.h"
#include "images.h"

#if defined(__x86_64__)

/// Adds |x| and x² of the group of 16 elements at `p` (the lanes of `valid`) to `a` and `s`:
/// elements 0–7, then 8–15.
AVX512 static inline void add_group(const unsigned char *p, int format, __mmask16 valid, __m512d *a, __m512d *s) {
  __m512i images = load_images(p, format, valid);
  __m512d first = _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_castsi512_si256(images)));
  __m512d second = _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_extracti64x4_epi64(images, 1)));
  *a = _mm512_add_pd(*a, first);
  *s = _mm512_add_pd(*s, _mm512_mul_pd(first, first));
  *a = _mm512_add_pd(*a, second);
  *s = _mm512_add_pd(*s, _mm512_mul_pd(second, second));
}

AVX512 static inline void add_moments(const unsigned char *p, size_t count, int format, double absolute[8], double squares[8]) {
  __m512d a = _mm512_setzero_pd(), s = _mm512_setzero_pd();
  for (size_t i = 0; i < count; i += 16) add_group(p + format_size(format) * i, format, valid_lanes(count - i), &a, &s);
  _mm512_storeu_pd(absolute, a);
  _mm512_storeu_pd(squares, s);
}

/// Adds |x| and x² of 8 images to lanes 0–3 and 4–7 of `a` and `s`.
AVX2 static inline void add_eight(__m256i images, __m256d a[2], __m256d s[2]) {
  __m256d low = _mm256_cvtps_pd(_mm256_castps256_ps128(_mm256_castsi256_ps(images)));
  __m256d high = _mm256_cvtps_pd(_mm256_extractf128_ps(_mm256_castsi256_ps(images), 1));
  a[0] = _mm256_add_pd(a[0], low);
  a[1] = _mm256_add_pd(a[1], high);
  s[0] = _mm256_add_pd(s[0], _mm256_mul_pd(low, low));
  s[1] = _mm256_add_pd(s[1], _mm256_mul_pd(high, high));
}

/// The same sums with AVX2: lanes 0–3 and 4–7 of each sum in two registers.
AVX2 static inline void add_moments_avx2(const unsigned char *p, size_t count, int format, double absolute[8], double squares[8]) {
  __m256d a[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()}, s[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()};
  size_t i = 0;
  for (; i + 8 <= count; i += 8) add_eight(load_images_avx2(p + format_size(format) * i, format), a, s);
  if (i < count) add_eight(load_tail_images_avx2(p + format_size(format) * i, format, count - i), a, s);
  _mm256_storeu_pd(absolute, a[0]);
  _mm256_storeu_pd(absolute + 4, a[1]);
  _mm256_storeu_pd(squares, s[0]);
  _mm256_storeu_pd(squares + 4, s[1]);
}

/// Defines an entry point of FastKernels.h: `add`, specialised for each format, so that its
/// inner loop does not test it.
#define MOMENTS_ENTRY(name, target, add) \
  target void name(const void *elements, size_t count, int format, double absolute[8], double squares[8]) \
  { \
    if (format == FAST_BINARY32) add(elements, count, FAST_BINARY32, absolute, squares); \
    else if (format == FAST_BFLOAT16) add(elements, count, FAST_BFLOAT16, absolute, squares); \
    else add(elements, count, FAST_BINARY16, absolute, squares); \
  }

MOMENTS_ENTRY(fast_moments_avx2, AVX2, add_moments_avx2)
MOMENTS_ENTRY(fast_moments_avx512, AVX512, add_moments)

#endif
