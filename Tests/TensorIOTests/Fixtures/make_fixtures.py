"""Writes .npy and safetensors fixtures with numpy and the standard library, or reads files back.

Usage: make_fixtures.py OUTPUT_DIRECTORY
       make_fixtures.py --load FILE...

The first form writes the fixtures and a manifest.json listing, for each tensor, its file, format
details and its values in C order as exact decimal strings (repr of the float64 value, or the integer).
The second prints, as JSON, {file: {tensor: [values]}} for .npy files (np.load, tensor name "")
and safetensors files (parsed with struct and json), so files written by TensorIO can be checked.
"""
import json
import struct
import sys

import numpy as np


def values_of(array):
    flat = np.ascontiguousarray(array).reshape(-1)
    if flat.dtype.kind == "f":
        return [repr(float(x)) for x in flat.astype(np.float64)]
    return [str(int(x)) for x in flat]


def sample(shape, dtype):
    count = int(np.prod(shape))
    base = (np.arange(count, dtype=np.float64) - 7.25) / 4.0
    if np.dtype(dtype).kind == "b":
        return (np.arange(count) % 3 == 0).reshape(shape)
    if np.dtype(dtype).kind in "iu":
        signed = np.dtype(dtype).kind == "i"
        return (np.arange(count) * 37 % 200 - (100 if signed else 0)).astype(dtype).reshape(shape)
    return base.astype(dtype).reshape(shape)


def main(out):
    manifest = []
    descrs = ["<f2", "<f4", "<f8", ">f2", ">f4", ">f8", "|u1", "|b1", "<i4", ">i8", "<u2"]
    for descr in descrs:
        for order in ["C", "F"]:
            for version in [(1, 0), (2, 0), (3, 0)]:
                array = np.asarray(sample((2, 3, 4), np.dtype(descr)), order=order)
                if order == "F":
                    array = np.asfortranarray(array)
                name = "a_%s_%s_v%d.npy" % (descr.replace("<", "le").replace(">", "be").replace("|", "na"), order, version[0])
                with open("%s/%s" % (out, name), "wb") as f:
                    np.lib.format.write_array(f, array, version=version)
                manifest.append({"file": name, "format": "npy", "descr": descr, "fortran": order == "F",
                                 "version": version[0], "shape": list(array.shape), "values": values_of(array)})
    np.save("%s/scalar.npy" % out, np.float32(2.5))
    manifest.append({"file": "scalar.npy", "format": "npy", "descr": "<f4", "fortran": False, "version": 1,
                     "shape": [], "values": ["2.5"]})
    np.save("%s/empty.npy" % out, np.zeros((0, 3), dtype="<f8"))
    manifest.append({"file": "empty.npy", "format": "npy", "descr": "<f8", "fortran": False, "version": 1,
                     "shape": [0, 3], "values": []})

    def safetensors(name, tensors, metadata):
        header, blobs, offset = {}, [], 0
        if metadata is not None:
            header["__metadata__"] = metadata
        for tensor_name, dtype, array, raw in tensors:
            header[tensor_name] = {"dtype": dtype, "shape": list(array.shape),
                                   "data_offsets": [offset, offset + len(raw)]}
            blobs.append(raw)
            offset += len(raw)
            manifest.append({"file": name, "format": "safetensors", "tensor": tensor_name, "dtype": dtype,
                             "shape": list(array.shape), "values": values_of(array)})
        text = json.dumps(header).encode()
        text += b" " * ((8 - len(text) % 8) % 8)
        with open("%s/%s" % (out, name), "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

    def plain(tensor_name, dtype, np_dtype, shape):
        array = sample(shape, np_dtype)
        return (tensor_name, dtype, array, array.astype(np.dtype(np_dtype).newbyteorder("<")).tobytes())

    f32 = sample((3, 5), np.float32)
    bf16_raw = (f32.view(np.uint32) >> 16).astype("<u2").tobytes()
    bf16 = ("w.bf16", "BF16", f32, bf16_raw)  # values of the form k/4 are exact in bfloat16
    safetensors("model.safetensors", [
        plain("w.f32", "F32", np.float32, (2, 3)), plain("w.f16", "F16", np.float16, (4,)),
        plain("w.f64", "F64", np.float64, (2, 2, 2)), bf16, plain("mask", "U8", np.uint8, (5,)),
        plain("flags", "BOOL", np.bool_, (3,)), plain("steps", "I64", np.int64, (2,)),
        plain("scalar", "F32", np.float32, ()),
    ], {"format": "pt", "note": "fixture"})
    safetensors("model-00001-of-00002.safetensors", [plain("layer.0.w", "F32", np.float32, (4, 4))], None)
    safetensors("model-00002-of-00002.safetensors", [plain("layer.1.w", "F16", np.float16, (2, 8)),
                                                     plain("layer.1.b", "F32", np.float32, (8,))], {"format": "pt"})
    with open("%s/model.safetensors.index.json" % out, "w") as f:
        json.dump({"metadata": {"total_size": 160}, "weight_map": {
            "layer.0.w": "model-00001-of-00002.safetensors",
            "layer.1.w": "model-00002-of-00002.safetensors",
            "layer.1.b": "model-00002-of-00002.safetensors"}}, f, indent=2)

    with open("%s/manifest.json" % out, "w") as f:
        json.dump(manifest, f)


def load(paths):
    names = {"F16": "<f2", "BF16": "<u2", "F32": "<f4", "F64": "<f8", "U8": "u1", "BOOL": "?"}
    result = {}
    for path in paths:
        if path.endswith(".npy"):
            result[path] = {"": values_of(np.load(path, allow_pickle=False))}
            continue
        with open(path, "rb") as f:
            raw = f.read()
        (length,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + length])
        tensors = {}
        for name, info in header.items():
            if name == "__metadata__":
                tensors[name] = info
                continue
            begin, end = info["data_offsets"]
            array = np.frombuffer(raw[8 + length + begin:8 + length + end], dtype=names[info["dtype"]])
            if info["dtype"] == "BF16":
                array = (array.astype(np.uint32) << 16).view(np.float32)
            tensors[name] = values_of(array.reshape(info["shape"]))
        result[path] = tensors
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "--load":
        load(sys.argv[2:])
    else:
        main(sys.argv[1])
