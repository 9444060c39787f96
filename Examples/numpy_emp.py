#!/usr/bin/env python3
"""EMP in numpy, written from the paper's algorithm, for `emp verify --candidate-cmd`.

    python3 numpy_emp.py INPUT OUTPUT.json [--mode M] [--beta B] [--dtype float32|float64] [--faulty F]
    python3 numpy_emp.py --corpus CORPUS RESULTS.json [--dtype ...] [--faulty F]

The first form handles one input (for `emp verify --candidate-cmd ... --mode {mode}`): with
--mode per-tensor (the default) INPUT is a 1-D .npy; with per-row a 2-D .npy whose rows are
pruned one by one (the output is {"rows": [...]}, one object per row); with global a
.safetensors whose tensors, flattened and concatenated in the file's order, are one vector
(kept indices count through that concatenation). The second form runs over a whole corpus
and writes a results file (for `emp verify --candidate`).

Algorithm (Wang et al., "Effective Model Pruning", arXiv 2509.25606): with a = |s|,
N_eff = (sum a)^2 / sum a^2, nu = floor(beta * N_eff) clamped to [1, N], and keep the nu
largest |s| (ties: lowest index first). Everything is computed in --dtype, as a float
implementation does; the output is one JSON object {"nu", "neff", "kept_indices", "s_eff"}.

--faulty reproduces classic mistakes, to see `emp verify` name them:
  ceil        nu = ceil(beta * N_eff)
  ge-next     keep |s| >= the (nu+1)-th largest value
  gt          keep |s| >  the nu-th largest value
  complement  keep the N - nu smallest
  quantile    keep |s| >= np.quantile(|s|, 1 - nu/N)
  signed      N_eff from signed scores (sum s)^2 / sum s^2
  ties-high   ties at the cut broken by the highest index (stable ascending sort, reversed)
"""
import argparse
import json
import math
import os
import sys

import numpy as np


def bfloat16_bits(bits):
    """bfloat16 bit patterns (uint16: numpy has no bfloat16) as float32, whose upper half they are."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def load_scores(path):
    """A .npy corpus input (a uint16 array holds bfloat16 bit patterns)."""
    scores = np.load(path)
    return bfloat16_bits(scores) if scores.dtype == np.uint16 else scores


SAFETENSORS_TYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": np.uint16}


def load_safetensors(path):
    """The tensors of a .safetensors file, each flattened, concatenated in the file's order
    (8-byte little-endian header length, a JSON header, then the data)."""
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    parts = []
    for name, tensor in header.items():
        if name == "__metadata__":
            continue
        begin, end = tensor["data_offsets"]
        part = np.frombuffer(data[8 + length + begin:8 + length + end], dtype=SAFETENSORS_TYPES[tensor["dtype"]])
        parts.append(bfloat16_bits(part) if tensor["dtype"] == "BF16" else part)
    return np.concatenate(parts)


def run(path, mode, beta, dtype, faulty):
    """The result of one input: an object, or for per-row {"rows": [...]}. Raises ValueError
    where N_eff is not finite (for per-row, the row's object is a refusal instead)."""
    if mode == "global":
        return emp(load_safetensors(path), beta, dtype, faulty)
    scores = load_scores(path)
    if mode == "per-tensor":
        return emp(scores, beta, dtype, faulty)
    rows = []
    for row in scores:
        try:
            rows.append(emp(row, beta, dtype, faulty))
        except ValueError as error:
            rows.append({"error": str(error)})
    return {"rows": rows}


def emp(scores, beta, dtype, faulty=None):
    s = scores.astype(dtype)
    a = np.abs(s)
    n = a.size
    total = a.sum(dtype=dtype)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        first = s.sum(dtype=dtype) if faulty == "signed" else total
        neff = first * first / (a * a).sum(dtype=dtype)
        x = dtype(beta) * neff
    if not np.isfinite(x):
        raise ValueError(f"N_eff is not finite in {np.dtype(dtype).name} ({neff})")
    nu = math.ceil(x) if faulty == "ceil" else math.floor(x)
    nu = min(max(nu, 1), n)
    if faulty == "ties-high":
        order = np.argsort(a, kind="stable")[::-1]
    else:
        order = np.argsort(-a, kind="stable")  # descending, ties by lowest index
    if faulty == "ge-next":
        kept = np.flatnonzero(a >= a[order[nu]]) if nu < n else order
    elif faulty == "gt":
        kept = np.flatnonzero(a > a[order[nu - 1]])
    elif faulty == "complement":
        kept = order[nu:]
    elif faulty == "quantile":
        kept = np.flatnonzero(a >= np.quantile(a, 1 - nu / n))
    else:
        kept = order[:nu]
    kept = np.sort(kept)
    s_eff = a[kept].sum(dtype=dtype) / total
    return {
        "implementation": f"numpy_emp.py {np.dtype(dtype).name}" + (f" --faulty {faulty}" if faulty else ""),
        "nu": int(nu),
        "neff": float(neff),
        "kept_indices": [int(i) for i in kept],
        "s_eff": float(s_eff),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="INPUT OUTPUT.json, or RESULTS.json with --corpus")
    parser.add_argument("--corpus", help="run over every case of this corpus directory")
    parser.add_argument("--mode", choices=["per-tensor", "per-row", "global"], default="per-tensor")
    parser.add_argument("--beta", type=float, default=1.0)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    parser.add_argument(
        "--faulty", choices=["ceil", "ge-next", "gt", "complement", "quantile", "signed", "ties-high"])
    args = parser.parse_args()
    dtype = np.dtype(args.dtype).type
    if args.corpus is None:
        if len(args.paths) != 2:
            parser.error("expected INPUT OUTPUT.json")
        try:
            result = run(args.paths[0], args.mode, args.beta, dtype, args.faulty)
        except ValueError as error:
            sys.exit(str(error))
        with open(args.paths[1], "w") as f:
            json.dump(result, f)
        return
    with open(os.path.join(args.corpus, "manifest.json")) as f:
        manifest = json.load(f)
    cases = []
    for case in manifest["cases"]:
        if case["mode"] == "per-row":  # one result per row, each a case of its own
            scores = load_scores(os.path.join(args.corpus, case["input_npy"]))[case["row"]]
        elif case["mode"] == "global":
            scores = load_safetensors(os.path.join(args.corpus, case["input_safetensors"]))
        else:
            scores = load_scores(os.path.join(args.corpus, case["input_npy"]))
        try:
            cases.append({"id": case["id"], **emp(scores, float(case["beta_decimal"]), dtype, args.faulty)})
        except ValueError as error:  # a refusal: what the reference does with no EMP analysis
            cases.append({"id": case["id"], "error": str(error)})
    name = f"numpy_emp.py {args.dtype}" + (f" --faulty {args.faulty}" if args.faulty else "")
    with open(args.paths[0], "w") as f:
        json.dump({"implementation": name, "cases": cases}, f)


if __name__ == "__main__":
    main()
