"""Writes tiny-activations.safetensors: Wanda input-feature norms for the four weights of
tiny-model.safetensors, the activation file of notebook 6. For a weight [out, in] it holds a
float32 tensor of the same name and shape [in], the norm ‖X_j‖₂ of input feature j over a
calibration set; here the norms are synthetic: positive, deterministic (fixed seed), with one
loud feature per weight, as real activations tend to have. Run with python3 and numpy:
    python3 make-tiny-activations.py
"""
import numpy as np

from safetensors_writer import write

rng = np.random.default_rng(1306)
inputs = {
    "embed.weight": 8,
    "layers.0.attn.q_proj.weight": 8,
    "layers.0.mlp.up_proj.weight": 8,
    "layers.0.mlp.down_proj.weight": 16,
}

arrays = {}
for name, width in inputs.items():
    norms = rng.lognormal(0.0, 0.5, size=width).astype(np.float32)
    norms[rng.integers(width)] *= 8  # one outlier feature
    arrays[name] = norms
write("tiny-activations.safetensors", arrays, source="Notebooks-md/data/make-tiny-activations.py")
