// Shared by the kernels of _FastKernels: what they compile for and how they read the
// binary32 images of the magnitudes. Not part of the target's public header.

#ifndef FAST_KERNELS_IMAGES_H
#define FAST_KERNELS_IMAGES_H

#if defined(__x86_64__)

#include <immintrin.h>
#include <stddef.h>

#define AVX2 __attribute__((target("avx2")))
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define AVX512_VBMI2 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2")))

/// The binary32 images of |x| of the `lanes` (a prefix of 16) elements of `size` bytes at
/// `p` (4: binary32; 2: bfloat16, shifted up into a binary32 pattern); 0 in the other lanes.
AVX512 static inline __m512i load_images(const unsigned char *p, size_t size, __mmask16 lanes) {
  const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
  if (size == 4) return _mm512_and_si512(_mm512_maskz_loadu_epi32(lanes, p), magnitude);
  __m256i half = _mm256_maskz_loadu_epi16(lanes, p);
  return _mm512_and_si512(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16), magnitude);
}

/// The binary32 images of |x| of the 8 elements of `size` bytes at `p`.
AVX2 static inline __m256i load_images_avx2(const unsigned char *p, size_t size) {
  const __m256i magnitude = _mm256_set1_epi32(0x7fffffff);
  if (size == 4) return _mm256_and_si256(_mm256_loadu_si256((const __m256i *)p), magnitude);
  __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
  return _mm256_and_si256(_mm256_slli_epi32(wide, 16), magnitude);
}

/// `load_images_avx2` of the first `lanes < 8` elements, 0 in the other lanes (the elements
/// past them are not read).
AVX2 static inline __m256i load_tail_images_avx2(const unsigned char *p, size_t size, size_t lanes) {
  unsigned char padded[32] = {0};
  __builtin_memcpy(padded, p, size * lanes);
  return load_images_avx2(padded, size);
}

/// The valid lanes of the group of 16 that starts `remaining` elements before the end.
static inline __mmask16 valid_lanes(size_t remaining) {
  return (__mmask16)(remaining >= 16 ? 0xffff : (1u << remaining) - 1);
}

/// The binary32 image of |x| of the element of `size` bytes at `p`.
static inline uint32_t image_at(const unsigned char *p, size_t size) {
  if (size == 4) {
    uint32_t bits;
    __builtin_memcpy(&bits, p, 4);
    return bits & 0x7fffffff;
  }
  uint16_t half;
  __builtin_memcpy(&half, p, 2);
  return ((uint32_t)half << 16) & 0x7fffffff;
}

#endif
#endif
