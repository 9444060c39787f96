// The classification pass of the fast path for binary32 and bfloat16 scores in AVX-512
// lanes. Only this function is compiled for AVX-512 (a target attribute); callers check
// `fast_classify_kernel_level()` first, so the package runs on any x86-64.
//
// It computes bit for bit what the portable classification (EMPFast, FastKernels.classify)
// computes: the binary32 images of the magnitudes compare with the bracket images as signed
// integers (both lie in [0, 2^31)), and the kept magnitudes go into 8 binary64 lanes in the
// same order of additions: lane j receives the elements 8g + j, g = 0, 1, ..., in turn, as
// exact widenings (0 where not kept; adding +0 to a lane that is never -0 changes nothing),
// so the proof of Proofs/fast-path-error-bounds.md §3 applies unchanged.

#include "FastKernels.h"

#if defined(__x86_64__)

#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))

int fast_classify_kernel_level(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
    && __builtin_cpu_supports("avx512vl");
}

/// The images of |x| of the `lanes` (≤ 16) elements at `p`, 0 in the lanes past `lanes`.
AVX512 static inline __m512i load_images(const unsigned char *p, size_t size, __mmask16 lanes) {
  const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
  if (size == 4) return _mm512_and_si512(_mm512_maskz_loadu_epi32(lanes, p), magnitude);
  __m256i half = _mm256_maskz_loadu_epi16(lanes, p);
  return _mm512_and_si512(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16), magnitude);
}

/// One group of 16 elements from element `i` (the first `valid` lanes): adds the kept
/// magnitudes to `lanes` (elements 0–7, then 8–15), returns the lane bits of image ≥ high
/// and image ≥ low, and, when `list` is set, appends the index and image of each inside
/// element to `offsets` and `images` at `*listed` (compressed in a register, stored whole:
/// the lists need 15 elements of slack).
AVX512 static inline void group(
  const unsigned char *p, size_t size, size_t i, __mmask16 valid, __m512i low_bound, __m512i high_bound,
  __m512d *lanes, __mmask16 *above, __mmask16 *at_least_low,
  int list, uint32_t *offsets, uint32_t *images_out, size_t *listed)
{
  __m512i images = load_images(p + size * i, size, valid);
  *above = _mm512_mask_cmpge_epi32_mask(valid, images, high_bound);
  *at_least_low = _mm512_mask_cmpge_epi32_mask(valid, images, low_bound);
  __m256 first = _mm256_castsi256_ps(_mm512_castsi512_si256(images));
  __m256 second = _mm256_castsi256_ps(_mm512_extracti64x4_epi64(images, 1));
  *lanes = _mm512_add_pd(*lanes, _mm512_maskz_cvtps_pd((__mmask8)*above, first));
  *lanes = _mm512_add_pd(*lanes, _mm512_maskz_cvtps_pd((__mmask8)(*above >> 8), second));
  if (list) {
    __mmask16 inside = *at_least_low & (__mmask16)~*above;
    const __m512i lane_index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512i index = _mm512_add_epi32(lane_index, _mm512_set1_epi32((int)i));
    _mm512_storeu_si512(offsets + *listed, _mm512_maskz_compress_epi32(inside, index));
    _mm512_storeu_si512(images_out + *listed, _mm512_maskz_compress_epi32(inside, images));
    *listed += (size_t)__builtin_popcount(inside);
  }
}

AVX512 static inline size_t classify(
  const unsigned char *p, size_t count, size_t size, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8], int list, uint32_t *offsets, uint32_t *images)
{
  const __m512i low_bound = _mm512_set1_epi32(low_image);
  const __m512i high_bound = _mm512_set1_epi32(high_image);
  __m512d lanes = _mm512_setzero_pd();
  size_t listed = 0;
  size_t w = 0;
  for (; 64 * w + 64 <= count; w++) {
    uint64_t high_word = 0, low_word = 0;
    for (size_t g = 0; g < 4; g++) {
      __mmask16 above, at_least_low;
      group(p, size, 64 * w + 16 * g, 0xffff, low_bound, high_bound, &lanes, &above, &at_least_low,
            list, offsets, images, &listed);
      high_word |= (uint64_t)above << (16 * g);
      low_word |= (uint64_t)at_least_low << (16 * g);
    }
    high[w] = high_word;
    interior[w] = low_word & ~high_word;
  }
  if (64 * w < count) {
    uint64_t high_word = 0, low_word = 0;
    for (size_t g = 0; 64 * w + 16 * g < count; g++) {
      size_t n = count - (64 * w + 16 * g);
      __mmask16 valid = (__mmask16)(n >= 16 ? 0xffff : (1u << n) - 1);
      __mmask16 above, at_least_low;
      group(p, size, 64 * w + 16 * g, valid, low_bound, high_bound, &lanes, &above, &at_least_low,
            list, offsets, images, &listed);
      high_word |= (uint64_t)above << (16 * g);
      low_word |= (uint64_t)at_least_low << (16 * g);
    }
    high[w] = high_word;
    interior[w] = low_word & ~high_word;
  }
  _mm512_storeu_pd(kept, lanes);
  return listed;
}

AVX512 size_t fast_classify_avx512(
  const void *elements, size_t count, size_t element_size, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8], uint32_t *offsets, uint32_t *images)
{
  // Specialised for each element size and for listing or not, so that the inner loop tests
  // neither.
  int list = offsets != NULL;
  if (element_size == 4) {
    return list ? classify(elements, count, 4, low_image, high_image, high, interior, kept, 1, offsets, images)
                : classify(elements, count, 4, low_image, high_image, high, interior, kept, 0, NULL, NULL);
  }
  return list ? classify(elements, count, 2, low_image, high_image, high, interior, kept, 1, offsets, images)
              : classify(elements, count, 2, low_image, high_image, high, interior, kept, 0, NULL, NULL);
}

#else

int fast_classify_kernel_level(void) { return 0; }

#endif
