// The classification pass of the fast path for binary32 and bfloat16 scores in AVX-512
// lanes. Only these functions are compiled for AVX-512 (target attributes); callers check
// `fast_kernel_level()` first, so the package runs on any x86-64.
//
// They compute bit for bit what the portable classification (EMPFast, FastKernels.classify)
// computes: the binary32 images of the magnitudes compare with the bracket images as signed
// integers (both lie in [0, 2^31)), and the kept magnitudes go into 8 binary64 lanes in the
// same order of additions: lane j receives the elements 8g + j, g = 0, 1, ..., in turn, as
// exact widenings (0 where not kept; adding +0 to a lane that is never -0 changes nothing),
// so the proof of Proofs/fast-path-error-bounds.md §3 applies unchanged.

#include "FastKernels.h"
#include "images.h"

#if defined(__x86_64__)

/// How a kernel lists the elements inside the bracket.
enum listing {
  /// Not at all: the caller reads the interior words.
  list_none,
  /// Per group of 16, by a 32-bit compress in a register, stored whole (AVX-512F).
  list_per_group,
};

/// One group of 16 elements from element `i` (the first lanes of `valid`): adds the kept
/// magnitudes to `lanes` (elements 0–7, then 8–15), returns the lane bits of image ≥ high
/// and image ≥ low, and, for `list_per_group`, appends the index and image of each inside
/// element to `offsets` and `images` at `*listed` (the lists need 15 elements of slack).
AVX512 static inline void group(
  const unsigned char *p, size_t size, size_t i, __mmask16 valid, __m512i low_bound, __m512i high_bound,
  __m512d *lanes, __mmask16 *above, __mmask16 *at_least_low,
  enum listing list, uint32_t *offsets, uint32_t *images_out, size_t *listed)
{
  __m512i images = load_images(p + size * i, size, valid);
  *above = _mm512_mask_cmpge_epi32_mask(valid, images, high_bound);
  *at_least_low = _mm512_mask_cmpge_epi32_mask(valid, images, low_bound);
  __m256 first = _mm256_castsi256_ps(_mm512_castsi512_si256(images));
  __m256 second = _mm256_castsi256_ps(_mm512_extracti64x4_epi64(images, 1));
  *lanes = _mm512_add_pd(*lanes, _mm512_maskz_cvtps_pd((__mmask8)*above, first));
  *lanes = _mm512_add_pd(*lanes, _mm512_maskz_cvtps_pd((__mmask8)(*above >> 8), second));
  if (list == list_per_group) {
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
  uint64_t *high, uint64_t *interior, double kept[8], enum listing list, uint32_t *offsets, uint32_t *images)
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
      size_t i = 64 * w + 16 * g;
      __mmask16 above, at_least_low;
      group(p, size, i, valid_lanes(count - i), low_bound, high_bound, &lanes, &above, &at_least_low,
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
  enum listing list = offsets != NULL ? list_per_group : list_none;
  if (element_size == 4) {
    return list ? classify(elements, count, 4, low_image, high_image, high, interior, kept, list_per_group, offsets, images)
                : classify(elements, count, 4, low_image, high_image, high, interior, kept, list_none, NULL, NULL);
  }
  return list ? classify(elements, count, 2, low_image, high_image, high, interior, kept, list_per_group, offsets, images)
              : classify(elements, count, 2, low_image, high_image, high, interior, kept, list_none, NULL, NULL);
}

/// Lists the set bits of the `words` interior words as 16-bit block offsets (a 16-bit
/// compress per 32 bits, stored whole: `offsets` needs 31 elements of slack), then widens
/// them into `offsets` and reads each one's image into `images`; returns how many.
AVX512_VBMI2 static inline size_t list_interior(
  const unsigned char *p, size_t size, const uint64_t *interior, size_t words, uint32_t *offsets, uint32_t *images)
{
  uint16_t narrow[FAST_BLOCK + 32];
  const __m512i step = _mm512_set1_epi16(32);
  __m512i index = _mm512_set_epi16(
    31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  size_t listed = 0;
  for (size_t w = 0; w < words; w++) {
    for (int half = 0; half < 2; half++) {
      __mmask32 bits = (__mmask32)(interior[w] >> (32 * half));
      _mm512_storeu_si512(narrow + listed, _mm512_maskz_compress_epi16(bits, index));
      listed += (size_t)__builtin_popcount(bits);
      index = _mm512_add_epi16(index, step);
    }
  }
  for (size_t k = 0; k < listed; k++) {
    offsets[k] = narrow[k];
    images[k] = image_at(p + size * narrow[k], size);
  }
  return listed;
}

AVX512_VBMI2 size_t fast_classify_avx512_vbmi2(
  const void *elements, size_t count, size_t element_size, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8], uint32_t *offsets, uint32_t *images)
{
  size_t words = (count + 63) / 64;
  if (element_size == 4) {
    classify(elements, count, 4, low_image, high_image, high, interior, kept, list_none, NULL, NULL);
    return offsets != NULL ? list_interior(elements, 4, interior, words, offsets, images) : 0;
  }
  classify(elements, count, 2, low_image, high_image, high, interior, kept, list_none, NULL, NULL);
  return offsets != NULL ? list_interior(elements, 2, interior, words, offsets, images) : 0;
}

#endif
