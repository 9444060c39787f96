// The moments pass of the fast path for binary32 and bfloat16 scores in AVX-512 lanes.
// Only this function is compiled for AVX-512 (a target attribute); callers check
// `fast_kernel_level()` first, so the package runs on any x86-64.
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
AVX512 static inline void add_group(const unsigned char *p, size_t size, __mmask16 valid, __m512d *a, __m512d *s) {
  __m512i images = load_images(p, size, valid);
  __m512d first = _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_castsi512_si256(images)));
  __m512d second = _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_extracti64x4_epi64(images, 1)));
  *a = _mm512_add_pd(*a, first);
  *s = _mm512_add_pd(*s, _mm512_mul_pd(first, first));
  *a = _mm512_add_pd(*a, second);
  *s = _mm512_add_pd(*s, _mm512_mul_pd(second, second));
}

AVX512 static inline void add_moments(const unsigned char *p, size_t count, size_t size, double absolute[8], double squares[8]) {
  __m512d a = _mm512_setzero_pd(), s = _mm512_setzero_pd();
  for (size_t i = 0; i < count; i += 16) add_group(p + size * i, size, valid_lanes(count - i), &a, &s);
  _mm512_storeu_pd(absolute, a);
  _mm512_storeu_pd(squares, s);
}

AVX512 void fast_moments_avx512(
  const void *elements, size_t count, size_t element_size, double absolute[8], double squares[8])
{
  // Specialised for each element size, so that the inner loop does not test it.
  if (element_size == 4) add_moments(elements, count, 4, absolute, squares);
  else add_moments(elements, count, 2, absolute, squares);
}

#endif
