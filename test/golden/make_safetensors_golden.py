#!/usr/bin/env python3
"""Writes the safetensors goldens for test/safetensors.test.ts.

Run with Debian's Python (torch 1.13, numpy):  /usr/bin/python3 test/golden/make_safetensors_golden.py

The `safetensors` package is not needed: the format is encoded here by hand, as the reference
(Rust) implementation writes it: an 8-byte little-endian header length, a compact JSON header
(`__metadata__` first, then the tensors in data order) padded with spaces to a multiple of 8, then
the data, ordered by dtype alignment (largest first) and then by name.

Each file's `__metadata__` holds `expected`: JSON giving every tensor's dtype, shape and values, as
PyTorch sees them (floats as Python floats, with "nan", "inf", "-inf", "-0" as strings; int64 as
strings so that no precision is lost).

  dtypes.safetensors      every dtype, scalars, empty tensors, special values, a non-ASCII name;
                          owlet must read it and write it back byte for byte.
  misaligned.safetensors  written as other writers may: tensors in no particular order, data at
                          offsets that are not multiples of the element size, header unpadded and
                          with spaces, no __metadata__ (expected values are in a second file,
                          misaligned.expected.safetensors, which holds only metadata).
"""
import json
import math
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

ST = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}
# The Rust crate's Dtype enum order (increasing alignment).
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "F16": 7, "BF16": 8, "I32": 9, "F32": 11, "F64": 12, "I64": 13}


def raw(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def encode_value(v, st):
    if st == "BOOL":
        return bool(v)
    if st in ("I64",):
        return str(int(v))
    if st.startswith("I") or st == "U8":
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1, v) < 0:
        return "-0"
    return v


def expected(tensors):
    out = {}
    for name, t in tensors.items():
        st = ST[t.dtype]
        flat = t.reshape(-1)
        values = flat.tolist() if st not in ("F16", "BF16") else flat.double().tolist()
        out[name] = {"dtype": st, "shape": list(t.shape), "values": [encode_value(v, st) for v in values]}
    return json.dumps(out, separators=(",", ":"), sort_keys=True)


def header_entry(name, st, shape, begin, end):
    return json.dumps(name, ensure_ascii=False) + ":" + json.dumps(
        {"dtype": st, "shape": shape, "data_offsets": [begin, end]}, separators=(",", ":"))


def reference_bytes(tensors, metadata):
    """The bytes the Rust implementation writes."""
    items = sorted(tensors.items(), key=lambda kv: (-RANK[ST[kv[1].dtype]], kv[0].encode("utf-8")))
    fields = []
    if metadata is not None:
        keys = sorted(metadata, key=lambda k: k.encode("utf-8"))
        fields.append('"__metadata__":{' + ",".join(
            json.dumps(k, ensure_ascii=False) + ":" + json.dumps(metadata[k], ensure_ascii=False) for k in keys) + "}")
    data = b""
    for name, t in items:
        b = raw(t)
        fields.append(header_entry(name, ST[t.dtype], list(t.shape), len(data), len(data) + len(b)))
        data += b
    header = ("{" + ",".join(fields) + "}").encode("utf-8")
    header += b" " * ((8 - len(header) % 8) % 8)
    return struct.pack("<Q", len(header)) + header + data


def main():
    g = torch.Generator().manual_seed(0)
    nan, inf = float("nan"), float("inf")
    tensors = {
        "double.matrix": torch.tensor([[1 / 3, -0.0, 1e-300], [nan, inf, -inf]], dtype=torch.float64),
        "float.cube": torch.randn(2, 2, 2, generator=g, dtype=torch.float32),
        "float.special": torch.tensor([1.5e-45, 3.4028234663852886e38, -0.0, nan, -inf], dtype=torch.float32),
        "float.scalar": torch.tensor(3.5, dtype=torch.float32),
        "float.empty": torch.zeros(0, 3, dtype=torch.float32),
        "half.vec": torch.tensor([0.1, -2.5, 65504, 6e-8, nan, inf, -0.0], dtype=torch.float16),
        "bfloat.vec": torch.tensor([0.1, 1e30, -3.140625, nan, -inf], dtype=torch.bfloat16),
        "long.vec": torch.tensor([2**63 - 1, -2**63, 0, -5], dtype=torch.int64),
        "long.empty": torch.zeros(0, dtype=torch.int64),
        "int.matrix": torch.tensor([[2**31 - 1, -2**31], [7, -7]], dtype=torch.int32),
        "short.vec": torch.tensor([32767, -32768, 1], dtype=torch.int16),
        "char.vec": torch.tensor([127, -128, 0], dtype=torch.int8),
        "byte.vec": torch.tensor([0, 1, 255, 128], dtype=torch.uint8),
        "mask": torch.tensor([True, False, True, True, False]),
        "ünïcode.bias": torch.tensor([[-1.25, 2.0]], dtype=torch.float32),
    }
    metadata = {"format": "pt", "expected": expected(tensors), "note": 'quotes " and \\ and\nnewlines'}
    with open(os.path.join(HERE, "dtypes.safetensors"), "wb") as f:
        f.write(reference_bytes(tensors, metadata))

    # Another writer's layout: odd order, unaligned data, spaced and unpadded header.
    mis = {
        "z.bytes": torch.tensor([9, 8, 7], dtype=torch.uint8),
        "a.float": torch.tensor([0.5, -1.75], dtype=torch.float32),
        "m.double": torch.tensor([math.pi], dtype=torch.float64),
        "b.bf16": torch.tensor([1.0, -0.5, 300.0], dtype=torch.bfloat16),
        "k.long": torch.tensor([[1, -2], [3, -4]], dtype=torch.int64),
    }
    order = ["z.bytes", "a.float", "m.double", "b.bf16", "k.long"]  # data order: offsets 0, 3, 11, 19, 25
    data = b""
    spans = {}
    for name in order:
        b = raw(mis[name])
        spans[name] = (len(data), len(data) + len(b))
        data += b
    listed = ["k.long", "a.float", "z.bytes", "b.bf16", "m.double"]  # header order differs from data order
    header = json.dumps({n: {"dtype": ST[mis[n].dtype], "shape": list(mis[n].shape), "data_offsets": list(spans[n])} for n in listed})
    header = header.encode("utf-8")
    with open(os.path.join(HERE, "misaligned.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)
    with open(os.path.join(HERE, "misaligned.expected.safetensors"), "wb") as f:
        f.write(reference_bytes({}, {"expected": expected(mis)}))


if __name__ == "__main__":
    main()
