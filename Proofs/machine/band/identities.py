"""Symbolic checks of the algebraic identities used in Proofs/band-infimum.md (needs sympy).

    python3 identities.py      (prints each identity; exit status 1 if one fails)
"""

import sys

from sympy import Rational, diff, expand, simplify, sqrt, symbols

b, p, k, l, j, mu, s, t, x, e, f = symbols("b p k l j mu s t x e f", positive=True)
ok = True


def check(name, expr):
    global ok
    zero = simplify(expr) == 0
    ok &= zero
    print(("ok  " if zero else "FAIL") + " " + name)


# Step 4: q(λ) on [u_j, u_l] equals 1/b at λ² = j(l − b)/(b(l − j)).
lam_jl = sqrt(j * (l - b) / (b * (l - j)))
check("q(λ_jl) = 1/b", lam_jl**2 * (1 / j - 1 / l) + 1 / l - 1 / b)

# Step 5: k·(λ/j + (1 − λ)/l) = (k/l)(1 + √((l − b)(l − j)/(bj))) at λ = λ_jl
# (with j ≤ b < l written as b = j + f, l = b + e, so that the roots split).
lhs = k * (lam_jl / j + (1 - lam_jl) / l) - (k / l) * (1 + sqrt((l - b) * (l - j) / (b * j)))
check("φ_k(e_jl) for k ≤ j", lhs.subs(l, b + e).subs(b, j + f))

# Step 6: the derivative of h(l) = (1 + s)/l, s = √((l − b)(l − p)/(bp)).
sl = sqrt((l - b) * (l - p) / (b * p))
check("h′(l)", diff((1 + sl) / l, l) - ((b + p) * l - 2 * b * p - 2 * b * p * sl) / (2 * b * p * sl * l**2))
check("((b+p)l − 2bp)² − (2bps)²", expand(((b + p) * l - 2 * b * p) ** 2 - 4 * b * p * (l - b) * (l - p)) - expand((b - p) ** 2 * l**2))

# Step 7: 1 − F_l = G(μ_l), G′ = Q/(b(1 + μ)²), the difference identity, F_{p+1} − E, D.
mu_l = sqrt((l - b) / (b * (l - 1)))
G = lambda m: ((b - k) + b * (k - 1) * m**2) / (b * (1 + m))
check("1 − F_l = G(μ_l)", 1 - (k / l + (1 - k / l) * mu_l) - G(mu_l))
check("G′ = Q/(b(1+μ)²)", diff(G(mu), mu) - (b * (k - 1) * mu**2 + 2 * b * (k - 1) * mu - (b - k)) / (b * (1 + mu) ** 2))
check("b(G(t) − G(s))", b * (G(t) - G(s)) - (t - s) * (b * (k - 1) * (s + t + s * t) - (b - k)) / ((1 + s) * (1 + t)))
s1 = sqrt((p + 1 - b) / (b * p))
E = k / (p + 1) * (1 + s1)
check("μ_{p+1} = s₁", mu_l.subs(l, p + 1) - s1)
check("F_{p+1} − E", (k / (p + 1) + (1 - k / (p + 1)) * s1) - E - s1 * (p + 1 - 2 * k) / (p + 1))
kappa = sqrt(p * (p + 1 - b) / b)
check("E = φ_k(κu_p + (1−κ)u_{p+1})", k * (kappa / p + (1 - kappa) / (p + 1)) - E)
D = p**2 * x * (p + 2 - x) - (p + 1) * (2 * x - p - 2) ** 2
check("D(p) = (p − 1)(p + 2)²", expand(D.subs(x, p) - (p - 1) * (p + 2) ** 2))
check("D(p + 1) = 0", expand(D.subs(x, p + 1)))
s2 = sqrt((p + 2 - b) / (b * (p + 1)))
check("(b·p·s₂)² − (2b − p − 2)² = D(b)/(p + 1)", (b * p * s2) ** 2 - (2 * b - p - 2) ** 2 - D.subs(x, b) / (p + 1))

# The value at β = 3/2, k = m = 1: E at b = 4/3, p = 1.
check("E(k=1, b=4/3) = (2 + √2)/4", E.subs({k: 1, p: 1, b: Rational(4, 3)}) - (2 + sqrt(2)) / 4)

sys.exit(0 if ok else 1)
