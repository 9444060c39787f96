#!/usr/bin/env python3
"""numpy baselines for EMP on float32 scores, timed like the Swift fast-path benchmark.

Two versions of the paper's algorithm, each producing N_eff (float32, as the paper's
code), nu = floor(N_eff), the threshold, s_eff and a keep mask:
  sort       -- np.sort of |x|, descending, keep the top nu (the paper's code)
  partition  -- np.partition of |x| at N - nu instead of a full sort

Usage: numpy_baseline.py --reps R FILE...   (each FILE holds raw little-endian float32)
Prints one JSON object per file: count, median seconds of each version, and its nu.
"""
import argparse
import json
import statistics
import time

import numpy as np


def float32_retention(x):
    """|x|, its float32 sum, and nu = floor(N_eff) in float32 clamped to [1, N], as the paper's code."""
    a = np.abs(x)
    s1 = a.sum(dtype=np.float32)
    s2 = (a * a).sum(dtype=np.float32)
    nu = int(np.floor(s1 * s1 / s2))
    return a, s1, min(max(nu, 1), a.size)


def emp_sort(x):
    a, s1, nu = float32_retention(x)
    ordered = np.sort(a)[::-1]
    threshold = ordered[nu - 1]
    mask = a >= threshold
    s_eff = ordered[:nu].sum(dtype=np.float32) / s1
    return nu, float(s_eff), mask


def emp_partition(x):
    a, s1, nu = float32_retention(x)
    part = np.partition(a, a.size - nu)
    threshold = part[a.size - nu]
    mask = a >= threshold
    s_eff = part[a.size - nu:].sum(dtype=np.float32) / s1
    return nu, float(s_eff), mask


def median_time(f, x, reps):
    times, result = [], None
    for _ in range(reps):
        start = time.perf_counter()
        result = f(x)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    for path in args.files:
        x = np.fromfile(path, dtype="<f4")
        t_sort, (nu_sort, seff_sort, _) = median_time(emp_sort, x, args.reps)
        t_part, (nu_part, _, _) = median_time(emp_partition, x, args.reps)
        print(json.dumps({
            "numpy": np.__version__, "count": int(x.size),
            "sort_seconds": t_sort, "partition_seconds": t_part,
            "nu_sort": nu_sort, "nu_partition": nu_part, "s_eff_sort": seff_sort,
        }), flush=True)


if __name__ == "__main__":
    main()
