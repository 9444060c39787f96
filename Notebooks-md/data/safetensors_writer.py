"""The safetensors writer the notebook data scripts share (numpy only)."""
import json
import struct

import numpy as np

DTYPES = {np.dtype(np.float16): "F16", np.dtype(np.float32): "F32"}


def write(path, arrays, source):
    """Writes `arrays` (name → little-endian-convertible float16/float32 array) to `path`,
    in order, with `source` in the metadata; the header is padded to 8 bytes."""
    header = {}
    offset = 0
    blobs = []
    for name, array in arrays.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"format": "pt", "source": source}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
