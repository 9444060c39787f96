"""Writes tiny-model.safetensors: four small tensors with differently spread weights, the
model file of notebook 4. Deterministic (fixed seed); run with python3 and numpy:
    python3 make-tiny-model.py
"""
import numpy as np

from safetensors_writer import write

rng = np.random.default_rng(2509)
arrays = {
    "embed.weight": rng.uniform(-1, 1, size=(16, 8)).astype(np.float32),
    "layers.0.attn.q_proj.weight": rng.normal(0, 0.2, size=(8, 8)).astype(np.float32),
    "layers.0.mlp.up_proj.weight": rng.laplace(0, 0.1, size=(16, 8)).astype(np.float16),
    "layers.0.mlp.down_proj.weight": (rng.standard_t(1.5, size=(8, 16)) * 0.05).astype(np.float32),
}
write("tiny-model.safetensors", arrays, source="Notebooks-md/data/make-tiny-model.py")
