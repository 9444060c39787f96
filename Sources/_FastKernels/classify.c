// The classification pass of the fast path for binary32, bfloat16 and binary16 scores (on
// the binary32 images of their magnitudes) in AVX2 or AVX-512 lanes. Only these functions are compiled for AVX2 and AVX-512 (target attributes);
// callers check `fast_kernel_level()` first, so the package runs on any x86-64.
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

/// One group of 16 elements from element `i` (the first lanes of `valid`): adds the kept
/// magnitudes to `lanes` (elements 0–7, then 8–15), returns the lane bits of image ≥ high
/// and image ≥ low.
AVX512 static inline void group(
  const unsigned char *p, int format, size_t i, __mmask16 valid, __m512i low_bound, __m512i high_bound,
  __m512d *lanes, __mmask16 *above, __mmask16 *at_least_low)
{
  __m512i images = load_images(p + format_size(format) * i, format, valid);
  *above = _mm512_mask_cmpge_epi32_mask(valid, images, high_bound);
  *at_least_low = _mm512_mask_cmpge_epi32_mask(valid, images, low_bound);
  __m256 first = _mm256_castsi256_ps(_mm512_castsi512_si256(images));
  __m256 second = _mm256_castsi256_ps(_mm512_extracti64x4_epi64(images, 1));
  *lanes = _mm512_add_pd(*lanes, _mm512_maskz_cvtps_pd((__mmask8)*above, first));
  *lanes = _mm512_add_pd(*lanes, _mm512_maskz_cvtps_pd((__mmask8)(*above >> 8), second));
}

/// The classification with AVX-512: 16 lanes per compare, into mask registers.
AVX512 static inline void classify_avx512(
  const unsigned char *p, size_t count, int format, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8])
{
  const __m512i low_bound = _mm512_set1_epi32(low_image);
  const __m512i high_bound = _mm512_set1_epi32(high_image);
  __m512d lanes = _mm512_setzero_pd();
  size_t w = 0;
  for (; 64 * w + 64 <= count; w++) {
    uint64_t high_word = 0, low_word = 0;
    for (size_t g = 0; g < 4; g++) {
      __mmask16 above, at_least_low;
      group(p, format, 64 * w + 16 * g, 0xffff, low_bound, high_bound, &lanes, &above, &at_least_low);
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
      group(p, format, i, valid_lanes(count - i), low_bound, high_bound, &lanes, &above, &at_least_low);
      high_word |= (uint64_t)above << (16 * g);
      low_word |= (uint64_t)at_least_low << (16 * g);
    }
    high[w] = high_word;
    interior[w] = low_word & ~high_word;
  }
  _mm512_storeu_pd(kept, lanes);
}

/// One group of 8 images: adds the kept ones (the others zeroed, which widen to +0) to
/// lanes 0–3 and 4–7, returns the lane bits of image ≥ high and image ≥ low, each by one
/// signed compare with the bound − 1 and `vmovmskps`.
AVX2 static inline void group_avx2(
  __m256i images, __m256i below_low, __m256i below_high, __m256d lanes[2], unsigned *above, unsigned *at_least_low)
{
  __m256i high = _mm256_cmpgt_epi32(images, below_high);
  __m256 kept = _mm256_castsi256_ps(_mm256_and_si256(images, high));
  lanes[0] = _mm256_add_pd(lanes[0], _mm256_cvtps_pd(_mm256_castps256_ps128(kept)));
  lanes[1] = _mm256_add_pd(lanes[1], _mm256_cvtps_pd(_mm256_extractf128_ps(kept, 1)));
  *above = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(high));
  *at_least_low = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(images, below_low)));
}

/// The classification with AVX2, without lists.
AVX2 static inline void classify_avx2(
  const unsigned char *p, size_t count, int format, int32_t low_image, int32_t high_image,
  uint64_t *high, uint64_t *interior, double kept[8])
{
  const __m256i below_low = _mm256_set1_epi32(low_image - 1);
  const __m256i below_high = _mm256_set1_epi32(high_image - 1);
  __m256d lanes[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()};
  for (size_t w = 0; 64 * w < count; w++) {
    uint64_t high_word = 0, low_word = 0;
    for (size_t g = 0; g < 8 && 64 * w + 8 * g < count; g++) {
      size_t i = 64 * w + 8 * g;
      unsigned above, at_least_low;
      if (i + 8 <= count) {
        group_avx2(load_images_avx2(p + format_size(format) * i, format), below_low, below_high, lanes, &above, &at_least_low);
      } else {
        // The padded lanes hold +0, kept only when high_image is 0; their bits are cleared.
        unsigned valid = (1u << (count - i)) - 1;
        group_avx2(load_tail_images_avx2(p + format_size(format) * i, format, count - i), below_low, below_high, lanes, &above, &at_least_low);
        above &= valid;
        at_least_low &= valid;
      }
      high_word |= (uint64_t)above << (8 * g);
      low_word |= (uint64_t)at_least_low << (8 * g);
    }
    high[w] = high_word;
    interior[w] = low_word & ~high_word;
  }
  _mm256_storeu_pd(kept, lanes[0]);
  _mm256_storeu_pd(kept + 4, lanes[1]);
}

/// Lists the set bits of the `words` interior words by a bit scan (a loop per word), with
/// each listed element's image; returns how many.
static inline size_t list_interior_by_scan(
  const unsigned char *p, int format, const uint64_t *interior, size_t words, uint32_t *offsets, uint32_t *images)
{
  size_t listed = 0;
  for (size_t w = 0; w < words; w++) {
    for (uint64_t bits = interior[w]; bits != 0; bits &= bits - 1) {
      size_t k = 64 * w + (size_t)__builtin_ctzll(bits);
      offsets[listed] = (uint32_t)k;
      images[listed] = image_at(p + format_size(format) * k, format);
      listed++;
    }
  }
  return listed;
}

/// Lists the set bits of the `words` interior words as 16-bit block offsets (a 16-bit
/// compress per 32 bits, stored whole: `offsets` needs 31 elements of slack), then widens
/// them into `offsets` and reads each one's image into `images`; returns how many.
AVX512_VBMI2 static inline size_t list_interior_by_compress(
  const unsigned char *p, int format, const uint64_t *interior, size_t words, uint32_t *offsets, uint32_t *images)
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
    images[k] = image_at(p + format_size(format) * narrow[k], format);
  }
  return listed;
}

/// Defines an entry point of FastKernels.h: the classification `classify` of a block,
/// specialised for each format (so that its inner loop does not test it), then, unless
/// `offsets` is NULL, the listing `list` of the block's interior words.
#define CLASSIFY_ENTRY(name, target, classify, list) \
  target size_t name( \
    const void *elements, size_t count, int format, int32_t low_image, int32_t high_image, \
    uint64_t *high, uint64_t *interior, double kept[8], uint32_t *offsets, uint32_t *images) \
  { \
    if (format == FAST_BINARY32) classify(elements, count, FAST_BINARY32, low_image, high_image, high, interior, kept); \
    else if (format == FAST_BFLOAT16) classify(elements, count, FAST_BFLOAT16, low_image, high_image, high, interior, kept); \
    else classify(elements, count, FAST_BINARY16, low_image, high_image, high, interior, kept); \
    return offsets != NULL ? list(elements, format, interior, (count + 63) / 64, offsets, images) : 0; \
  }

CLASSIFY_ENTRY(fast_classify_avx2, AVX2, classify_avx2, list_interior_by_scan)
CLASSIFY_ENTRY(fast_classify_avx512, AVX512, classify_avx512, list_interior_by_scan)
CLASSIFY_ENTRY(fast_classify_avx512_vbmi2, AVX512_VBMI2, classify_avx512, list_interior_by_compress)

#endif
