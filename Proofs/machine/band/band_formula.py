"""The closed form of Proofs/band-infimum.md, in exact arithmetic.

I(k, a, b, N) = inf { φ_k(ω) : ω ∈ Δ↓ ⊂ R^N, a ≤ N_eff(ω) < b },  1 ≤ a < b ≤ N + 1,
with φ_k the mass of the k largest weights and N_eff = 1/Σω².

Values are numbers p + q·√r with rational p, q, r (class Surd); every sign and every
comparison is decided exactly (no floating point), by the rules of Proofs/decisions.md.
Only the standard library is used.
"""

from fractions import Fraction
from math import isqrt

F = Fraction


def _rational_sqrt(x):
    """The rational square root of x ≥ 0 when there is one, else None."""
    n, d = x.numerator, x.denominator
    rn, rd = isqrt(n), isqrt(d)
    return F(rn, rd) if rn * rn == n and rd * rd == d else None


class Surd:
    """p + q·√r, with p, q, r rational and r ≥ 0; a rational √r is folded into p."""

    __slots__ = ("p", "q", "r")

    def __init__(self, p, q=0, r=0):
        p, q, r = F(p), F(q), F(r)
        if r < 0:
            raise ValueError("negative radicand")
        root = _rational_sqrt(r) if q != 0 and r != 0 else F(0)
        if root is not None:
            p, q, r = p + q * root, F(0), F(0)
        self.p, self.q, self.r = p, q, r

    def sign(self):
        sp = (self.p > 0) - (self.p < 0)
        sq = (self.q > 0) - (self.q < 0)
        if sq == 0 or sp == sq:
            return sp
        if sp == 0:
            return sq
        d = self.p * self.p - self.q * self.q * self.r  # |p| vs |q|·√r
        return sp * ((d > 0) - (d < 0))

    def scaled(self, c, shift=0):
        """c·self + shift, for rational c and shift."""
        return Surd(c * self.p + shift, c * self.q, self.r)

    def __float__(self):
        return float(self.p) + float(self.q) * float(self.r) ** 0.5

    def __repr__(self):
        if self.q == 0:
            return str(self.p)
        return f"{self.p} + ({self.q})·√({self.r})"


def compare(x, y):
    """sign(x − y) for Surds x, y, exactly."""
    d = x.p - y.p
    if y.q == 0:
        return Surd(d, x.q, x.r).sign()
    if x.q == 0 or x.r == y.r:
        return Surd(d, x.q - y.q, y.r).sign()
    # x − y = L − R with L = d + q₁√r₁, R = q₂√r₂
    sL = Surd(d, x.q, x.r).sign()
    sR = 1 if y.q > 0 else -1
    if sL != sR:
        return 1 if sL > sR else -1
    squares = Surd(d * d + x.q * x.q * x.r - y.q * y.q * y.r, 2 * d * x.q, x.r)
    return sL * squares.sign()


def smaller(x, y):
    return x if compare(x, y) <= 0 else y


def g(k, m):
    """φ_k(u_m) = min(k, m)/m."""
    return F(min(k, m), m)


def floor_rational(b):
    return b.numerator // b.denominator


def band_infimum(k, a, b, N):
    """(value, attained, where) for I(k, a, b, N).

    value is None for an empty band (the infimum of the empty set, +∞).
    where says where in the closed band the infimum is reached: ("empty",), ("all",)
    (k = N: every point keeps 1), ("vertex", N) for u_N, or ("edge", j, l) for the
    point of the edge [u_j, u_l] with Σω² = 1/b.
    """
    a, b = F(a), F(b)
    assert 1 <= k <= N and 1 <= a < b <= N + 1
    if a > N:
        return None, False, ("empty",)
    if k == N:
        return Surd(1), True, ("all",)
    if b > N:
        return Surd(F(k, N)), True, ("vertex", N)
    # 1 < b ≤ N and k < N: never attained
    far = Surd(F(k, N), 1 - F(k, N), (N - b) / (b * (N - 1)))  # on [u_1, u_N]
    p = floor_rational(b)
    if k <= p < N:
        near = Surd(F(k, p + 1), F(k, p + 1), (p + 1 - b) / (b * p))  # on [u_p, u_{p+1}]
        if compare(near, far) <= 0:
            return near, False, ("edge", p, p + 1)
    return far, False, ("edge", 1, N)


def tight_shell_infimum(k, nu, N):
    """T(k, ν, N) as stated in Proofs/T-tight-infimum.md: (value, attained)."""
    if nu == N:
        return Surd(F(k, N)), True
    n = nu + 1
    F_N = Surd(F(k, N), 1 - F(k, N), F(N - nu - 1, (nu + 1) * (N - 1)))
    return smaller(Surd(g(k, n)), F_N), k == N
