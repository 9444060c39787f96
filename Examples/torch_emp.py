#!/usr/bin/env python3
"""The official EMP code's behaviours in PyTorch (CPU), for `emp verify --candidate`.

    python3 torch_emp.py --behaviour NAME [--corpus DIR] [--output FILE] [--beta official|case]

Runs one behaviour of the authors' repository, as `Conformance/README.md` ("Behaviours of the
official implementation") describes it, on every case of the corpus, and writes a results file
with, per case, nu (the count the code computes), neff (its N_eff, printed exactly) when it has
one, and kept_indices. Written from those descriptions, not from the official code. A per-row
input is run row by row, except by the row-wise behaviours (6, 7, 14), which take the whole
2-D tensor at once as the official code does (sums and sorts along dim 1); a global input is
its tensors flattened and concatenated in the file's order.

Notation: s the scores, a = |s|, N their number, w = a / sum(a) (every step in the dtype
named), "floor clamp [1, N]" the count floor(beta * N_eff) clamped to [1, N]. A float32 or
bfloat16 behaviour casts the corpus scores to that format first.

  reference          not official: float64, N_eff = sum(a)^2 / sum(a^2) after scaling a by a
                     power of two (exact) so that no square overflows; floor clamp [1, N]; the
                     nu largest a, ties by lowest index (a stable sort).
  kan                1, EMP_kan: float32; negative scores set to 0 instead of |s| (all 1 if
                     their sum is then <= 0); N_eff = 1/sum(w^2); floor clamp [1, N]; no beta;
                     the first nu of a non-stable descending sort of w.
  image              2, EMP_channel/EMP_patch: float32; w = a / (sum(a) + 1e-12), N_eff =
                     1/(sum(w^2) + 1e-12); floor clamp [1, N]; the nu largest a, ties as top-k
                     leaves them (the official code uses NumPy's argpartition).
  global_magnitude   3, EMP_global_magnitude: float32; N_eff = 1/sum(w^2); floor clamp [1, N-1];
                     keep a >= the value at sorted position nu, the (nu+1)-th largest.
  quantile           4 and 5, EMP_loss_change/EMP_saliency: float32; nu as in 3; keep
                     a > torch.quantile(a, nu / N).
  wanda_neff         6: float32 scores and w; N_eff = 1/sum(w^2); floor clamp [1, N]; w sorted
                     descending (stable), sorted positions i < nu kept (a float32 comparison).
  magnitude_neff     7: everything in bfloat16 as PyTorch does it (sums accumulated in float32,
                     every other step rounded to bfloat16): w = a / a.sum(), N_eff =
                     1 / (w ** 2).sum(), beta * N_eff, floor, clamp [1, N]; a (not w) sorted
                     descending (stable), sorted positions i with torch.arange(N) < nu kept:
                     int64 against bfloat16 compares in bfloat16, so bf16(i) < nu.
  image_v1           9, process/process_patch/process_pixel: as image, but w = a / sum(a + 1e-12)
                     and N_eff = 1/sum(w^2 + 1e-12).
  kan_v0             10, neff_topk_indices: float32; w = a / (sum(a) + 1e-12), N_eff =
                     1/(sum(w^2) + 1e-12); floor clamp [1, N]; torch.topk of the signed scores.
                     All zero: nu = 1, the top-1 of the zeros, no N_eff.
  nearest_neighbour  11, NeffNearestNeighbors: float64 (distances, here a); nu = floor(N_eff),
                     no beta, no clamp; the N - nu smallest by a non-stable ascending sort
                     (none when --beta case makes nu > N).
  dropout            12, NeffDropout (mode topk): float32; w = a / (sum(a) + 1e-12), N_eff =
                     1/sum(w^2); nu = floor(beta * N_eff) made int64, then clamped to [1, N]
                     (a NaN or infinite N_eff becomes the lowest int64 on this CPU, so nu = 1);
                     the first nu of a non-stable descending sort of w.
  mask_block         13: float32; N_eff = 1/sum(w^2); floor clamp [1, N-1]; the first nu of a
                     stable descending sort of a.
  mask_block_mean    13 with method='mean': as mask_block on a = |s - mean(s)| (float32).
  mask_tensor        14, mask_block per tensor: as wanda_neff with clamp [1, N-1].

--beta official (the default) takes each case's beta from the manifest, except for kan and
nearest_neighbour, whose official functions have none (beta = 1); --beta case uses the
manifest's beta for them too. Scores that are all zero in the behaviour's format (float64
subnormals cast to float32, a negative score clipped, the corpus's all-zero cases) give what
the official code gives: the uniform fallback in 1, the top-1 in 10, the epsilon's N_eff in 2
and 9; a -inf becomes 0 in 1. Where nu is NaN or infinite (masked or vanished scores) the
row-wise functions (6, 7, 14) keep nothing: written as nu 0 and no kept index. Where the
official function raises instead, the case is written as {"id": ..., "error": ...}, a
refusal, which is what emp verify expects on the cases with no EMP analysis. With clamp
[1, N-1] and N = 1, torch.clamp returns its upper bound: nu = 0.
"""
import argparse
import json
import math
import sys
from pathlib import Path

try:
    import torch
except ImportError:
    print("torch_emp.py: PyTorch is not installed; "
          "pip install torch (CPU) to run the official behaviours")
    sys.exit(0)
import numpy as np

EPS = 1e-12


def load_scores(path):
    """The scores of a corpus input in their own format (a uint16 array holds bfloat16 bits)."""
    array = np.load(path)
    if array.dtype == np.uint16:
        return torch.from_numpy(array.view(np.int16)).view(torch.bfloat16)
    return torch.from_numpy(array)


def inverse_simpson(a, eps_sum=0.0, eps_square=0.0):
    """w = a / (sum(a) + eps_sum) and N_eff = 1 / (sum(w^2) + eps_square), in a's dtype."""
    w = a / (a.sum() + eps_sum)
    return w, 1.0 / ((w ** 2).sum() + eps_square)


def floor_clamp(x, high):
    return torch.clamp(torch.floor(x), 1, high)


def descending(scores, stable):
    return torch.sort(scores, descending=True, stable=stable).indices


def reference(s, beta):
    a = s.abs().double()
    a = torch.ldexp(a, -torch.frexp(a.max()).exponent)  # exact scaling: nothing overflows
    neff = a.sum() ** 2 / (a ** 2).sum()
    nu = floor_clamp(beta * neff, a.numel())
    return neff, nu, descending(a, True)[: int(nu)]


def kan(s, beta):
    a = s.float().clamp(min=0)
    if a.sum() <= 0:
        a = torch.ones_like(a)
    w, neff = inverse_simpson(a)
    nu = floor_clamp(beta * neff, a.numel())
    return neff, nu, descending(w, False)[: int(nu)]


def image(s, beta):
    a = s.abs().float()
    _, neff = inverse_simpson(a, EPS, EPS)
    nu = floor_clamp(beta * neff, a.numel())
    return neff, nu, torch.topk(a, int(nu)).indices


def global_magnitude(s, beta):
    a = s.abs().float()
    _, neff = inverse_simpson(a)
    nu = floor_clamp(beta * neff, a.numel() - 1)
    threshold = torch.sort(a, descending=True).values[int(nu)]
    return neff, nu, torch.nonzero(a >= threshold).flatten()


def quantile(s, beta):
    a = s.abs().float()
    _, neff = inverse_simpson(a)
    nu = floor_clamp(beta * neff, a.numel() - 1)
    return neff, nu, torch.nonzero(a > torch.quantile(a, nu / a.numel())).flatten()


def positions_below_nu(s, beta, dtype, rank_w, clamp_n_minus_1=False):
    """6, 7 and 14, row-wise as the official code runs them on a weight matrix: per row, w (or a)
    sorted descending (stable), sorted positions i < nu kept, compared in the promoted dtype of
    int64 and nu's dtype. A 2-D input gives one result per row; a 1-D input is one row."""
    a = s.abs().to(dtype).reshape(-1, s.shape[-1])
    w = a / a.sum(dim=1, keepdim=True)
    neff = 1.0 / (w ** 2).sum(dim=1, keepdim=True)
    n = a.shape[1]
    nu = floor_clamp(beta * neff, n - 1 if clamp_n_minus_1 else n)
    order = descending(w if rank_w else a, True)
    keep = torch.arange(n) < nu  # nothing in a row whose nu is NaN
    rows = [(neff[r, 0], nu[r, 0] if torch.isfinite(nu[r, 0]) else torch.tensor(0), order[r][keep[r]])
            for r in range(a.shape[0])]
    return rows if s.dim() == 2 else rows[0]


def wanda_neff(s, beta):
    return positions_below_nu(s, beta, torch.float32, rank_w=True)


def magnitude_neff(s, beta):
    return positions_below_nu(s, beta, torch.bfloat16, rank_w=False)


def mask_tensor(s, beta):
    return positions_below_nu(s, beta, torch.float32, rank_w=True, clamp_n_minus_1=True)


def image_v1(s, beta):
    a = s.abs().float()
    w = a / (a + EPS).sum()
    neff = 1.0 / (w ** 2 + EPS).sum()
    nu = floor_clamp(beta * neff, a.numel())
    return neff, nu, torch.topk(a, int(nu)).indices


def kan_v0(s, beta):
    a = s.abs().float()
    if not a.any():
        return None, torch.tensor(1), torch.topk(s.float(), 1).indices
    _, neff = inverse_simpson(a, EPS, EPS)
    nu = floor_clamp(beta * neff, a.numel())
    return neff, nu, torch.topk(s.float(), int(nu)).indices


def nearest_neighbour(s, beta):
    a = s.abs().double()
    _, neff = inverse_simpson(a)
    nu = torch.floor(beta * neff)
    return neff, nu, torch.sort(a).indices[: max(a.numel() - int(nu), 0)]


def dropout(s, beta):
    a = s.abs().float()
    w, neff = inverse_simpson(a, EPS)
    nu = torch.floor(beta * neff).long().clamp(1, a.numel())  # int64 before the clamp
    return neff, nu, descending(w, False)[: int(nu)]


def mask_block(s, beta, center=False):
    a = ((s.float() - s.float().mean()) if center else s.float()).abs()
    _, neff = inverse_simpson(a)
    nu = floor_clamp(beta * neff, a.numel() - 1)
    return neff, nu, descending(a, True)[: int(nu)]


def mask_block_mean(s, beta):
    return mask_block(s, beta, center=True)


BEHAVIOURS = {f.__name__: f for f in (
    reference, kan, image, global_magnitude, quantile, wanda_neff, magnitude_neff,
    image_v1, kan_v0, nearest_neighbour, dropout, mask_block, mask_block_mean, mask_tensor)}
WITHOUT_BETA = {"kan", "nearest_neighbour"}
ROW_WISE = {"wanda_neff", "magnitude_neff", "mask_tensor"}  # run on a whole 2-D input at once

SAFETENSORS_TYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": np.int16}


def load_safetensors(path):
    """The tensors of a .safetensors input, each flattened, concatenated in the file's order."""
    data = path.read_bytes()
    length = int.from_bytes(data[:8], "little")
    parts = []
    for name, tensor in json.loads(data[8:8 + length]).items():
        if name != "__metadata__":
            begin, end = tensor["data_offsets"]
            array = np.frombuffer(data[8 + length + begin:8 + length + end], SAFETENSORS_TYPES[tensor["dtype"]]).copy()
            part = torch.from_numpy(array)
            parts.append(part.view(torch.bfloat16) if tensor["dtype"] == "BF16" else part)
    return torch.cat(parts)


def outcome(case_id, compute):
    """A results entry: nu, neff (exactly as computed) and kept_indices, or the refusal."""
    try:
        neff, nu, kept = compute()
        nu = int(nu)
    except (ValueError, OverflowError, RuntimeError) as error:  # a NaN or infinite nu
        return {"id": case_id, "error": str(error)}
    value = neff.item() if neff is not None else None
    return {"id": case_id, "nu": nu, "neff": value if value is not None and math.isfinite(value) else None,
            "kept_indices": sorted(kept.tolist())}


def main():
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--behaviour", required=True, choices=BEHAVIOURS)
    parser.add_argument("--corpus", type=Path, default=root / "Conformance")
    parser.add_argument("--output", help="results file (default: standard output)")
    parser.add_argument("--beta", choices=["official", "case"], default="official")
    args = parser.parse_args()
    run = BEHAVIOURS[args.behaviour]
    manifest = json.loads((args.corpus / "manifest.json").read_text())
    cases = []
    rows = {}  # the row results of each per-row input, computed once
    for case in manifest["cases"]:
        official_one = args.beta == "official" and args.behaviour in WITHOUT_BETA
        beta = 1.0 if official_one else float(case["beta_decimal"])
        if case["mode"] == "per-row":
            path = args.corpus / case["input_npy"]
            if path not in rows:
                matrix = load_scores(path)
                if args.behaviour in ROW_WISE:
                    rows[path] = [outcome(None, lambda r=r: r) for r in run(matrix, beta)]
                else:
                    rows[path] = [outcome(None, lambda r=r: run(r, beta)) for r in matrix]
            cases.append({**rows[path][case["row"]], "id": case["id"]})
        elif case["mode"] == "global":
            cases.append(outcome(case["id"], lambda: run(load_safetensors(args.corpus / case["input_safetensors"]), beta)))
        else:
            cases.append(outcome(case["id"], lambda: run(load_scores(args.corpus / case["input_npy"]), beta)))
    name = f"torch_emp.py {args.behaviour}" + (" --beta case" if args.beta == "case" else "")
    text = json.dumps({"implementation": f"{name} (torch {torch.__version__})", "cases": cases})
    if args.output:
        Path(args.output).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
