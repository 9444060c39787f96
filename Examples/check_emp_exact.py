#!/usr/bin/env python3
"""Check `emp analyze --json` exactly, independently of EMPKit (numpy and the standard library only).

    python3 check_emp_exact.py MODEL.safetensors EMP.json --magnitude [--beta p/q]
    python3 check_emp_exact.py MODEL.safetensors EMP.json --wanda ACT.safetensors [--beta p/q]
    python3 check_emp_exact.py MODEL.safetensors EMP.json --scores S.safetensors [--beta p/q]
    python3 check_emp_exact.py MODEL.safetensors EMP.json --group-rows-l1 [--beta p/q]

EMP.json comes from `emp analyze MODEL --json` with the matching options (--criterion wanda
--activations ACT, --scores S, --group rows --group-norm l1, or none). For every tensor whose
`nu` is not null the scores are recomputed: |w|, |W_ij|·a_j, |s|, or a row's Σ|w| (each row of
a tensor of shape [rows, ...], the rest flattened; a 1-D tensor is one row). Then, exactly,
N_eff = (Σs)² / Σs², ν = ⌊β·N_eff⌋ clamped to [1, N], compared with `n`, `nu`, `neff` (when not
null), `kept_elements` (ν, or ν times the row length) and `kept_groups` (when present: the ν
largest rows, ties to the lowest index).

Exactness: every float is M·2^e with an integer mantissa M < 2^53 (np.frexp). The sums are taken
per exponent bucket on 18-bit limbs of M (and of the limb products, for Σs²) with np.bincount,
whose float64 partial sums are then integers below 2^53 (for fewer than 2^35 terms), so no
addition rounds; the buckets are combined as Python integers at a common power-of-two scale,
which cancels in N_eff. Wanda products are exact in binary64 for F16/BF16/F32 factors; with an
F64 factor each product is checked, and an inexact one stops the check (exit status 2).

Prints one line per tensor and a summary; exits 1 on any mismatch.
"""
import argparse
import json
import math
import struct
import sys
from fractions import Fraction

import numpy as np

LIMB = 18
MASK = (1 << LIMB) - 1


def load_safetensors(path):
    """{name: (dtype, array)} for the float tensors of a .safetensors file (arrays in native dtypes)."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw, dtype = data[start:end], info["dtype"]
        if dtype == "BF16":
            array = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        elif dtype in ("F16", "F32", "F64"):
            array = raw.view({"F16": "<f2", "F32": "<f4", "F64": "<f8"}[dtype])
        else:
            continue
        tensors[name] = (dtype, array.reshape(info["shape"]))
    return tensors


def decompose(x):
    """x (float64, finite, ≥ 0) = M·2^(e - 53) with int64 0 ≤ M < 2^53; returns M and e."""
    m, e = np.frexp(x)
    return np.ldexp(m, 53).astype(np.int64), e.astype(np.int64)


def bucket_total(pieces, bins, rows, buckets, step):
    """Per row, Σ_i Σ_(v, shift) v_i·2^(shift + step·bucket_i) as exact Python ints.

    Each v is an int64 array of values below 2^18; `bins` = row·buckets + bucket."""
    total = np.zeros(rows, dtype=object)
    for v, shift in pieces:
        sums = np.bincount(bins, weights=v, minlength=rows * buckets).reshape(rows, buckets).astype(np.int64)
        for u in np.flatnonzero(sums.any(axis=0)):
            total += sums[:, u].astype(object) << int(shift + step * u)
    return total


def exact_neff(s):
    """N_eff of the scores s (float64, finite, ≥ 0, not all zero) exactly: (Σs)² / Σs²."""
    mant, e = decompose(s.ravel())
    e -= e.min()
    buckets = int(e.max()) + 1
    limbs = [(mant >> (LIMB * k)) & MASK for k in range(3)]
    total = bucket_total([(v, LIMB * k) for k, v in enumerate(limbs)], e, 1, buckets, 1)[0]
    # M² = Σ_(a,b) limb_a·limb_b·2^(18(a+b)); each product < 2^36 is split in two limbs (generated lazily)
    products = ((limbs[a] * limbs[b], LIMB * (a + b)) for a in range(3) for b in range(3))
    squares = ((half, shift) for p, base in products
               for half, shift in ((p & MASK, base), (p >> LIMB, base + LIMB)))
    return Fraction(total * total, bucket_total(squares, e, 1, buckets, 2)[0])


def exact_row_sums(rows):
    """Each row's Σ|w| (rows: a 2-D float array) exactly, as Python ints at a common scale."""
    mant, e = decompose(np.abs(rows.astype(np.float64)))
    e -= e.min()
    buckets = int(e.max()) + 1
    bins = (np.arange(rows.shape[0])[:, None] * buckets + e).ravel()
    pieces = [(((mant >> (LIMB * k)) & MASK).ravel(), LIMB * k) for k in range(3)]
    return bucket_total(pieces, bins, rows.shape[0], buckets, 1)


def exact_products(name, w, wdtype, a, adtype):
    """|w|·a in float64, checked exact when a factor is F64 (narrower factors multiply exactly)."""
    w, a = np.abs(w.astype(np.float64)), a.astype(np.float64)
    with np.errstate(over="ignore", under="ignore"):
        p = w * a
    if "F64" in (wdtype, adtype):
        # exact iff the product of the odd parts of the mantissas is below 2^53 and its lowest bit is
        # not below 2^-1074; float64 decides `< 2^53` exactly (it rounds monotonically, 2^53 is exact)
        (mw, ew), (ma, ea) = decompose(w), decompose(np.broadcast_to(a, w.shape))
        tw = np.log2(np.where(mw == 0, 1, mw & -mw)).astype(np.int64)
        ta = np.log2(np.where(ma == 0, 1, ma & -ma)).astype(np.int64)
        fits = (mw >> tw).astype(np.float64) * (ma >> ta).astype(np.float64) < 2.0**53
        low = ew + tw + ea + ta - 106
        if not np.all((w == 0) | (a == 0) | (fits & (low >= -1074) & np.isfinite(p))):
            print(f"{name}: a product |W_ij|·a_j is not a binary64 number; this checker stops here",
                  file=sys.stderr)
            sys.exit(2)
    return p


def main():
    parser = argparse.ArgumentParser(description="Check emp analyze --json exactly.")
    parser.add_argument("model")
    parser.add_argument("report")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--magnitude", action="store_true")
    mode.add_argument("--wanda", metavar="ACT.safetensors")
    mode.add_argument("--scores", metavar="S.safetensors")
    mode.add_argument("--group-rows-l1", action="store_true")
    parser.add_argument("--beta", type=Fraction, default=Fraction(1), help="p/q or a decimal (default 1)")
    args = parser.parse_args()
    if args.beta <= 0:
        parser.error("--beta must be > 0")

    model = load_safetensors(args.model)
    other = load_safetensors(args.wanda or args.scores) if (args.wanda or args.scores) else {}
    with open(args.report) as f:
        report = json.load(f)
    problems = 0
    if report.get("beta") is not None and Fraction(report["beta"]) != args.beta:
        print(f"MISMATCH: the report's beta is {report['beta']}, --beta is {args.beta}")
        problems += 1

    checked = skipped = 0
    for entry in report["tensors"]:
        name, nu_reported = entry["name"], entry["nu"]
        if nu_reported is None:
            skipped += 1
            continue
        dtype, w = model[name]
        notes, nu, row_sums = [], None, None
        if args.group_rows_l1:
            rows = w.reshape(w.shape[0] if w.ndim > 1 else 1, -1)
            n, unit, s = rows.shape[0], rows.shape[1], rows
        elif name not in other and not args.magnitude:
            n, unit, s = w.size, 1, None
            notes.append(f"no tensor {name} in {args.wanda or args.scores}")
        else:
            n, unit = w.size, 1
            if args.magnitude:
                s = np.abs(w.astype(np.float64))
            elif args.scores:
                s = np.abs(other[name][1].astype(np.float64))
            else:
                s = exact_products(name, w, dtype, other[name][1], other[name][0])
        if s is not None and (not np.all(np.isfinite(s)) or not np.any(s)):
            notes.append("scores all zero or not finite, yet a nu is reported")
        elif s is not None:
            if args.group_rows_l1:
                row_sums = exact_row_sums(s)
                total = sum(row_sums)
                neff = Fraction(total * total, sum(row_sums * row_sums))
            else:
                neff = exact_neff(s)
            nu = min(max(math.floor(args.beta * neff), 1), n)
            if entry.get("neff") is not None and Fraction(entry["neff"]) != neff:
                notes.append(f"neff {entry['neff']} != {neff}")
            if entry.get("kept_groups") is not None and row_sums is not None:
                top = sorted(sorted(range(n), key=lambda i: (-row_sums[i], i))[:nu])
                if entry["kept_groups"] != top:
                    notes.append("kept_groups are not the nu largest rows")
        if entry["n"] != n:
            notes.append(f"n {entry['n']} != {n}")
        if nu != nu_reported:
            notes.append("nu differs")
        if nu is not None and entry.get("kept_elements") != nu * unit:
            notes.append(f"kept_elements {entry.get('kept_elements')} != {nu * unit}")
        checked += 1
        problems += bool(notes)
        status = "MISMATCH " + "; ".join(notes) if notes else "OK"
        print(f"{name}  N={n}  nu_expected={nu}  nu_reported={nu_reported}  {status}")

    print(f"checked {checked} tensors ({skipped} with nu null skipped); {problems} mismatch(es)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
