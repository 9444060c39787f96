"""Writes tiny-model.safetensors: four small tensors with differently spread weights, the
model file of notebook 4. Deterministic (fixed seed); run with python3 and numpy:
    python3 make-tiny-model.py
"""
import json
import struct

import numpy as np

rng = np.random.default_rng(2509)
tensors = {
    # name: (array, safetensors dtype)
    "embed.weight": (rng.uniform(-1, 1, size=(16, 8)).astype(np.float32), "F32"),
    "layers.0.attn.q_proj.weight": (rng.normal(0, 0.2, size=(8, 8)).astype(np.float32), "F32"),
    "layers.0.mlp.up_proj.weight": (rng.laplace(0, 0.1, size=(16, 8)).astype(np.float16), "F16"),
    "layers.0.mlp.down_proj.weight": ((rng.standard_t(1.5, size=(8, 16)) * 0.05).astype(np.float32), "F32"),
}

header = {}
offset = 0
blobs = []
for name, (array, dtype) in tensors.items():
    data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
    blobs.append(data)
header["__metadata__"] = {"format": "pt", "source": "Notebooks-md/data/make-tiny-model.py"}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open("tiny-model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for blob in blobs:
        f.write(blob)
