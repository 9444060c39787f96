// Exact Σ|x| and Σx² of binary32 and bfloat16 chunks in AVX-512 vector lanes, for the exact
// moment accumulator. Only these functions are compiled for AVX-512 (target attributes); callers
// check `exact_binary32_window_kernel_level()` first, so the package runs on any x86-64.
//
// A call takes one chunk of n ≤ EXACT_BINARY32_WINDOW_CHUNK = 8192 elements in two passes.
// Pass 1 finds E, the largest exponent field of a finite element (at least 1), and sets
// base = max(E − W, 1), with the window width W of the kernel (31 or 28, below). Pass 2
// reads each element's exponent field e and, with s = e − base:
//
// - if 0 ≤ s ≤ W (so 1 ≤ base ≤ e ≤ 254: a normal number, ±m · 2^(e − 150) with the
//   integer significand m = 2^23 + fraction, 2^23 ≤ m < 2^24): adds m · 2^s to a 64-bit
//   lane of `absolute` and m² · 2^(2s) to a lane of `squares`;
// - if the element is ±0: adds nothing;
// - otherwise (nonzero outside the window, subnormal, NaN, ±infinity): copies its bits to
//   `spill`.
//
// A bfloat16 element is read as the binary32 of the same value (its bits shifted up by 16),
// and spilled in that form. Elements after the last full vector of 16 are spilled too, so every element of the chunk
// is either summed exactly once or spilled exactly once (zeros contribute 0 either way).
// The caller scales both sums by 2^(base − 150) and 2^(2(base − 150)) and adds the spilled
// elements through its scalar path.
//
// Why no lane overflows. An element goes to one of 16 lanes, so a lane takes at most
// n / 16 ≤ 2^9 terms.
//
// - AVX-512F kernel, W = 31. An `absolute` term is m · 2^s ≤ (2^24 − 1) · 2^31, so a lane
//   stays at most 2^64 − 2^40 < 2^64 (tight: one more bit of window or chunk could wrap).
//   A `squares` term m² · 2^(2s) < 2^110 is split into t_low = (m² << 2s) mod 2^64 and
//   t_high = m² >> (64 − 2s) (0 when 2s = 0: the variable shifts give 0 for counts ≥ 64);
//   t_low is added modulo 2^64 and its carry (the new low half is below t_low exactly when
//   the addition wrapped) goes into the high half, so the lane pair holds its exact
//   128-bit total, below 2^9 · 2^110 = 2^119.
// - AVX-512 IFMA kernel, W = 28. t = m · 2^s < 2^52 is one `absolute` term (a lane stays
//   below 2^61), and t² < 2^104 is added as its low and high 52-bit halves (vpmadd52luq,
//   vpmadd52huq) into two lanes, each below 2^9 · 2^52 = 2^61; the square total is
//   low + 2^52 · high.
//
// The 16 lane totals are added in 128-bit arithmetic: below 16 · 2^64 = 2^68 for
// `absolute`, and below 16 · 2^119 = 2^123 or 16 · (2^61 + 2^113) < 2^118 for `squares`.

#include "ExactKernels.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <string.h>

#define AVX512F __attribute__((target("avx512f")))
#define AVX512IFMA __attribute__((target("avx512f,avx512ifma")))

int exact_binary32_window_kernel_level(void) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) return 0;
  return __builtin_cpu_supports("avx512ifma") ? 2 : 1;
}

/// The 16 elements from `i` of `size` bytes each (4: binary32, 2: bfloat16) as binary32 bits.
AVX512F static inline __m512i load_elements(const unsigned char *p, size_t i, size_t size) {
  if (size == 4) return _mm512_loadu_si512(p + 4 * i);
  return _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(p + 2 * i))), 16);
}

/// Element `i` of `size` bytes as binary32 bits.
static inline uint32_t load_element(const unsigned char *p, size_t i, size_t size) {
  if (size == 4) {
    uint32_t word;
    memcpy(&word, p + 4 * i, 4);
    return word;
  }
  uint16_t half;
  memcpy(&half, p + 2 * i, 2);
  return (uint32_t)half << 16;
}

/// Pass 1: the window floor max(E − width, 1) of the first `vectorCount` elements.
AVX512F static inline int32_t window_base(const unsigned char *p, size_t size, size_t vectorCount, int32_t width) {
  const __m512i magnitude = _mm512_set1_epi32(0x7fffffff), infinity = _mm512_set1_epi32(0x7f800000);
  __m512i largest = _mm512_setzero_si512();
  for (size_t i = 0; i < vectorCount; i += 16) {
    __m512i a = _mm512_and_si512(load_elements(p, i, size), magnitude);
    largest = _mm512_mask_max_epu32(largest, _mm512_cmplt_epu32_mask(a, infinity), largest, a);
  }
  int32_t base = (int32_t)(_mm512_reduce_max_epu32(largest) >> 23) - width;
  return base < 1 ? 1 : base;
}

/// Copies the elements `first + j` of `p` for the set bits `j` of `mask` to `spill`.
static size_t spill_lanes(
  const unsigned char *p, size_t size, size_t first, uint32_t mask, uint32_t *spill, size_t spilled
) {
  while (mask != 0) {
    spill[spilled++] = load_element(p, first + (size_t)__builtin_ctz(mask), size);
    mask &= mask - 1;
  }
  return spilled;
}

/// Pass 2 for the 16 elements at `i`: spills those outside the window (not zeros) and
/// returns the significands `m`, 0 outside the window; `*s` gets `e − base` (meaningful in
/// the window only). Also asks for the line one chunk ahead, so that the next call's first
/// pass finds it in cache (a prefetch never faults, so the address may lie past the end of
/// the buffer; it is formed as an integer for that reason).
AVX512F static inline __m512i decode(
  const unsigned char *p, size_t size, size_t i, size_t count, __m512i base, __m512i width, __m512i *s,
  uint32_t *spill, size_t *spilled
) {
  _mm_prefetch((const char *)((uintptr_t)p + size * (i + count)), _MM_HINT_T0);
  const __m512i x = load_elements(p, i, size);
  *s = _mm512_sub_epi32(_mm512_and_si512(_mm512_srli_epi32(x, 23), _mm512_set1_epi32(0xff)), base);
  const __mmask16 inWindow = _mm512_cmple_epu32_mask(*s, width);
  const uint32_t outside = _mm512_test_epi32_mask(x, _mm512_set1_epi32(0x7fffffff)) & (__mmask16)~inWindow;
  if (__builtin_expect(outside != 0, 0)) *spilled = spill_lanes(p, size, i, outside, spill, *spilled);
  // (x & fraction) | hidden bit, in the window; 0 elsewhere.
  return _mm512_maskz_ternarylogic_epi32(inWindow, x, _mm512_set1_epi32(0x7fffff), _mm512_set1_epi32(0x800000), 0xEA);
}

/// Copies the remaining elements to `spill` and stores the lane totals in `out`; the square
/// of lane k is `low[k] + high[k] · 2^highShift`.
static void finish(
  const unsigned char *p, size_t size, size_t vectorCount, size_t count, uint32_t *spill, size_t spilled,
  int32_t base, const uint64_t *absolute, const uint64_t *low, const uint64_t *high, int highShift,
  exact_binary32_window_sums *out
) {
  for (size_t i = vectorCount; i < count; i++) spill[spilled++] = load_element(p, i, size);
  unsigned __int128 a = 0, q = 0;
  for (int k = 0; k < 16; k++) {
    a += absolute[k];
    q += low[k] + ((unsigned __int128)high[k] << highShift);
  }
  out->absolute_low = (uint64_t)a;
  out->absolute_high = (uint64_t)(a >> 64);
  out->squares_low = (uint64_t)q;
  out->squares_high = (uint64_t)(q >> 64);
  out->base = base;
  out->spilled_count = spilled;
}

/// `absolute += m << s`, `(high:low) += m² << 2s` in 8 lanes (m, s zero-extended).
AVX512F static inline void step_avx512f(__m512i m, __m512i s, __m512i *absolute, __m512i *low, __m512i *high) {
  *absolute = _mm512_add_epi64(*absolute, _mm512_sllv_epi64(m, s));
  const __m512i square = _mm512_mul_epu32(m, m);
  const __m512i s2 = _mm512_add_epi64(s, s);
  const __m512i tLow = _mm512_sllv_epi64(square, s2);
  const __m512i tHigh = _mm512_srlv_epi64(square, _mm512_sub_epi64(_mm512_set1_epi64(64), s2));
  *low = _mm512_add_epi64(*low, tLow);
  const __mmask8 carry = _mm512_cmplt_epu64_mask(*low, tLow);
  const __m512i high1 = _mm512_add_epi64(*high, tHigh);
  *high = _mm512_mask_sub_epi64(high1, carry, high1, _mm512_set1_epi64(-1));
}

/// Defines `NAME`, a window kernel, and its exported binary32 and bfloat16 entry points, over elements of `size` bytes for the target `ATTRIBUTES`:
/// window width `WIDTH`, lane step `STEP`, and `SQUARE_SPLIT`, the bit at which `STEP` splits
/// each lane's sum of squares into its low and high words. The two kernels differ only in these.
#define WINDOW_KERNEL(NAME, ATTRIBUTES, WIDTH, STEP, SQUARE_SPLIT, BINARY32_ENTRY, BFLOAT16_ENTRY)    \
  ATTRIBUTES __attribute__((always_inline)) static inline void NAME(                                 \
    const unsigned char *p, size_t size, size_t count, uint32_t *spill, exact_binary32_window_sums *out \
  ) {                                                                                                \
    const size_t vectorCount = count & ~(size_t)15;                                                  \
    const int32_t base = window_base(p, size, vectorCount, WIDTH);                                   \
    const __m512i vbase = _mm512_set1_epi32(base), vwidth = _mm512_set1_epi32(WIDTH);                \
    const __m512i low32 = _mm512_set1_epi64(0xffffffff);                                             \
    __m512i absolute0 = _mm512_setzero_si512(), absolute1 = absolute0;                               \
    __m512i low0 = absolute0, low1 = absolute0, high0 = absolute0, high1 = absolute0;                \
    size_t spilled = 0;                                                                              \
    for (size_t i = 0; i < vectorCount; i += 16) {                                                   \
      __m512i s;                                                                                     \
      const __m512i m = decode(p, size, i, count, vbase, vwidth, &s, spill, &spilled);               \
      /* Even elements in the low halves of the 64-bit lanes, odd ones in the high halves.       */ \
      /* Outside the window m = 0, so whatever s holds there adds 0.                              */ \
      STEP(_mm512_and_si512(m, low32), _mm512_and_si512(s, low32), &absolute0, &low0, &high0);       \
      STEP(_mm512_srli_epi64(m, 32), _mm512_srli_epi64(s, 32), &absolute1, &low1, &high1);           \
    }                                                                                                \
    uint64_t absolute[16], low[16], high[16];                                                        \
    _mm512_storeu_si512(absolute, absolute0);                                                        \
    _mm512_storeu_si512(absolute + 8, absolute1);                                                    \
    _mm512_storeu_si512(low, low0);                                                                  \
    _mm512_storeu_si512(low + 8, low1);                                                              \
    _mm512_storeu_si512(high, high0);                                                                \
    _mm512_storeu_si512(high + 8, high1);                                                            \
    finish(p, size, vectorCount, count, spill, spilled, base, absolute, low, high, SQUARE_SPLIT, out); \
  }                                                                                                \
  ATTRIBUTES void BINARY32_ENTRY(                                                                    \
    const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out                 \
  ) {                                                                                                \
    NAME(bits, 4, count, spill, out);                                                                \
  }                                                                                                \
  ATTRIBUTES void BFLOAT16_ENTRY(                                                                    \
    const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out                 \
  ) {                                                                                                \
    NAME(bits, 2, count, spill, out);                                                                \
  }

WINDOW_KERNEL(moments_avx512f, AVX512F, 31, step_avx512f, 64,
              exact_binary32_window_moments_avx512f, exact_bfloat16_window_moments_avx512f)

/// `absolute += t`, `low += t² mod 2^52`, `high += ⌊t² / 2^52⌋` with `t = m << s < 2^52`.
AVX512IFMA static inline void step_avx512ifma(__m512i m, __m512i s, __m512i *absolute, __m512i *low, __m512i *high) {
  const __m512i t = _mm512_sllv_epi64(m, s);
  *absolute = _mm512_add_epi64(*absolute, t);
  *low = _mm512_madd52lo_epu64(*low, t, t);
  *high = _mm512_madd52hi_epu64(*high, t, t);
}

WINDOW_KERNEL(moments_avx512ifma, AVX512IFMA, 28, step_avx512ifma, 52,
              exact_binary32_window_moments_avx512ifma, exact_bfloat16_window_moments_avx512ifma)

#else

int exact_binary32_window_kernel_level(void) { return 0; }

#endif
