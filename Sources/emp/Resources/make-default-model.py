#!/usr/bin/env python3
"""Writes default-model.safetensors, the example `emp` analyses when run without arguments,
and default-activations.safetensors, Wanda input-feature norms for its three matrices (a
float32 tensor [in] of each matrix's name; synthetic, with the model's outlier columns loud).

Deterministic on every platform: a SplitMix64 generator and only correctly rounded IEEE
operations (+, -, *, /, sqrt), then round-to-nearest-even conversions to each dtype.
Usage: python3 make-default-model.py [OUTPUT [ACTIVATIONS]]   (default: next to this script)
"""
import json
import math
import os
import struct
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """A double in (0, 1]."""
        return ((self.next() >> 11) + 1) / float(1 << 53)


def heavy_tailed(rng, scale, tail_probability):
    """scale * (approximately normal core) * (a Pareto(2) factor with probability tail_probability)."""
    core = (rng.uniform() + rng.uniform() + rng.uniform() + rng.uniform() - 2.0) * math.sqrt(3.0)
    factor = 1.0 / math.sqrt(rng.uniform()) if rng.uniform() < tail_probability else 1.0
    return scale * core * factor


def bf16_bytes(value):
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16  # round to nearest, ties to even
    return struct.pack("<H", rounded)


def encode(dtype, values):
    if dtype == "F32":
        return b"".join(struct.pack("<f", v) for v in values)
    if dtype == "F16":
        return b"".join(struct.pack("<e", v) for v in values)
    if dtype == "BF16":
        return b"".join(bf16_bytes(v) for v in values)
    if dtype == "I64":
        return b"".join(struct.pack("<q", v) for v in values)
    raise ValueError(dtype)


def tensors():
    rng = SplitMix64(2509_25606)
    q = [heavy_tailed(rng, 0.02, 0.05) for _ in range(64 * 128)]
    # A few "outlier" input columns carry most of the mass, as in large language models.
    up = [heavy_tailed(rng, 0.03 * (8.0 if j % 24 == 5 else 1.0), 0.02) for _ in range(128) for j in range(96)]
    down = [heavy_tailed(rng, 0.02, 0.10) for _ in range(96 * 128)]
    norm = [1.0 + heavy_tailed(rng, 0.05, 0.0) for _ in range(128)]
    return [
        ("layers.0.attn.q_proj.weight", "F32", [64, 128], q),
        ("layers.0.mlp.up_proj.weight", "BF16", [128, 96], up),
        ("layers.0.mlp.down_proj.weight", "F16", [96, 128], down),
        ("layers.0.norm.weight", "F32", [128], norm),
        ("position_ids", "I64", [32], list(range(32))),
    ]


def activations():
    """Norms ‖X_j‖₂ of each matrix's input features: lognormal-like around 1, loud where the
    model's outlier columns are (j % 24 == 5), for the inputs of up_proj (96) and the others (128)."""
    rng = SplitMix64(2509_25607)

    def norms(width, loud):
        return [(8.0 if loud(j) else 1.0) * (0.5 + rng.uniform()) for j in range(width)]

    return [
        ("layers.0.attn.q_proj.weight", "F32", [128], norms(128, lambda j: j % 32 == 7)),
        ("layers.0.mlp.up_proj.weight", "F32", [96], norms(96, lambda j: j % 24 == 5)),
        ("layers.0.mlp.down_proj.weight", "F32", [128], norms(128, lambda j: False)),
    ]


def write(output, entries, source):
    header = {"__metadata__": {"format": "pt", "source": source}}
    data = b""
    for name, dtype, shape, values in entries:
        payload = encode(dtype, values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(output, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "default-model.safetensors")
    norms = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "default-activations.safetensors")
    write(output, tensors(), "EMPKit make-default-model.py, seed 250925606")
    write(norms, activations(), "EMPKit make-default-model.py, seed 250925607")


if __name__ == "__main__":
    main()
