// The moments and classification passes of the fast path for binary64 scores (the products
// of the Wanda and Taylor criteria) in AVX2 or AVX-512 lanes. As for the binary32 kernels,
// only these functions are compiled for AVX2 and AVX-512 (target attributes), and callers
// check `fast_kernel_level()` first.
//
// They compute bit for bit what the portable code (EMPFast, FastKernels) computes for
// binary64 scores: |x| is x with its sign bit cleared; lane j of each sum receives the
// elements 8g + j, g = 0, 1, ..., in turn; each addition and each square |x|·|x| is rounded
// once (never fused: contraction is off in this file); lanes past the end receive +0, which
// changes no lane (a lane is never −0), and 0·0 = +0. Comparisons are ordered (NaN is never
// ≥ a bound), as Swift's `.>=` is. So the proof of Proofs/fast-path-error-bounds.md §3
// applies unchanged.

#include "FastKernels.h"
#include "images.h"

#if defined(__x86_64__)

#pragma clang fp contract(off)

/// |x| of the 4 binary64 at `p`.
AVX2 static inline __m256d magnitudes4(const double *p) {
  return _mm256_and_pd(_mm256_loadu_pd(p), _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffff)));
}

/// |x| of the first `lanes` (a prefix of 8) binary64 at `p`; +0 in the other lanes, whose
/// elements are not read.
AVX512 static inline __m512d magnitudes8(const double *p, __mmask8 lanes) {
  __m512i bits = _mm512_maskz_loadu_epi64(lanes, p);
  return _mm512_castsi512_pd(_mm512_and_si512(bits, _mm512_set1_epi64(0x7fffffffffffffff)));
}

/// The valid lanes of the group of 8 that starts `remaining` elements before the end.
static inline __mmask8 valid_lanes8(size_t remaining) {
  return (__mmask8)(remaining >= 8 ? 0xff : (1u << remaining) - 1);
}

/// Adds |x| and x² of the 8 binary64 at `p` to lanes 0–3 and 4–7 of `a` and `s`.
AVX2 static inline void add_eight(const double *p, __m256d a[2], __m256d s[2]) {
  __m256d low = magnitudes4(p), high = magnitudes4(p + 4);
  a[0] = _mm256_add_pd(a[0], low);
  a[1] = _mm256_add_pd(a[1], high);
  s[0] = _mm256_add_pd(s[0], _mm256_mul_pd(low, low));
  s[1] = _mm256_add_pd(s[1], _mm256_mul_pd(high, high));
}

AVX2 void fast_moments64_avx2(const double *elements, size_t count, double absolute[8], double squares[8]) {
  __m256d a[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()}, s[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()};
  size_t i = 0;
  for (; i + 8 <= count; i += 8) add_eight(elements + i, a, s);
  if (i < count) {
    double padded[8] = {0};
    __builtin_memcpy(padded, elements + i, sizeof(double) * (count - i));
    add_eight(padded, a, s);
  }
  _mm256_storeu_pd(absolute, a[0]);
  _mm256_storeu_pd(absolute + 4, a[1]);
  _mm256_storeu_pd(squares, s[0]);
  _mm256_storeu_pd(squares + 4, s[1]);
}

AVX512 void fast_moments64_avx512(const double *elements, size_t count, double absolute[8], double squares[8]) {
  __m512d a = _mm512_setzero_pd(), s = _mm512_setzero_pd();
  for (size_t i = 0; i < count; i += 8) {
    __m512d m = magnitudes8(elements + i, valid_lanes8(count - i));
    a = _mm512_add_pd(a, m);
    s = _mm512_add_pd(s, _mm512_mul_pd(m, m));
  }
  _mm512_storeu_pd(absolute, a);
  _mm512_storeu_pd(squares, s);
}

/// One group of 8 binary64 at `p`: adds the kept magnitudes (the others +0) to lanes 0–3 and
/// 4–7, returns the lane bits of |x| ≥ high and |x| ≥ low.
AVX2 static inline void group_avx2(
  const double *p, __m256d low, __m256d high, __m256d lanes[2], unsigned *above, unsigned *at_least_low)
{
  __m256d first = magnitudes4(p), second = magnitudes4(p + 4);
  __m256d first_high = _mm256_cmp_pd(first, high, _CMP_GE_OQ), second_high = _mm256_cmp_pd(second, high, _CMP_GE_OQ);
  lanes[0] = _mm256_add_pd(lanes[0], _mm256_and_pd(first, first_high));
  lanes[1] = _mm256_add_pd(lanes[1], _mm256_and_pd(second, second_high));
  *above = (unsigned)(_mm256_movemask_pd(first_high) | _mm256_movemask_pd(second_high) << 4);
  *at_least_low = (unsigned)(_mm256_movemask_pd(_mm256_cmp_pd(first, low, _CMP_GE_OQ))
                             | _mm256_movemask_pd(_mm256_cmp_pd(second, low, _CMP_GE_OQ)) << 4);
}

AVX2 void fast_classify64_avx2(
  const double *elements, size_t count, double low, double high, uint64_t *high_bits, uint64_t *interior, double kept[8])
{
  const __m256d low_bound = _mm256_set1_pd(low), high_bound = _mm256_set1_pd(high);
  __m256d lanes[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()};
  for (size_t w = 0; 64 * w < count; w++) {
    uint64_t high_word = 0, low_word = 0;
    for (size_t g = 0; g < 8 && 64 * w + 8 * g < count; g++) {
      size_t i = 64 * w + 8 * g;
      unsigned above, at_least_low;
      if (i + 8 <= count) {
        group_avx2(elements + i, low_bound, high_bound, lanes, &above, &at_least_low);
      } else {
        // Padded with +0, which is below high (high > low ≥ 0); its bits are cleared.
        double padded[8] = {0};
        __builtin_memcpy(padded, elements + i, sizeof(double) * (count - i));
        group_avx2(padded, low_bound, high_bound, lanes, &above, &at_least_low);
        unsigned valid = (1u << (count - i)) - 1;
        above &= valid;
        at_least_low &= valid;
      }
      high_word |= (uint64_t)above << (8 * g);
      low_word |= (uint64_t)at_least_low << (8 * g);
    }
    high_bits[w] = high_word;
    interior[w] = low_word & ~high_word;
  }
  _mm256_storeu_pd(kept, lanes[0]);
  _mm256_storeu_pd(kept + 4, lanes[1]);
}

AVX512 void fast_classify64_avx512(
  const double *elements, size_t count, double low, double high, uint64_t *high_bits, uint64_t *interior, double kept[8])
{
  const __m512d low_bound = _mm512_set1_pd(low), high_bound = _mm512_set1_pd(high);
  __m512d lanes = _mm512_setzero_pd();
  for (size_t w = 0; 64 * w < count; w++) {
    uint64_t high_word = 0, low_word = 0;
    for (size_t g = 0; g < 8 && 64 * w + 8 * g < count; g++) {
      size_t i = 64 * w + 8 * g;
      __mmask8 valid = valid_lanes8(count - i);
      __m512d m = magnitudes8(elements + i, valid);
      __mmask8 above = _mm512_mask_cmp_pd_mask(valid, m, high_bound, _CMP_GE_OQ);
      __mmask8 at_least_low = _mm512_mask_cmp_pd_mask(valid, m, low_bound, _CMP_GE_OQ);
      lanes = _mm512_add_pd(lanes, _mm512_maskz_mov_pd(above, m));
      high_word |= (uint64_t)above << (8 * g);
      low_word |= (uint64_t)at_least_low << (8 * g);
    }
    high_bits[w] = high_word;
    interior[w] = low_word & ~high_word;
  }
  _mm512_storeu_pd(kept, lanes);
}

#endif
