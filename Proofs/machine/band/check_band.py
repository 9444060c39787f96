"""Checks the band infimum I(k, a, b, N) of Proofs/band-infimum.md.

    python3 check_band.py          (about a minute; exit status 1 on any disagreement)

Everything is exact (fractions.Fraction and numbers p + q·√r, see band_formula.py); no
decision is taken in floating point. Floats appear only in the printed summary and to
choose where to sample.

(a) Brute force over the faces of Δ↓ = conv{u_1, …, u_N}, N ≤ 8 (edges also up to N = 12):
    the least φ_k over [every edge] and over [every 2-face] of Δ↓ intersected with the
    closed band {1/b ≤ Σω² ≤ 1/a}, from every candidate a minimiser can be (vertices,
    side ∩ sphere points, tangency points of a sphere inside a 2-face), each checked to
    lie in the face and on its sphere exactly. The edge minimum, the 2-face minimum and
    the formula must be equal, for every k and every band; the edge candidates must also
    agree with the formula on whether the infimum is attained.
(b) Adversarial sampling, N ≤ 8: rational points of the band (membership decided
    exactly) near the minimisers, near both spheres and on low-dimensional faces; none
    may keep less than the formula (exact comparison). Also, for every band and k, a
    rational witness: a point of the band keeping at most I + 2⁻⁵⁵ (or exactly I when
    attained), so the formula is not too low either.
(c) Whole shells [ν, ν + 1) against T(k, ν, N) of Proofs/T-tight-infimum.md, all
    1 ≤ k, ν ≤ N ≤ 40: equal values and the same attained flag.
(d) The value asked for: β = 3/2, k = m = 1, band [1, 4/3): (2 + √2)/4 for 2 ≤ N ≤ 40.
"""

import random
import sys
import time
from fractions import Fraction as F
from itertools import combinations
from math import isqrt

from band_formula import Surd, band_infimum, compare, g, tight_shell_infimum

failures = []


def fail(message):
    failures.append(message)
    if len(failures) <= 20:
        print("FAIL:", message)


# ---------------------------------------------------------------------------------------
# Bands


def beta_bands(N):
    """The bands of (shell m, kept k) at a few β: [max(m, lo), min(m + 1, hi)), non-empty."""
    out = []
    for beta in (F(3, 2), F(2, 3), F(5, 4), F(2), F(1, 2), F(7, 3)):
        for m in range(1, N + 1):
            for k in range(1, N + 1):
                lo = F(1) if k == 1 else k / beta
                hi = F(N + 1) if k == N else (k + 1) / beta
                a, b = max(F(m), lo), min(F(m + 1), hi)
                if a < b:
                    out.append((a, b))
    return out


def bands_for(N, rng, count):
    """Special bands (shells, integer ends, thin, nearly integer, empty, β) and random ones."""
    special = [(F(nu), F(nu + 1)) for nu in range(1, N + 1)]
    for p in range(1, N + 1):
        special += [(F(1), F(p) + F(1, 10**6)), (F(1), F(p + 1) - F(1, 10**6)),
                    (F(p + 1) - F(2, 10**6), F(p + 1) - F(1, 10**6)), (F(p), F(p) + F(1, 2))]
    special += [(F(N) + F(1, 3), F(N) + F(2, 3)), (F(N), F(N) + F(1, 7)), (F(N) - F(1, 9), F(N + 1))]
    special = [(a, b) for a, b in special if 1 <= a < b <= N + 1]
    beta = beta_bands(N)
    chosen = special + rng.sample(beta, min(len(beta), count // 3))
    while len(chosen) < len(special) + count:
        d = rng.choice([1, 2, 3, 7, 12, 30, 1000])
        x = F(rng.randint(d, d * (N + 1)), d)
        y = F(rng.randint(d, d * (N + 1)), d)
        if x != y:
            chosen.append((min(x, y), max(x, y)))
    return list(dict.fromkeys(chosen))


# ---------------------------------------------------------------------------------------
# Numbers P + Q·√r sharing one radicand r, as pairs (P, Q): enough for points whose
# coordinates involve a single square root, and for their Σω² (a quadratic form).


def mul(x, y, r):
    return (x[0] * y[0] + x[1] * y[1] * r, x[0] * y[1] + x[1] * y[0])


def add(x, y):
    return (x[0] + y[0], x[1] + y[1])


def scal(c, x):
    return (c * x[0], c * x[1])


# ---------------------------------------------------------------------------------------
# (a) Brute force over edges and 2-faces


def gram(idx):
    """u_i · u_j = 1/max(i, j)."""
    return [[F(1, max(i, j)) for j in idx] for i in idx]


def face_points(idx, levels):
    """Candidate points of the face conv{u_i : i ∈ idx} (len 2 or 3) that do not depend on k.

    Returns (coefficients over idx as pairs, radicand, Σω² as a rational). Vertices are
    returned with their own Σω²; points on the sides are where a side meets a sphere
    Σω² = c for c in levels.
    """
    G = gram(idx)
    out = []
    for A in range(len(idx)):
        c = [(F(0), F(0))] * len(idx)
        c[A] = (F(1), F(0))
        out.append((c, F(0), G[A][A]))
    for A, B in combinations(range(len(idx)), 2):
        # c = t·e_A + (1 − t)·e_B:  Σω² = a2·t² + a1·t + G_BB
        a2 = G[A][A] - 2 * G[A][B] + G[B][B]
        a1 = 2 * (G[A][B] - G[B][B])
        for level in levels:
            disc = a1 * a1 - 4 * a2 * (G[B][B] - level)
            if disc < 0:
                continue
            for sigma in (1, -1):
                t = Surd(-a1 / (2 * a2), F(sigma) / (2 * a2), disc)
                if t.sign() < 0 or Surd(t.p - 1, t.q, t.r).sign() > 0:
                    continue
                c = [(F(0), F(0))] * len(idx)
                c[A] = (t.p, t.q)
                c[B] = (1 - t.p, -t.q)
                out.append((c, t.r, level))
    return out


def tangency_points(idx, gvals, levels):
    """On a 2-face, the points of each sphere Σω² = c where φ_k is stationary along it."""
    G = gram(idx)
    # c = (x, y, 1 − x − y); Σω² = zᵀHz + 2hᵀz + G22, φ = g2 + wᵀz, z = (x, y)
    H = [[G[0][0] - 2 * G[0][2] + G[2][2], G[0][1] - G[0][2] - G[1][2] + G[2][2]],
         [G[0][1] - G[0][2] - G[1][2] + G[2][2], G[1][1] - 2 * G[1][2] + G[2][2]]]
    h = [G[0][2] - G[2][2], G[1][2] - G[2][2]]
    w = [gvals[0] - gvals[2], gvals[1] - gvals[2]]
    if w == [0, 0]:
        return []  # φ_k is constant (= 1) on this face; its vertices carry the value
    det = H[0][0] * H[1][1] - H[0][1] * H[1][0]
    Hinv = [[H[1][1] / det, -H[0][1] / det], [-H[1][0] / det, H[0][0] / det]]
    z0 = [-(Hinv[0][0] * h[0] + Hinv[0][1] * h[1]), -(Hinv[1][0] * h[0] + Hinv[1][1] * h[1])]
    q0 = G[2][2] + h[0] * z0[0] + h[1] * z0[1]
    v = [Hinv[0][0] * w[0] + Hinv[0][1] * w[1], Hinv[1][0] * w[0] + Hinv[1][1] * w[1]]
    s = w[0] * v[0] + w[1] * v[1]  # wᵀH⁻¹w > 0
    out = []
    for level in levels:
        rr = (level - q0) / s
        if rr < 0:
            continue
        for sigma in (1, -1):
            x = (z0[0], sigma * v[0])
            y = (z0[1], sigma * v[1])
            c = [x, y, (1 - x[0] - y[0], -x[1] - y[1])]
            out.append((c, rr, level))
    return out


def check_point(idx, c, r, level):
    """Exact checks of a candidate: in the face (coefficients ≥ 0, sum 1), on its sphere."""
    if any(Surd(P, Q, r).sign() < 0 for P, Q in c):
        return False
    total = (F(0), F(0))
    for x in c:
        total = add(total, x)
    G = gram(idx)
    q = (F(0), F(0))
    for A in range(len(idx)):
        for B in range(len(idx)):
            q = add(q, scal(G[A][B], mul(c[A], c[B], r)))
    if total != (1, 0) or compare(Surd(q[0], q[1], r), Surd(level)) != 0:
        raise AssertionError(f"brute force: bad candidate on face {idx}")
    return True


def face_minimum(N, k, alpha, gamma, faces, cache):
    """Least φ_k over the candidates of the given faces that lie in the closed band.

    Returns (value or None, attained) where attained says that some least candidate
    has α < Σω² ≤ γ (it lies in the band itself, not only its closure).
    """
    best, attained = None, False
    for idx in faces:
        if idx not in cache:
            pts = face_points(idx, (alpha, gamma))
            cache[idx] = [(c, r, lv) for c, r, lv in pts if alpha <= lv <= gamma and check_point(idx, c, r, lv)]
        gvals = [g(k, i) for i in idx]
        pts = cache[idx]
        if len(idx) == 3:
            tang = tangency_points(idx, gvals, (alpha, gamma))
            pts = pts + [(c, r, lv) for c, r, lv in tang if check_point(idx, c, r, lv)]
        for c, r, level in pts:
            val = (F(0), F(0))
            for x, gv in zip(c, gvals):
                val = add(val, scal(gv, x))
            value = Surd(val[0], val[1], r)
            inside = level > alpha
            s = -1 if best is None else compare(value, best)
            if s < 0:
                best, attained = value, inside
            elif s == 0:
                attained = attained or inside
    return best, attained


def check_bruteforce(N_edges_max, N_faces_max, rng, bands_per_N):
    stats = {"bands": 0, "edge comparisons": 0, "face comparisons": 0}
    for N in range(1, N_edges_max + 1):
        edges = list(combinations(range(1, N + 1), 2)) or [(1,)]
        faces = list(combinations(range(1, N + 1), 3))
        for a, b in bands_for(N, rng, bands_per_N if N <= N_faces_max else bands_per_N // 2):
            stats["bands"] += 1
            alpha, gamma = 1 / b, 1 / a
            cache = {}
            for k in range(1, N + 1):
                value, attained, where = band_infimum(k, a, b, N)
                e_val, e_att = face_minimum(N, k, alpha, gamma, edges, cache)
                stats["edge comparisons"] += 1
                if (value is None) != (e_val is None) or (value is not None and compare(value, e_val) != 0):
                    fail(f"edges: N={N} k={k} band=[{a},{b}) formula={value} edges={e_val}")
                    continue
                if value is not None and attained != e_att:
                    fail(f"edges: N={N} k={k} band=[{a},{b}) attained formula={attained} edges={e_att}")
                if N <= N_faces_max and faces:
                    f_val, _ = face_minimum(N, k, alpha, gamma, faces, cache)
                    stats["face comparisons"] += 1
                    if (value is None) != (f_val is None) or (value is not None and compare(value, f_val) != 0):
                        fail(f"2-faces: N={N} k={k} band=[{a},{b}) formula={value} faces={f_val}")
    return stats


# ---------------------------------------------------------------------------------------
# (b) Sampling and witnesses


def point(cs):
    """ω = Σ_m c_m·u_m from barycentric coefficients (c_1, …, c_N), exactly."""
    N = len(cs)
    w, acc = [F(0)] * N, F(0)
    for m in range(N, 0, -1):
        acc += cs[m - 1] / m
        w[m - 1] = acc
    return w


def edge_coeffs(N, j, l, lam):
    cs = [F(0)] * N
    cs[j - 1] += lam
    cs[l - 1] += 1 - lam
    return cs


def rational_above_sqrt(t, bits):
    """A rational λ′ with √t < λ′ ≤ √t + 2^−bits."""
    s = isqrt((t * 4**bits).__floor__())
    return F(s + 1, 2**bits)


def check_witnesses(N_max, rng, bands_per_N):
    n = 0
    for N in range(1, N_max + 1):
        for a, b in bands_for(N, rng, bands_per_N):
            alpha, gamma = 1 / b, 1 / a
            for k in range(1, N + 1):
                value, attained, where = band_infimum(k, a, b, N)
                if value is None:
                    continue
                n += 1
                if attained:  # a point of the band keeping exactly the value
                    if where[0] == "vertex" or N == 1:
                        w = point(edge_coeffs(N, N, N, F(1)))
                    else:  # k = N, every point keeps 1: take one with N_eff just above a
                        t = (1 / a - F(1, N)) / (1 - F(1, N))
                        lam = rational_above_sqrt(t, 60) - F(1, 2**60)  # ≤ √t: Σω² ≤ 1/a
                        w = point(edge_coeffs(N, 1, N, lam))
                    q = sum(x * x for x in w)
                    if not (alpha < q <= gamma) or compare(Surd(sum(w[:k])), value) != 0:
                        fail(f"witness: N={N} k={k} band=[{a},{b}) attained point fails")
                    continue
                if where[0] != "edge":
                    fail(f"witness: N={N} k={k} band=[{a},{b}) approached, but at {where}")
                    continue
                _, j, l = where
                t = (alpha - F(1, l)) / (F(1, j) - F(1, l))  # λ*² on [u_j, u_l]
                lam = rational_above_sqrt(t, 60)
                w = point(edge_coeffs(N, j, l, lam))
                q = sum(x * x for x in w)
                kept = Surd(sum(w[:k]))
                if not (alpha < q <= gamma) or compare(kept, value) < 0 or compare(kept, value.scaled(1, F(1, 2**55))) > 0:
                    fail(f"witness: N={N} k={k} band=[{a},{b}) λ′ point is not within 2^-55")
    return n


def in_band(w, alpha, gamma):
    q = sum(x * x for x in w)
    return alpha < q <= gamma


def sample_points(N, a, b, rng, per_band):
    """Rational points of Δ↓ aimed at the minimisers and at both spheres."""
    alpha, gamma = 1 / b, 1 / a
    out = []
    mins = set()
    for k in range(1, N + 1):
        value, attained, where = band_infimum(k, a, b, N)
        if where[0] == "edge":
            mins.add(where[1:])
    for _ in range(per_band):
        kind = rng.random()
        if mins and kind < 0.45:  # near a minimiser, possibly pushed off its edge
            j, l = rng.choice(sorted(mins))
            t = (alpha - F(1, l)) / (F(1, j) - F(1, l))
            lam = F(float(t) ** 0.5) + F(rng.choice((-1, 1)) * 10 ** rng.uniform(-12, -2))
            lam = min(max(lam, F(0)), F(1))
            cs = edge_coeffs(N, j, l, lam)
            if rng.random() < 0.6:
                eps = F(10 ** rng.uniform(-10, -2))
                m = rng.randint(1, N)
                cs = [c * (1 - eps) for c in cs]
                cs[m - 1] += eps
            out.append(point(cs))
        elif kind < 0.85:  # a random segment, cut near one of the spheres
            y = random_coeffs(N, rng)
            z = random_coeffs(N, rng)
            level = alpha if rng.random() < 0.5 else gamma
            cut = segment_cut(point(y), point(z), level)
            if cut is None:
                continue
            t = F(cut) + F(rng.choice((-1, 1)) * 10 ** rng.uniform(-14, -3))
            t = min(max(t, F(0)), F(1))
            out.append(point([yi + t * (zi - yi) for yi, zi in zip(y, z)]))
        else:  # a random point of a low-dimensional face
            out.append(point(random_coeffs(N, rng)))
    return [w for w in out if in_band(w, alpha, gamma)]


def random_coeffs(N, rng):
    support = rng.sample(range(N), min(N, rng.choice((1, 2, 2, 3, 3, N))))
    raw = [rng.randint(1, 1000) for _ in support]
    cs = [F(0)] * N
    for m, x in zip(support, raw):
        cs[m] = F(x, sum(raw))
    return cs


def segment_cut(y, z, level):
    """A float t ∈ [0, 1] with Σ((1 − t)y + tz)² ≈ level, or None."""
    d = [zi - yi for yi, zi in zip(y, z)]
    A = float(sum(x * x for x in d))
    B = 2 * float(sum(x * yi for x, yi in zip(d, y)))
    C = float(sum(x * x for x in y)) - float(level)
    if A == 0:
        return None
    disc = B * B - 4 * A * C
    if disc < 0:
        return None
    roots = [(-B + s * disc**0.5) / (2 * A) for s in (1, -1)]
    roots = [x for x in roots if 0 <= x <= 1]
    return roots[0] if roots else None


def check_sampling(N_max, rng, bands_per_N, per_band):
    n_points = n_checks = 0
    closest = float("inf")
    for N in range(2, N_max + 1):
        for a, b in bands_for(N, rng, bands_per_N):
            results = [band_infimum(k, a, b, N) for k in range(1, N + 1)]
            values = [value for value, _, _ in results]
            if values[0] is None:
                continue
            for w in sample_points(N, a, b, rng, per_band):
                n_points += 1
                kept = F(0)
                for k in range(1, N + 1):
                    kept += w[k - 1]
                    n_checks += 1
                    if compare(Surd(kept), values[k - 1]) < 0:
                        fail(f"sample: N={N} k={k} band=[{a},{b}) keeps {kept} < {values[k - 1]}")
                    if not results[k - 1][1]:
                        closest = min(closest, float(kept) - float(values[k - 1]))
    return n_points, n_checks, closest


# ---------------------------------------------------------------------------------------
# (c) Whole shells against T; (d) the value at β = 3/2


def check_shells(N_max):
    n = 0
    for N in range(1, N_max + 1):
        for nu in range(1, N + 1):
            for k in range(1, N + 1):
                n += 1
                value, attained, _ = band_infimum(k, nu, nu + 1, N)
                t_value, t_attained = tight_shell_infimum(k, nu, N)
                if compare(value, t_value) != 0 or attained != t_attained:
                    fail(f"shell: N={N} ν={nu} k={k}: band {value} ({attained}) vs T {t_value} ({t_attained})")
    return n


def check_beta_value(N_max):
    expected = Surd(F(1, 2), F(1, 4), 2)  # (2 + √2)/4
    for N in range(2, N_max + 1):
        value, attained, where = band_infimum(1, 1, F(4, 3), N)
        if compare(value, expected) != 0 or attained:
            fail(f"β = 3/2: N={N}: {value} ({attained}, {where}), expected (2 + √2)/4, approached")
    return float(expected)


def main():
    rng = random.Random(20250926)
    t0 = time.time()
    stats = check_bruteforce(N_edges_max=12, N_faces_max=8, rng=rng, bands_per_N=24)
    print(f"(a) brute force: {stats['bands']} bands; {stats['edge comparisons']} (k, band) pairs against "
          f"every edge (N ≤ 12), {stats['face comparisons']} against every 2-face (3 ≤ N ≤ 8)  "
          f"[{time.time() - t0:.1f} s]")
    t0 = time.time()
    n_w = check_witnesses(N_max=12, rng=rng, bands_per_N=24)
    n_p, n_c, closest = check_sampling(N_max=8, rng=rng, bands_per_N=30, per_band=400)
    print(f"(b) {n_w} witnesses within 2^-55 (or exact when attained); {n_p} sampled band points, "
          f"{n_c} (point, k) checks, none below the formula; least excess where not attained {closest:.3g}  [{time.time() - t0:.1f} s]")
    t0 = time.time()
    n_s = check_shells(N_max=40)
    print(f"(c) {n_s} whole shells [ν, ν+1), N ≤ 40: equal to T(k, ν, N), same attained flag  [{time.time() - t0:.1f} s]")
    v = check_beta_value(N_max=40)
    print(f"(d) β = 3/2, k = m = 1, band [1, 4/3): (2 + √2)/4 ≈ {v:.15f}, approached, for 2 ≤ N ≤ 40")
    if failures:
        print(f"{len(failures)} disagreement(s)")
        sys.exit(1)
    print("all checks agree")


if __name__ == "__main__":
    main()
