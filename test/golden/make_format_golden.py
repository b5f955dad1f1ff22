#!/usr/bin/python3
"""Generate test/golden/format.json: PyTorch's repr(tensor) for a varied set of tensors.

Run from the repo root with the system Python that has torch (PyTorch 1.13):

    /usr/bin/python3 test/golden/make_format_golden.py

Each case records what src/engine/format.ts needs to rebuild a TensorSnapshot
(shape, dtype, flat row-major values, requires_grad, grad_fn name) plus the print
options in force and the exact repr. Values are JSON numbers, except the floats
JSON cannot carry exactly, which are strings: "nan", "inf", "-inf", "-0".
Values are taken as PyTorch prints them: float16/bfloat16 are widened to float32
(exactly), and every float reaches JSON as the Python double of that value.
"""
import json
import math
import os

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float32)

DTYPE_NAMES = {
    torch.uint8: 'uint8', torch.int8: 'int8', torch.int16: 'int16', torch.int32: 'int32',
    torch.int64: 'int64', torch.float16: 'float16', torch.float32: 'float32',
    torch.float64: 'float64', torch.bool: 'bool', torch.bfloat16: 'bfloat16',
}

# Python-side option names -> owlet's PrintOptions names.
OPT_NAMES = {'precision': 'precision', 'threshold': 'threshold', 'edgeitems': 'edgeitems',
             'linewidth': 'linewidth', 'sci_mode': 'sciMode', 'profile': 'profile'}


def enc(v):
    if isinstance(v, bool) or isinstance(v, int):
        return v
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if v == 0 and math.copysign(1.0, v) < 0:
        return '-0'
    return v  # json writes repr(v): the shortest string that reads back as the same double


def snapshot(name, t, opts=None):
    opts = opts or {}
    torch.set_printoptions(profile='default')
    torch.set_printoptions(**opts)
    try:
        text = repr(t)
    finally:
        torch.set_printoptions(profile='default')
    flat = t.detach().reshape(-1)
    if flat.dtype in (torch.float16, torch.bfloat16):
        flat = flat.float()
    return {
        'name': name,
        'shape': list(t.shape),
        'dtype': DTYPE_NAMES[t.dtype],
        'values': [enc(v) for v in flat.tolist()],
        'requiresGrad': t.requires_grad,
        'gradFn': type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        'options': {OPT_NAMES[k]: v for k, v in opts.items()},
        'repr': text,
    }


nan, inf = float('nan'), float('inf')
T = torch.tensor
cases = []


def add(name, t, **opts):
    cases.append(snapshot(name, t, opts))


# --- scalars (0-dim) ---
add('scalar float', T(3.5))
add('scalar int', T(7))
add('scalar negative int-valued float', T(-2.0))
add('scalar bool', T(True))
add('scalar float64', T(0.1, dtype=torch.float64))
add('scalar tiny (sci)', T(1.2345e-7))
add('scalar nan', T(nan))
add('scalar -inf float64', T(-inf, dtype=torch.float64))
add('scalar zero', T(0.0))
add('scalar -0', T(-0.0))
add('scalar float16', T(0.1, dtype=torch.float16))
add('scalar uint8', T(200, dtype=torch.uint8))

# --- 1-d ---
add('int-valued floats', T([1., 2.]))
add('floats 4 digits', T([0.1, 0.25, -1.5, 3.14159]))
add('float64 vector', T([1.0, 2.5, -3.25], dtype=torch.float64))
add('int64 vector', T([1, -20, 300]))
add('int32 vector', T([5, 6, 7], dtype=torch.int32))
add('uint8 vector', T([0, 128, 255], dtype=torch.uint8))
add('int8 vector', T([-128, 0, 127], dtype=torch.int8))
add('int16 vector', T([-1000, 2, 30000], dtype=torch.int16))
add('bool vector', T([True, False, True]))
add('big int64', T([2 ** 40, -(2 ** 50), 2 ** 62]))
add('sci: big ratio', T([1e-3, 1.0, 10.0, 2.0]))
add('sci: max > 1e8', T([1.5e9, 2.0]))
add('sci: min < 1e-4', T([5e-5, 0.5]))
add('sci: int-valued big ratio', T([1., 10000.]))
add('sci: int-valued > 1e8', T([3e8, 1.], dtype=torch.float64))
add('not sci: ratio exactly 1000', T([0.001, 1.0], dtype=torch.float64))
add('mixed sign', T([-1.0, 0.5, 2.25, -0.125]))
add('nan/inf mixed', T([nan, inf, -inf, 1.5, 0.0]))
add('nan/inf int-valued', T([nan, inf, -inf, 2.0]))
add('only nan/inf/zero', T([nan, 0.0, inf]))
add('only zeros', torch.zeros(4))
add('negative zero', T([-0.0, 0.0, 1.0]))
add('negative zero fraction', T([-0.0, 0.5]))
add('round half even ties', T([0.03125, 0.09375, 1.00005, 2.5], dtype=torch.float64))
add('rounds to zero', T([-0.00001, 0.5, 0.00004], dtype=torch.float64))
add('float16 vector', T([0.1, -2.5, 1000.0, 0.333], dtype=torch.float16))
add('bfloat16 vector', T([0.1, -2.5, 1000.0, 0.333], dtype=torch.bfloat16))
add('float16 int-valued', T([1., 2., 65504.], dtype=torch.float16))
add('float32 not exact', T([0.1, 0.2, 0.3]))
add('wide row wraps', torch.arange(30, dtype=torch.float32) / 7)
add('wide int row wraps', torch.arange(100) * 1234567)
add('wide sci row wraps', torch.linspace(1e-6, 1.0, 20, dtype=torch.float64))
add('summarised 2000', torch.arange(2000, dtype=torch.float32) / 3)
add('summarised int 1001', torch.arange(1001))
add('summary formatter ignores middle', torch.cat([T([1.5, 2.5, 3.5]), torch.full((1000,), 1e10), T([4.5, 5.5, 6.5])]))

# --- 2-d ---
add('2d floats', T([[1.0, 2.5], [-3.0, 4.125]]))
add('2d ints', T([[1, 2, 3], [4, 5, 6]]))
add('2d bool', T([[True, False], [False, True]]))
add('2d randn', torch.randn(4, 5))
add('2d float64 randn', torch.randn(3, 4, dtype=torch.float64))
add('2d wide rows', torch.randn(3, 25))
add('2d summarised 50x50', torch.arange(2500, dtype=torch.float32).reshape(50, 50) / 10)
add('2d summarised ints 40x40', torch.arange(1600).reshape(40, 40))
add('2d summarised 2000x1', torch.arange(2000.).reshape(2000, 1))
add('2d sci', T([[1e-8, 1.0], [3.0, 4e5]]))
add('2d int32', T([[1, -2], [300, 4]], dtype=torch.int32))
add('2d bfloat16', torch.randn(2, 3).to(torch.bfloat16))

# --- 3-d / 4-d ---
add('3d floats', torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) - 5.5)
add('3d ints', torch.arange(12).reshape(2, 2, 3))
add('3d summarised 10x10x20', torch.randn(10, 10, 20))
add('3d float16', torch.randn(2, 2, 2).half())
add('4d', torch.randn(2, 2, 2, 3))
add('4d ints', torch.arange(16).reshape(2, 2, 2, 2))
add('4d summarised', torch.arange(4096, dtype=torch.float64).reshape(8, 8, 8, 8))
add('3d wide wraps', torch.randn(2, 2, 15))

# --- empty ---
add('empty 1d', T([]))
add('empty 2d', torch.zeros(0, 3))
add('empty int64', torch.zeros(0, dtype=torch.int64))
add('empty 3d float64', torch.zeros(2, 0, 4, dtype=torch.float64))
add('empty bool', torch.zeros(0, 2, dtype=torch.bool))
add('empty requires_grad', torch.zeros(0, 3, requires_grad=True))

# --- autograd suffixes ---
add('requires_grad leaf', T([1.0, 2.0, 3.0], requires_grad=True))
add('requires_grad float64 leaf', T([0.5, 1.5], dtype=torch.float64, requires_grad=True))
x = torch.randn(3, 4, requires_grad=True)
add('MeanBackward0', x.mean())
add('MulBackward0', x * 2)
add('AddBackward0', x + 1)
add('SumBackward0 float64', (x.double() ** 2).sum())
add('grad_fn wraps to new line', torch.linspace(-1, 1, 9, requires_grad=True) * 1.5)
add('dtype and grad_fn wrap', (torch.randn(8, dtype=torch.float64, requires_grad=True) * 3))

# --- print options ---
add('precision 2', T([1.12345, -2.5, 3.14159]), precision=2)
add('precision 2 sci', T([1e-6, 1.12345]), precision=2)
add('precision 0', T([1.5, 2.5, 3.7], dtype=torch.float64), precision=0)
add('precision 0 sci', T([1e-6, 1.5]), precision=0)
add('sci_mode True', T([1.0, 2.5, 3.0]), sci_mode=True)
add('sci_mode True int-valued', T([1.0, 20.0]), sci_mode=True)
add('sci_mode False', T([1e-6, 1.0, 1e9]), sci_mode=False)
add('sci_mode False int-valued huge', T([1e30, 1.0], dtype=torch.float64), sci_mode=False)
add('sci_mode ignored: no finite nonzero', T([0.0, nan]), sci_mode=True)
add('threshold 5 edgeitems 2', torch.arange(10), threshold=5, edgeitems=2)
add('linewidth 40', torch.arange(20, dtype=torch.float32) / 3, linewidth=40)
add('profile short', torch.randn(5, 5) , profile='short', threshold=10)
add('profile full', torch.arange(1200), profile='full')

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'format.json')
with open(out, 'w') as f:
    # One case per line keeps the file small and its diffs readable.
    f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
    f.write(',\n'.join(json.dumps(c, allow_nan=False, separators=(',', ':')) for c in cases))
    f.write('\n]}\n')
print(f'wrote {len(cases)} cases to {out}')
