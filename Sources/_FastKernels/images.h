// Shared by the kernels of _FastKernels: what they compile for and how they read the
// binary32 images of the magnitudes. Not part of the target's public header.

#ifndef FAST_KERNELS_IMAGES_H
#define FAST_KERNELS_IMAGES_H

#if defined(__x86_64__)

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "FastKernels.h"

#define AVX2 __attribute__((target("avx2,f16c")))
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define AVX512_VBMI2 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2")))

/// The bytes of an element of `format` (FAST_BINARY32, FAST_BFLOAT16 or FAST_BINARY16).
static inline size_t format_size(int format) { return format == FAST_BINARY32 ? 4 : 2; }

/// The binary32 image of |x| of the `lanes` (a prefix of 16) elements of `format` at `p`
/// (binary32: the sign cleared; bfloat16: shifted up into a binary32 pattern; binary16:
/// converted exactly, NaN given the image of +∞ as the portable code gives it); 0 in the
/// other lanes.
AVX512 static inline __m512i load_images(const unsigned char *p, int format, __mmask16 lanes) {
  const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
  if (format == FAST_BINARY32) return _mm512_and_si512(_mm512_maskz_loadu_epi32(lanes, p), magnitude);
  __m256i half = _mm256_maskz_loadu_epi16(lanes, p);
  if (format == FAST_BFLOAT16) return _mm512_and_si512(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16), magnitude);
  __m512i images = _mm512_and_si512(_mm512_castps_si512(_mm512_cvtph_ps(half)), magnitude);
  return _mm512_min_epu32(images, _mm512_set1_epi32(0x7f800000));
}

/// The binary32 images of |x| of the 8 elements of `format` at `p`.
AVX2 static inline __m256i load_images_avx2(const unsigned char *p, int format) {
  const __m256i magnitude = _mm256_set1_epi32(0x7fffffff);
  if (format == FAST_BINARY32) return _mm256_and_si256(_mm256_loadu_si256((const __m256i *)p), magnitude);
  __m128i half = _mm_loadu_si128((const __m128i *)p);
  if (format == FAST_BFLOAT16) return _mm256_and_si256(_mm256_slli_epi32(_mm256_cvtepu16_epi32(half), 16), magnitude);
  __m256i images = _mm256_and_si256(_mm256_castps_si256(_mm256_cvtph_ps(half)), magnitude);
  return _mm256_min_epu32(images, _mm256_set1_epi32(0x7f800000));
}

/// `load_images_avx2` of the first `lanes < 8` elements, 0 in the other lanes (the elements
/// past them are not read).
AVX2 static inline __m256i load_tail_images_avx2(const unsigned char *p, int format, size_t lanes) {
  unsigned char padded[32] = {0};
  __builtin_memcpy(padded, p, format_size(format) * lanes);
  return load_images_avx2(padded, format);
}

/// The valid lanes of the group of 16 that starts `remaining` elements before the end.
static inline __mmask16 valid_lanes(size_t remaining) {
  return (__mmask16)(remaining >= 16 ? 0xffff : (1u << remaining) - 1);
}

/// The binary32 image of |x| of the element of `format` at `p`.
static inline uint32_t image_at(const unsigned char *p, int format) {
  if (format == FAST_BINARY32) {
    uint32_t bits;
    __builtin_memcpy(&bits, p, 4);
    return bits & 0x7fffffff;
  }
  uint16_t half;
  __builtin_memcpy(&half, p, 2);
  if (format == FAST_BFLOAT16) return ((uint32_t)half << 16) & 0x7fffffff;
  uint32_t field = (half >> 10) & 0x1f, fraction = half & 0x3ff;
  if (field == 0x1f) return 0x7f800000;  // NaN and ±∞: the image of +∞
  if (field != 0) return (field + 112) << 23 | fraction << 13;  // rebias 15 → 127
  float value = (float)fraction * 0x1p-24f;  // a subnormal (or zero): exact in binary32
  uint32_t bits;
  __builtin_memcpy(&bits, &value, 4);
  return bits;
}

#endif
#endif
