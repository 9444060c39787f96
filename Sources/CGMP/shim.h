#ifndef EMPKIT_CGMP_SHIM_H
#define EMPKIT_CGMP_SHIM_H
#include <gmp.h>

// GMP exposes these as macros, which Swift cannot import.
static inline int cgmp_mpz_sgn(const __mpz_struct *z) { return mpz_sgn(z); }
static inline int cgmp_mpq_sgn(const __mpq_struct *q) { return mpq_sgn(q); }
static inline int cgmp_mpz_odd_p(const __mpz_struct *z) { return mpz_odd_p(z); }
static inline int cgmp_mpz_even_p(const __mpz_struct *z) { return mpz_even_p(z); }
static inline __mpz_struct *cgmp_mpq_numref(__mpq_struct *q) { return mpq_numref(q); }
static inline __mpz_struct *cgmp_mpq_denref(__mpq_struct *q) { return mpq_denref(q); }
static inline const __mpz_struct *cgmp_mpq_numref_const(const __mpq_struct *q) { return mpq_numref(q); }
static inline const __mpz_struct *cgmp_mpq_denref_const(const __mpq_struct *q) { return mpq_denref(q); }

#endif
