// Exact Σ|x| and Σx² of binary32 chunks in AVX-512F vector lanes, for the exact moment
// accumulator. Only this function is compiled for AVX-512F (a target attribute); callers
// check `exact_cpu_has_avx512f()` first, so the package still runs on any x86-64.
//
// A call takes one chunk of n ≤ EXACT_BINARY32_WINDOW_CHUNK = 8192 elements in two passes.
// Pass 1 finds E, the largest exponent field of a finite element (at least 1), and sets
// base = max(E − W, 1) with W = EXACT_BINARY32_WINDOW_WIDTH = 31. Pass 2 decodes every
// element into its 24-bit integer significand m (m < 2^24) and effective exponent field
// e1 = max(e, 1) (the element is ±m · 2^(e1 − 150)) and, with s = e1 − base:
//
// - if 0 ≤ s ≤ W (every finite element with e1 ≥ base, since e1 ≤ E ≤ base + W), or the
//   element is ±0: adds m · 2^s to a 64-bit lane of `absolute` and m² · 2^(2s) to a
//   128-bit lane (two 64-bit halves) of `squares`; zeros add 0;
// - otherwise (nonzero below the window, NaN, ±infinity): copies its bits to `spill`.
//
// Elements after the last full vector are spilled too, so every element of the chunk is
// either summed exactly once or spilled exactly once.
//
// Why no lane overflows. Each of the 16 64-bit `absolute` lanes (an element goes to one
// lane) takes at most n / 16 ≤ 8192 / 16 = 2^9 terms, each m · 2^s ≤ (2^24 − 1) · 2^31, so
// it stays at most 2^64 − 2^40 < 2^64 (tight: one more bit of window or of chunk length
// could wrap). A `squares` term m² · 2^(2s) < 2^(48 + 62) = 2^110 is split into
// t_low = (m² << 2s) mod 2^64 and t_high = m² >> (64 − 2s) (0 when 2s = 0: the variable
// shifts give 0 for counts ≥ 64); the low half is added modulo 2^64 and its carry (the new
// low half is below t_low exactly when the addition wrapped) is added to the high half, so
// each lane holds its exact 128-bit total, below 2^9 · 2^110 = 2^119. The lane totals are
// added in 128-bit arithmetic: below 16 · 2^64 = 2^68 and 16 · 2^119 = 2^123.
//
// The caller scales both sums by 2^(base − 150) and 2^(2(base − 150)) and adds the spilled
// elements through its scalar path.

#include "ExactKernels.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <string.h>

int exact_cpu_has_avx512f(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

/// The window floor for a chunk whose largest finite exponent field is `largest`.
static int32_t window_base(uint32_t largest) {
  int32_t base = (int32_t)largest - EXACT_BINARY32_WINDOW_WIDTH;
  return base < 1 ? 1 : base;
}

/// Copies the elements `first + j` of `bits` for the set bits `j` of `mask` to `spill`.
static size_t spill_lanes(const unsigned char *bits, size_t first, uint32_t mask, uint32_t *spill, size_t spilled) {
  while (mask != 0) {
    uint32_t word;
    memcpy(&word, bits + 4 * (first + (size_t)__builtin_ctz(mask)), 4);
    spill[spilled++] = word;
    mask &= mask - 1;
  }
  return spilled;
}

/// Asks for the line one chunk ahead of element `i`, so that the memory reads of the next
/// call's first pass overlap this call's arithmetic. A prefetch never faults, so the address
/// may lie past the end of the buffer (it is formed as an integer for that reason).
static inline void prefetch_next_chunk(const unsigned char *bits, size_t i, size_t count) {
  _mm_prefetch((const char *)((uintptr_t)bits + 4 * (i + count)), _MM_HINT_T0);
}

/// Adds the lane totals (absolute lanes, squares as low/high halves) into `out`.
static void store_totals(
  const uint64_t *absolute, const uint64_t *low, const uint64_t *high, int lanes, exact_binary32_window_sums *out
) {
  unsigned __int128 a = 0, q = 0;
  for (int k = 0; k < lanes; k++) {
    a += absolute[k];
    q += ((unsigned __int128)high[k] << 64) | low[k];
  }
  out->absolute_low = (uint64_t)a;
  out->absolute_high = (uint64_t)(a >> 64);
  out->squares_low = (uint64_t)q;
  out->squares_high = (uint64_t)(q >> 64);
}

/// One 8-lane step: `absolute += m << s`, `(high:low) += m² << 2s`.
__attribute__((target("avx512f"))) static inline void step_avx512(
  __m512i m, __m512i s, __m512i *absolute, __m512i *low, __m512i *high
) {
  *absolute = _mm512_add_epi64(*absolute, _mm512_sllv_epi64(m, s));
  __m512i square = _mm512_mul_epu32(m, m);
  __m512i s2 = _mm512_add_epi64(s, s);
  __m512i t_low = _mm512_sllv_epi64(square, s2);
  __m512i t_high = _mm512_srlv_epi64(square, _mm512_sub_epi64(_mm512_set1_epi64(64), s2));
  *low = _mm512_add_epi64(*low, t_low);
  __mmask8 carry = _mm512_cmplt_epu64_mask(*low, t_low);
  __m512i sum_high = _mm512_add_epi64(*high, t_high);
  *high = _mm512_mask_sub_epi64(sum_high, carry, sum_high, _mm512_set1_epi64(-1));
}

__attribute__((target("avx512f")))
void exact_binary32_window_moments_avx512(
  const void *bits, size_t count, uint32_t *spill, exact_binary32_window_sums *out
) {
  const unsigned char *p = bits;
  const size_t vectorCount = count & ~(size_t)15;
  const __m512i magnitude = _mm512_set1_epi32(0x7fffffff), fraction = _mm512_set1_epi32(0x7fffff);
  const __m512i one = _mm512_set1_epi32(1), allOnesField = _mm512_set1_epi32(255);
  const __m512i width = _mm512_set1_epi32(EXACT_BINARY32_WINDOW_WIDTH);

  __m512i largest = one;
  for (size_t i = 0; i < vectorCount; i += 16) {
    __m512i e = _mm512_srli_epi32(_mm512_and_si512(_mm512_loadu_si512(p + 4 * i), magnitude), 23);
    largest = _mm512_mask_max_epu32(largest, _mm512_cmpneq_epi32_mask(e, allOnesField), largest, e);
  }
  const int32_t base = window_base(_mm512_reduce_max_epu32(largest));
  const __m512i vbase = _mm512_set1_epi32(base);

  __m512i absolute0 = _mm512_setzero_si512(), absolute1 = absolute0;
  __m512i low0 = absolute0, low1 = absolute0, high0 = absolute0, high1 = absolute0;
  size_t spilled = 0;
  for (size_t i = 0; i < vectorCount; i += 16) {
    prefetch_next_chunk(p, i, count);
    __m512i a = _mm512_and_si512(_mm512_loadu_si512(p + 4 * i), magnitude);
    __m512i e = _mm512_srli_epi32(a, 23);
    __m512i m = _mm512_or_si512(_mm512_and_si512(a, fraction), _mm512_slli_epi32(_mm512_min_epu32(e, one), 23));
    __m512i s = _mm512_sub_epi32(_mm512_max_epu32(e, one), vbase);
    __mmask16 inWindow = _mm512_cmple_epu32_mask(s, width);
    __mmask16 summed = inWindow | _mm512_testn_epi32_mask(a, a);
    uint32_t out_mask = (uint32_t)(__mmask16)~summed;
    if (__builtin_expect(out_mask != 0, 0)) spilled = spill_lanes(p, i, out_mask, spill, spilled);
    m = _mm512_maskz_mov_epi32(inWindow, m);
    s = _mm512_maskz_mov_epi32(inWindow, s);
    step_avx512(_mm512_cvtepu32_epi64(_mm512_castsi512_si256(m)), _mm512_cvtepu32_epi64(_mm512_castsi512_si256(s)),
                &absolute0, &low0, &high0);
    step_avx512(_mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(m, 1)),
                _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(s, 1)), &absolute1, &low1, &high1);
  }
  for (size_t i = vectorCount; i < count; i++) memcpy(&spill[spilled++], p + 4 * i, 4);

  uint64_t absolute[16], low[16], high[16];
  _mm512_storeu_si512(absolute, absolute0);
  _mm512_storeu_si512(absolute + 8, absolute1);
  _mm512_storeu_si512(low, low0);
  _mm512_storeu_si512(low + 8, low1);
  _mm512_storeu_si512(high, high0);
  _mm512_storeu_si512(high + 8, high1);
  store_totals(absolute, low, high, 16, out);
  out->base = base;
  out->spilled_count = spilled;
}

#else

int exact_cpu_has_avx512f(void) { return 0; }

#endif
