#!/usr/bin/python3
"""Generate test/golden/ops.json: PyTorch 1.13's results for a varied set of tensor operations.

Run from the repo root with the system Python that has torch (PyTorch 1.13):

    /usr/bin/python3 test/golden/make_ops_golden.py

Every case is described twice: once declaratively, as the owlet program that
test/ops-golden.test.ts replays with a small interpreter, and once as a Python
function that computes the same thing with torch. Only the declarative program and
torch's results go into the JSON.

JSON layout (one object per case in "cases"):

  name      unique, used as the test's name
  inputs    {name: {dtype, shape, values, requiresGrad}}: tensors the program starts with
  program   a list of steps {out, call, name, self?, args}:
              call 'method': out = env[self].name(...args)
              call 'fn':     out = owlet.name(...args)          (tensor, cat, where, manualSeed, ...)
              call 'op':     out = owlet.ops.name(...args)      (generated aten wrappers)
              call 'get':    out = env[self].name               (a property such as T)
            arguments: JSON numbers/booleans/null/strings as they are, arrays element-wise, and
              {"t": name}            a tensor (or list) of the environment
              {"t": name, "i": k}    element k of a returned list or [values, indices] pair
              {"len": name}          the length of a returned list
              {"num": "nan"|"inf"|"-inf"|"-0"}  a number JSON cannot carry
              {"obj": {...}}         an options object (its values decoded the same way)
  outputs   references ({"t"...} / {"len"...}) to what is checked, in order
  expected  one per output: {kind:'tensor', dtype, shape, values, requiresGrad, gradFn?}
            (gradFn: the autograd node's name; left out where owlet's program is a composition
            that cannot end in the same node as torch's function)
            or {kind:'number', value, dtype} (item(), list lengths) or {kind:'bool', value}
            or {kind:'json', value} (toArray(), stride(), shape: compared exactly)
  weight    null, or the tensor w: the test backpropagates (outputs[gradOf] * w).sum()
  gradOf    which output the weight applies to
  grads     {input name: expected gradient tensor, or null where torch leaves it None}
  tol       optional {rtol, atol} for float comparisons in this case
  error     present where torch raises: the first line of its message; owlet must throw

Values are flat, row-major. Floats are the exact Python doubles of the stored values
(float16/bfloat16 widened to float32 first, exactly); nan, inf, -inf and -0 are the
strings "nan", "inf", "-inf", "-0".
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)

DT = {
    torch.uint8: 'uint8', torch.int8: 'int8', torch.int16: 'int16', torch.int32: 'int32',
    torch.int64: 'int64', torch.float16: 'float16', torch.float32: 'float32',
    torch.float64: 'float64', torch.bool: 'bool', torch.bfloat16: 'bfloat16',
}
f16, bf16, f32, f64 = torch.float16, torch.bfloat16, torch.float32, torch.float64
i64, i32, i16, i8, u8, b = torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool

# All input data comes from this generator, so rerunning the script gives the same file.
G = torch.Generator().manual_seed(20240613)


def enc(v):
    if isinstance(v, bool) or isinstance(v, int):
        return v
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if v == 0 and math.copysign(1.0, v) < 0:
        return '-0'
    return v


def tensor_json(t):
    t = t.detach()
    flat = t.reshape(-1)
    if flat.dtype in (f16, bf16):
        flat = flat.float()
    return {'dtype': DT[t.dtype], 'shape': list(t.shape), 'values': [enc(v) for v in flat.tolist()]}


# ------------------------------------------------------------------------------------------
# Input makers


def randf(*shape, dtype=f32):
    return torch.randn(shape, generator=G).to(dtype)


def pos(*shape, dtype=f32, lo=0.1, hi=2.0):
    return (torch.rand(shape, generator=G) * (hi - lo) + lo).to(dtype)


def ints(lo, hi, *shape, dtype=i64):
    return torch.randint(lo, hi, shape, generator=G, dtype=i64).to(dtype)


def bools(*shape):
    return torch.rand(shape, generator=G) < 0.5


def lit(values, dtype=None):
    return torch.tensor(values, dtype=dtype)


class In:
    """An input tensor, and whether it requires grad."""

    def __init__(self, t, grad=False):
        self.t = t
        self.grad = grad


# ------------------------------------------------------------------------------------------
# Program steps and argument encoders


def R(name, i=None):
    return {'t': name} if i is None else {'t': name, 'i': i}


def L(name):
    return {'len': name}


def O(**kw):
    return {'obj': {k: arg(v) for k, v in kw.items()}}


def N(x):
    return {'num': enc(x)}


def arg(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v) or (v == 0 and math.copysign(1.0, v) < 0)):
        return N(v)
    if isinstance(v, (list, tuple)):
        return [arg(x) for x in v]
    return v


def M(out, self, name, *args):
    return {'out': out, 'call': 'method', 'self': self, 'name': name, 'args': [arg(a) for a in args]}


def Fn(out, name, *args):
    return {'out': out, 'call': 'fn', 'name': name, 'args': [arg(a) for a in args]}


def Op(out, name, *args):
    return {'out': out, 'call': 'op', 'name': name, 'args': [arg(a) for a in args]}


def Get(out, self, name):
    return {'out': out, 'call': 'get', 'self': self, 'name': name, 'args': []}


# ------------------------------------------------------------------------------------------
# Cases

cases = []
names = set()


def expect_of(v, check_grad_fn=True):
    if isinstance(v, torch.Tensor):
        j = tensor_json(v)
        j['kind'] = 'tensor'
        j['requiresGrad'] = v.requires_grad
        if check_grad_fn:
            j['gradFn'] = type(v.grad_fn).__name__ if v.grad_fn is not None else None
        return j
    if isinstance(v, _Json):
        return {'kind': 'json', 'value': v.value}
    if isinstance(v, bool):
        return {'kind': 'bool', 'value': v}
    if isinstance(v, int):
        return {'kind': 'number', 'value': v, 'dtype': 'int64'}
    if isinstance(v, float):
        return {'kind': 'number', 'value': enc(v), 'dtype': 'float64'}
    raise TypeError(f'cannot record {type(v)}')


def case(name, inputs, program, fn, outputs=None, grad=True, grad_of=0, tol=None, number_dtype=None, error=False,
         check_grad_fn=True, error_type=RuntimeError):
    """Runs fn(**inputs) in torch and records the case.

    fn returns one value or a tuple of values, in the order of `outputs` (default: the last
    step's result). When some input requires grad and outputs[grad_of] is a float tensor that
    requires grad, (out * w).sum() is backpropagated and the inputs' gradients are recorded.
    """
    assert name not in names, name
    names.add(name)
    inputs = {k: (v if isinstance(v, In) else In(v)) for k, v in inputs.items()}
    live = {}
    for k, v in inputs.items():
        t = v.t.clone()
        if v.grad:
            t.requires_grad_(True)
        live[k] = t
    if error:
        # torch refuses this: owlet must throw too, with libtorch's message.
        try:
            fn(**live)
        except error_type as e:
            message = str(e).splitlines()[0]
        else:
            raise AssertionError(f'{name}: expected an error')
        cases.append({
            'name': name,
            'inputs': {k: {**tensor_json(v.t), 'requiresGrad': v.grad} for k, v in inputs.items()},
            'program': program, 'outputs': [], 'expected': [], 'error': message,
            'weight': None, 'gradOf': 0, 'grads': {},
        })
        return
    result = fn(**live)
    results = list(result) if isinstance(result, tuple) else [result]
    if outputs is None:
        outputs = [R(program[-1]['out'])]
    assert len(outputs) == len(results), (name, len(outputs), len(results))
    expected = [expect_of(r, check_grad_fn) for r in results]
    if number_dtype:
        for e in expected:
            if e['kind'] == 'number':
                e['dtype'] = number_dtype
    weight, grads = None, {}
    target = results[grad_of] if results else None
    if grad and any(v.grad for v in inputs.values()) and isinstance(target, torch.Tensor) and target.requires_grad:
        w = torch.randn(target.shape, generator=G).to(target.dtype)
        (target * w).sum().backward()
        weight = tensor_json(w)
        for k, v in inputs.items():
            if v.grad:
                g = live[k].grad
                grads[k] = None if g is None else tensor_json(g)
    c = {
        'name': name,
        'inputs': {k: {**tensor_json(v.t), 'requiresGrad': v.grad} for k, v in inputs.items()},
        'program': program,
        'outputs': outputs,
        'expected': expected,
        'weight': weight,
        'gradOf': grad_of,
        'grads': grads,
    }
    if tol:
        c['tol'] = tol
    cases.append(c)


def unary(name, method, fn, x, *args, **kw):
    case(name, {'x': x}, [M('y', 'x', method, *args)], fn, **kw)


nan, inf = float('nan'), float('inf')


def _setitem(t, key, value):
    t[key] = value
    return t


def _view_add(x):
    y = x.clone()
    y.narrow(1, 1, 2).add_(10)
    return y * 1


def _backward_twice(x, retain):
    s = (x * x).sum()
    s.backward(retain_graph=retain)
    s.backward()
    return x.grad


def _backward_with(x, g):
    x.exp().backward(g)
    return x.grad


def _write_through(x, i):
    y = x.clone()
    y[i].add_(1)
    return y


class _Json:
    """A plain JSON value (lists, numbers, booleans) that owlet must return as is."""

    def __init__(self, value):
        self.value = value


def _reseed_equal():
    torch.manual_seed(42)
    a = torch.randn(3)
    torch.manual_seed(42)
    return torch.equal(a, torch.randn(3))

# --- unary math, float32 with gradients ---------------------------------------------------
unary('exp f32', 'exp', lambda x: x.exp(), In(randf(3, 4), True))
unary('log f32', 'log', lambda x: x.log(), In(pos(3, 4), True))
unary('sqrt f32', 'sqrt', lambda x: x.sqrt(), In(pos(5), True))
unary('rsqrt f32', 'rsqrt', lambda x: x.rsqrt(), In(pos(5), True))
unary('abs f32', 'abs', lambda x: x.abs(), In(randf(2, 3), True))
unary('neg f32', 'neg', lambda x: x.neg(), In(randf(2, 3), True))
unary('square f32', 'square', lambda x: x.square(), In(randf(4), True))
unary('reciprocal f32', 'reciprocal', lambda x: x.reciprocal(), In(pos(4), True))
unary('sin f32', 'sin', lambda x: x.sin(), In(randf(6), True))
unary('cos f32', 'cos', lambda x: x.cos(), In(randf(6), True))
unary('log1p f32', 'log1p', lambda x: x.log1p(), In(pos(6), True))
unary('expm1 f32', 'expm1', lambda x: x.expm1(), In(randf(6), True))
unary('sigmoid f32', 'sigmoid', lambda x: x.sigmoid(), In(randf(3, 4) * 3, True))
unary('tanh f32', 'tanh', lambda x: x.tanh(), In(randf(3, 4) * 2, True))
unary('relu f32', 'relu', lambda x: x.relu(), In(randf(3, 4), True))
unary('gelu f32', 'gelu', lambda x: F.gelu(x), In(randf(3, 4) * 2, True))
unary('gelu tanh f32', 'gelu', lambda x: F.gelu(x, approximate='tanh'), In(randf(3, 4) * 2, True), 'tanh')
unary('silu f32', 'silu', lambda x: F.silu(x), In(randf(3, 4) * 2, True))
unary('floor/ceil: floor f32', 'floor', lambda x: x.floor(), In(randf(6) * 3, True))
unary('floor/ceil: ceil f32', 'ceil', lambda x: x.ceil(), randf(6) * 3)
unary('round half to even f32', 'round', lambda x: x.round(), lit([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997]))
unary('round decimals f64', 'round', lambda x: x.round(decimals=2), lit([1.2345, -0.125, 2.675], f64), 2)
unary('trunc f32', 'trunc', lambda x: x.trunc(), lit([-1.7, -0.2, 0.2, 1.7]))
unary('sign f32', 'sign', lambda x: x.sign(), lit([-3.0, -0.0, 0.0, 2.0, nan]))

# float64
unary('exp f64', 'exp', lambda x: x.exp(), In(randf(3, 4, dtype=f64), True))
unary('log f64', 'log', lambda x: x.log(), In(pos(3, 4, dtype=f64), True))
unary('tanh f64', 'tanh', lambda x: x.tanh(), In(randf(5, dtype=f64), True))
unary('sigmoid f64', 'sigmoid', lambda x: x.sigmoid(), In(randf(5, dtype=f64) * 4, True))
unary('gelu f64', 'gelu', lambda x: F.gelu(x), In(randf(5, dtype=f64), True))
unary('silu f64', 'silu', lambda x: F.silu(x), In(randf(5, dtype=f64), True))

# special values
unary('log special values', 'log', lambda x: x.log(), lit([0.0, -0.0, -1.0, inf, nan, 1.0]))
unary('exp special values', 'exp', lambda x: x.exp(), lit([-inf, inf, nan, 0.0, 100.0]))
unary('sqrt special values', 'sqrt', lambda x: x.sqrt(), lit([-0.0, 0.0, -1.0, inf, 4.0]))
unary('neg gives -0', 'neg', lambda x: x.neg(), lit([0.0, -0.0, 1.5]))
unary('relu special values', 'relu', lambda x: x.relu(), lit([-inf, -0.0, nan, 3.0]))
unary('sigmoid extremes', 'sigmoid', lambda x: x.sigmoid(), lit([-100.0, -inf, inf, 100.0, 0.0]))

# integers and low precision
unary('abs int32', 'abs', lambda x: x.abs(), ints(-9, 9, 7, dtype=i32))
unary('neg int64', 'neg', lambda x: x.neg(), ints(-100, 100, 2, 3))
unary('relu int64', 'relu', lambda x: x.relu(), ints(-5, 5, 8))
unary('square int64', 'square', lambda x: x.square(), ints(-5, 5, 6))
unary('exp of int64 -> float32', 'exp', lambda x: x.exp(), ints(-3, 3, 5))
unary('sqrt of bool -> float32', 'sqrt', lambda x: x.sqrt(), bools(5))
unary('sigmoid bf16', 'sigmoid', lambda x: x.sigmoid(), In(randf(6, dtype=bf16), True))
unary('tanh bf16', 'tanh', lambda x: x.tanh(), In(randf(6, dtype=bf16), True))
unary('exp bf16', 'exp', lambda x: x.exp(), randf(6, dtype=bf16))
unary('relu f16 not on CPU (error)', 'relu', lambda x: x.relu(), randf(6, dtype=f16), error=True)
unary('neg f16', 'neg', lambda x: x.neg(), randf(6, dtype=f16))
unary('abs f16', 'abs', lambda x: x.abs(), randf(6, dtype=f16))

# --- binary arithmetic -------------------------------------------------------------------
def binary(name, method, fn, a, b, *extra, **kw):
    case(name, {'a': a, 'b': b}, [M('y', 'a', method, R('b'), *extra)], fn, **kw)


binary('add f32 [3,1]+[4]', 'add', lambda a, b: a + b, In(randf(3, 1), True), In(randf(4), True))
binary('sub f32 [2,3,4]-[3,1]', 'sub', lambda a, b: a - b, In(randf(2, 3, 4), True), In(randf(3, 1), True))
binary('mul f32 [2,3,4]*[3,1]', 'mul', lambda a, b: a * b, In(randf(2, 3, 4), True), In(randf(3, 1), True))
binary('div f32 [4,1]/[1,3]', 'div', lambda a, b: a / b, In(randf(4, 1), True), In(pos(1, 3), True))
binary('add f64 [2,1,3]+[4,1]', 'add', lambda a, b: a + b, In(randf(2, 1, 3, dtype=f64), True), In(randf(4, 1, dtype=f64), True))
binary('mul f64 same shape', 'mul', lambda a, b: a * b, In(randf(3, 3, dtype=f64), True), In(randf(3, 3, dtype=f64), True))
binary('div f64 by 0-dim', 'div', lambda a, b: a / b, In(randf(2, 3, dtype=f64), True), In(pos(dtype=f64), True))
binary('add with alpha f32', 'add', lambda a, b: a.add(b, alpha=2.5), In(randf(2, 3), True), In(randf(3), True), 2.5)
binary('sub with alpha f32', 'sub', lambda a, b: a.sub(b, alpha=3), In(randf(2, 3), True), In(randf(2, 3), True), 3)
binary('pow tensor^tensor f32', 'pow', lambda a, b: a.pow(b), In(pos(2, 3), True), In(randf(3), True))
binary('maximum f32', 'maximum', lambda a, b: torch.maximum(a, b), In(randf(5), True), In(randf(5), True))
binary('minimum f32 broadcast', 'minimum', lambda a, b: torch.minimum(a, b), In(randf(2, 1), True), In(randf(3), True))
binary('max(other) elementwise f32', 'max', lambda a, b: torch.max(a, b), In(randf(4), True), In(randf(4), True))
binary('remainder f32 signs', 'remainder', lambda a, b: a.remainder(b), lit([5.5, -5.5, 5.5, -5.5]), lit([2.0, 2.0, -2.0, -2.0]))
binary('fmod f32 signs', 'fmod', lambda a, b: a.fmod(b), lit([5.5, -5.5, 5.5, -5.5]), lit([2.0, 2.0, -2.0, -2.0]))
binary('remainder int64 signs', 'remainder', lambda a, b: a.remainder(b), lit([7, -7, 7, -7]), lit([3, 3, -3, -3]))
binary('div int64 -> float32 true division', 'div', lambda a, b: a / b, lit([7, -7, 1, 0]), lit([2, 2, 3, 5]))
binary('div floor int64', 'div', lambda a, b: a.div(b, rounding_mode='floor'), lit([7, -7, 7, -7]), lit([2, 2, -2, -2]), 'floor')
binary('div trunc int64', 'div', lambda a, b: a.div(b, rounding_mode='trunc'), lit([7, -7, 7, -7]), lit([2, 2, -2, -2]), 'trunc')
binary('div floor f32', 'div', lambda a, b: a.div(b, rounding_mode='floor'), lit([7.5, -7.5, 1.0]), lit([2.0, 2.0, -0.5]), 'floor')
binary('div by zero f32', 'div', lambda a, b: a / b, lit([1.0, -1.0, 0.0, -0.0]), lit([0.0, 0.0, 0.0, 1.0]))
binary('add int64 + int64', 'add', lambda a, b: a + b, ints(-50, 50, 2, 3), ints(-50, 50, 3))
binary('mul int32 * int32', 'mul', lambda a, b: a * b, ints(-50, 50, 4, dtype=i32), ints(-50, 50, 4, dtype=i32))
binary('add uint8 wraps', 'add', lambda a, b: a + b, lit([200, 100, 255], u8), lit([100, 100, 1], u8))
binary('sub uint8 wraps', 'sub', lambda a, b: a - b, lit([1, 100, 0], u8), lit([2, 50, 255], u8))
binary('mul bf16', 'mul', lambda a, b: a * b, In(randf(4, dtype=bf16), True), In(randf(4, dtype=bf16), True))
binary('add f16', 'add', lambda a, b: a + b, In(randf(2, 3, dtype=f16), True), In(randf(3, dtype=f16), True))

# --- type promotion ------------------------------------------------------------------------
binary('promote f32 - f64 -> f64', 'sub', lambda a, b: a - b, In(randf(3), True), In(randf(3, dtype=f64), True))
binary('promote int64 + f32 -> f32', 'add', lambda a, b: a + b, ints(-5, 5, 2, 2), In(randf(2, 2), True))
binary('promote int32 + int64 -> int64', 'add', lambda a, b: a + b, ints(-5, 5, 3, dtype=i32), ints(-5, 5, 3))
binary('promote bool + int64 -> int64', 'add', lambda a, b: a + b, bools(4), ints(0, 5, 4))
binary('promote bool * bool -> bool', 'mul', lambda a, b: a * b, lit([True, True, False, False]), lit([True, False, True, False]))
binary('promote uint8 + int8 -> int16', 'add', lambda a, b: a + b, lit([250, 3], u8), lit([-100, 100], i8))
binary('promote f16 + f32 -> f32', 'add', lambda a, b: a + b, In(randf(3, dtype=f16), True), In(randf(3), True))
binary('promote bf16 * f16 -> f32', 'mul', lambda a, b: a * b, randf(3, dtype=bf16), randf(3, dtype=f16))
binary('promote int64 + 0-dim f64 -> f64', 'add', lambda a, b: a + b, ints(-5, 5, 3), lit(0.5, f64))
binary('promote f32 + 0-dim f64 -> f32', 'add', lambda a, b: a + b, In(randf(3), True), In(lit(0.25, f64), True))
binary('promote f16 * 0-dim int64 -> f16', 'mul', lambda a, b: a * b, randf(3, dtype=f16), lit(3))
binary('promote int32 + uint8 -> int32', 'add', lambda a, b: a + b, lit([-1, 2], i32), lit([255, 1], u8))


def scalar_op(name, method, fn, a, s, **kw):
    case(name, {'a': a}, [M('y', 'a', method, s)], fn, **kw)


scalar_op('promote int64 * python float -> f32', 'mul', lambda a: a * 1.5, ints(-5, 5, 4), 1.5)
scalar_op('promote int32 * python float -> f32', 'mul', lambda a: a * 0.25, ints(-5, 5, 4, dtype=i32), 0.25)
scalar_op('promote int32 + python int stays int32', 'add', lambda a: a + 7, ints(-5, 5, 4, dtype=i32), 7)
scalar_op('promote bool + python int -> int64', 'add', lambda a: a + 1, bools(5), 1)
scalar_op('promote uint8 * python int stays uint8', 'mul', lambda a: a * 3, lit([1, 100, 200], u8), 3)
scalar_op('promote f16 * python float stays f16', 'mul', lambda a: a * 0.1, randf(4, dtype=f16), 0.1)
scalar_op('add python float f32 grad', 'add', lambda a: a + 0.5, In(randf(3), True), 0.5)
scalar_op('mul python float f32 grad', 'mul', lambda a: a * 2.5, In(randf(3), True), 2.5)
scalar_op('sub python int f32 grad', 'sub', lambda a: a - 1, In(randf(3), True), 1)
scalar_op('div python float f64 grad', 'div', lambda a: a / 0.5, In(randf(3, dtype=f64), True), 0.5)
scalar_op('sub python float from int64 -> f32', 'sub', lambda a: a - 2.5, ints(0, 5, 3), 2.5)
scalar_op('div int64 by python int -> f32', 'div', lambda a: a / 4, ints(0, 10, 5), 4)
scalar_op('pow f32 ^ 2 grad', 'pow', lambda a: a.pow(2), In(randf(2, 3), True), 2)
scalar_op('pow f32 ^ 0.5 grad', 'pow', lambda a: a.pow(0.5), In(pos(4), True), 0.5)
scalar_op('pow int64 ^ 3', 'pow', lambda a: a.pow(3), ints(-4, 4, 5), 3)
scalar_op('pow int64 ^ 0.5 -> f32', 'pow', lambda a: a.pow(0.5), ints(0, 10, 5), 0.5)
scalar_op('rsub f32 (1 - a)', 'rsub', lambda a: 1 - a, In(randf(4), True), 1)

# --- errors: owlet must throw with libtorch's message ---------------------------------------
binary('add shape mismatch (error)', 'add', lambda a, b: a + b, randf(2, 3), randf(4), error=True)
binary('mm shape mismatch (error)', 'mm', lambda a, b: a.mm(b), randf(2, 3), randf(2, 3), error=True)
case('view of non-contiguous (error)', {'x': randf(2, 3)}, [M('u', 'x', 't'), M('y', 'u', 'view', -1)],
     lambda x: x.t().view(-1), error=True)
case('index out of range (error)', {'x': randf(3)}, [M('y', 'x', 'index', 5)], lambda x: x[5], error=True, error_type=IndexError)
case('cat dims mismatch (error)', {'a': randf(2, 3), 'b': randf(2, 4)}, [Fn('y', 'cat', [R('a'), R('b')])],
     lambda a, b: torch.cat([a, b]), error=True)

# --- comparisons ---------------------------------------------------------------------------
binary('eq f32 broadcast', 'eq', lambda a, b: a.eq(b), lit([[1.0], [2.0], [3.0]]), lit([1.0, 2.0, 4.0, nan]))
binary('ne with nan', 'ne', lambda a, b: a.ne(b), lit([nan, 1.0, 2.0]), lit([nan, 1.0, 3.0]))
binary('lt f32', 'lt', lambda a, b: a.lt(b), randf(2, 3), randf(2, 3))
binary('le int64 vs f32', 'le', lambda a, b: a.le(b), lit([1, 2, 3]), lit([1.5, 2.0, 2.5]))
binary('gt int32 [3,1] vs int64 [4]', 'gt', lambda a, b: a.gt(b), ints(0, 5, 3, 1, dtype=i32), ints(0, 5, 4))
binary('ge f64', 'ge', lambda a, b: a.ge(b), lit([1.0, 2.0, -inf], f64), lit([1.0, 3.0, -inf], f64))
scalar_op('gt scalar f32', 'gt', lambda a: a.gt(0.25), randf(6), 0.25)
scalar_op('eq scalar int64', 'eq', lambda a: a.eq(2), ints(0, 4, 8), 2)
scalar_op('lt scalar float vs int tensor', 'lt', lambda a: a.lt(2.5), ints(0, 5, 6), 2.5)
binary('logicalAnd bool', 'logicalAnd', lambda a, b: a.logical_and(b), bools(6), bools(6))
binary('logicalOr f32 and int', 'logicalOr', lambda a, b: a.logical_or(b), lit([0.0, 1.5, 0.0]), lit([0, 0, 2]))
unary('logicalNot int64', 'logicalNot', lambda x: x.logical_not(), lit([0, 1, -2]))
binary('equal() true', 'equal', lambda a, b: torch.equal(a, b), lit([1, 2, 3]), lit([1, 2, 3]))
binary('allclose() within tolerance', 'allclose', lambda a, b: torch.allclose(a, b), lit([1.0, 2.0]), lit([1.0, 2.000001]))

# --- reductions ----------------------------------------------------------------------------
def red(name, method, fn, x, *args, **kw):
    case(name, {'x': x}, [M('y', 'x', method, *args)], fn, **kw)


red('sum all f32', 'sum', lambda x: x.sum(), In(randf(3, 4), True))
red('sum dim1 f32', 'sum', lambda x: x.sum(1), In(randf(3, 4), True), 1)
red('sum dims [0,2] keepdim f32', 'sum', lambda x: x.sum([0, 2], keepdim=True), In(randf(2, 3, 4), True), [0, 2], True)
red('sum dim -1 f64', 'sum', lambda x: x.sum(-1), In(randf(2, 5, dtype=f64), True), -1)
red('sum int32 -> int64', 'sum', lambda x: x.sum(), ints(-10, 10, 3, 3, dtype=i32))
red('sum bool -> int64', 'sum', lambda x: x.sum(0), bools(4, 3), 0)
red('sum uint8 -> int64', 'sum', lambda x: x.sum(), lit([200, 200, 200], u8))
red('sum with dtype f64', 'sum', lambda x: x.sum(1, dtype=f64), In(randf(2, 3), True), 1, False, O(dtype='float64'))
red('sum empty', 'sum', lambda x: x.sum(), torch.zeros(0))
red('mean all f32', 'mean', lambda x: x.mean(), In(randf(4, 5), True))
red('mean dim keepdim f32', 'mean', lambda x: x.mean(1, keepdim=True), In(randf(3, 4), True), 1, True)
red('mean dims f64', 'mean', lambda x: x.mean([0, 1]), In(randf(2, 3, 2, dtype=f64), True), [0, 1])
red('mean bf16', 'mean', lambda x: x.mean(0), randf(4, 3, dtype=bf16), 0)
red('prod dim f32', 'prod', lambda x: x.prod(1), In(randf(3, 4), True), 1)
red('prod int64', 'prod', lambda x: x.prod(), ints(1, 5, 6))
case('max dim f32 -> values, indices', {'x': In(randf(3, 5), True)}, [M('y', 'x', 'max', 1)],
     lambda x: tuple(x.max(1)), outputs=[R('y', 0), R('y', 1)])
case('min dim keepdim f64', {'x': In(randf(4, 3, dtype=f64), True)}, [M('y', 'x', 'min', 0, True)],
     lambda x: tuple(x.min(0, keepdim=True)), outputs=[R('y', 0), R('y', 1)])
case('max dim int64', {'x': ints(-20, 20, 2, 6)}, [M('y', 'x', 'max', -1)],
     lambda x: tuple(x.max(-1)), outputs=[R('y', 0), R('y', 1)])
red('max all f32', 'max', lambda x: x.max(), In(randf(3, 4), True))
red('min all int32', 'min', lambda x: x.min(), ints(-50, 50, 7, dtype=i32))
red('max with nan propagates', 'max', lambda x: x.max(), lit([1.0, nan, 3.0]))
red('argmax all f32', 'argmax', lambda x: x.argmax(), randf(3, 4))
red('argmax dim keepdim f32', 'argmax', lambda x: x.argmax(1, keepdim=True), randf(3, 4), 1, True)
red('argmin dim int64', 'argmin', lambda x: x.argmin(0), ints(-50, 50, 4, 3), 0)
red('argmax first of ties', 'argmax', lambda x: x.argmax(), lit([1.0, 3.0, 3.0, 2.0]))
red('amax dims f32', 'amax', lambda x: x.amax([0, 2]), In(randf(2, 3, 4), True), [0, 2])
red('amin dim keepdim f32', 'amin', lambda x: x.amin(1, keepdim=True), In(randf(3, 4), True), 1, True)
red('std all f32 (correction 1)', 'std', lambda x: x.std(), In(randf(4, 5), True))
red('std dim correction 0 keepdim f32', 'std', lambda x: torch.std(x, 1, correction=0, keepdim=True),
    In(randf(3, 6), True), 1, O(correction=0, keepdim=True))
red('var dims correction 2 f64', 'var', lambda x: torch.var(x, [0, 1], correction=2),
    In(randf(3, 4, 2, dtype=f64), True), [0, 1], O(correction=2))
red('var all f64', 'var', lambda x: x.var(), In(randf(7, dtype=f64), True))
red('var dim -1 f32', 'var', lambda x: x.var(-1), In(randf(2, 5), True), -1)
red('std of one element is nan', 'std', lambda x: x.std(), lit([3.0]))
red('norm p2 all f32', 'norm', lambda x: x.norm(), In(randf(3, 4), True))
red('norm p1 dim f32', 'norm', lambda x: x.norm(1, 1), In(randf(3, 4), True), 1, 1)
red('norm p2 dims keepdim f64', 'norm', lambda x: x.norm(2, [0, 1], keepdim=True), In(randf(2, 3, 2, dtype=f64), True), 2, [0, 1], True)
red('cumsum dim1 f32', 'cumsum', lambda x: x.cumsum(1), In(randf(3, 4), True), 1)
red('cumsum int32 -> int64', 'cumsum', lambda x: x.cumsum(0), ints(-5, 5, 5, dtype=i32), 0)
red('all dim bool', 'all', lambda x: x.all(1), lit([[True, True], [True, False], [False, False]]), 1)
red('any int64', 'any', lambda x: x.any(), lit([0, 0, 3]))
case('logsumexp via ops f32', {'x': In(randf(3, 4) * 10, True)}, [Op('y', 'logsumexp', R('x'), [1], False)],
     lambda x: torch.logsumexp(x, 1))

# --- softmax family ------------------------------------------------------------------------
red('softmax dim -1 f32', 'softmax', lambda x: x.softmax(-1), In(randf(3, 5) * 3, True), -1)
red('softmax dim 0 f32', 'softmax', lambda x: x.softmax(0), In(randf(3, 5), True), 0)
red('softmax f64', 'softmax', lambda x: x.softmax(1), In(randf(2, 3, 4, dtype=f64), True), 1)
red('softmax with dtype f64', 'softmax', lambda x: x.softmax(1, dtype=f64), In(randf(2, 4), True), 1, 'float64')
red('softmax with -inf entries', 'softmax', lambda x: x.softmax(-1), lit([[0.0, -inf, 1.0], [-inf, 2.0, -inf]]), -1)
red('softmax large logits stable', 'softmax', lambda x: x.softmax(0), lit([1000.0, 1001.0, 999.0]), 0)
red('logSoftmax dim 1 f32', 'logSoftmax', lambda x: x.log_softmax(1), In(randf(4, 6) * 3, True), 1)
red('logSoftmax f64', 'logSoftmax', lambda x: x.log_softmax(-1), In(randf(3, 4, dtype=f64), True), -1)
red('softmax bf16', 'softmax', lambda x: x.softmax(-1), In(randf(2, 5, dtype=bf16), True), -1)

# cross-entropy style compositions
case('cross entropy: logSoftmax + gather + mean',
     {'x': In(randf(4, 5) * 2, True), 't': lit([1, 0, 4, 2])},
     [M('lp', 'x', 'logSoftmax', 1), M('ti', 't', 'unsqueeze', 1), M('p', 'lp', 'gather', 1, R('ti')),
      M('m', 'p', 'mean'), M('y', 'm', 'neg')],
     lambda x, t: -x.log_softmax(1).gather(1, t.unsqueeze(1)).mean())
case('cross entropy f64: logSoftmax + index(arange, target)',
     {'x': In(randf(3, 4, dtype=f64), True), 't': lit([3, 0, 2])},
     [M('lp', 'x', 'logSoftmax', -1), Fn('r', 'arange', 3), M('p', 'lp', 'index', R('r'), R('t')),
      M('s', 'p', 'sum'), M('y', 's', 'neg')],
     lambda x, t: -x.log_softmax(-1)[torch.arange(3), t].sum())
case('cross entropy equals F.cross_entropy',
     {'x': In(randf(5, 3), True), 't': lit([2, 2, 0, 1, 0])},
     [M('lp', 'x', 'logSoftmax', 1), M('ti', 't', 'unsqueeze', 1), M('p', 'lp', 'gather', 1, R('ti')),
      M('y', 'p', 'mean'), M('z', 'y', 'neg')],
     lambda x, t: F.cross_entropy(x, t), check_grad_fn=False)
case('nll via ops.nll_loss', {'x': In(randf(4, 3).log_softmax(1), True), 't': lit([0, 2, 1, 1])},
     [Op('y', 'nll_loss', R('x'), R('t'), None, 1, -100)], lambda x, t: F.nll_loss(x, t))

# --- matmul family -------------------------------------------------------------------------
binary('matmul 2d x 2d f32', 'matmul', lambda a, b: a @ b, In(randf(3, 4), True), In(randf(4, 2), True))
binary('matmul 1d x 2d f32', 'matmul', lambda a, b: a @ b, In(randf(4), True), In(randf(4, 3), True))
binary('matmul 2d x 1d f32', 'matmul', lambda a, b: a @ b, In(randf(3, 4), True), In(randf(4), True))
binary('matmul 1d x 1d f32', 'matmul', lambda a, b: a @ b, In(randf(5), True), In(randf(5), True))
binary('matmul batched broadcast [2,3,4]@[4,5]', 'matmul', lambda a, b: a @ b, In(randf(2, 3, 4), True), In(randf(4, 5), True))
binary('matmul batch broadcast [2,1,3,4]@[3,4,2]', 'matmul', lambda a, b: a @ b, In(randf(2, 1, 3, 4), True), In(randf(3, 4, 2), True))
binary('mm f64', 'mm', lambda a, b: a.mm(b), In(randf(3, 5, dtype=f64), True), In(randf(5, 2, dtype=f64), True))
binary('mm int64', 'mm', lambda a, b: a.mm(b), ints(-5, 5, 2, 3), ints(-5, 5, 3, 2))
binary('bmm f32', 'bmm', lambda a, b: a.bmm(b), In(randf(2, 3, 4), True), In(randf(2, 4, 2), True))
binary('dot f64', 'dot', lambda a, b: a.dot(b), In(randf(6, dtype=f64), True), In(randf(6, dtype=f64), True))
binary('outer f32', 'outer', lambda a, b: torch.outer(a, b), In(randf(3), True), In(randf(2), True))
binary('matmul bf16', 'matmul', lambda a, b: a @ b, randf(2, 3, dtype=bf16), randf(3, 2, dtype=bf16))

# --- views and shape ops -------------------------------------------------------------------
def shp(name, method, fn, x, *args):
    case(name, {'x': x}, [M('y', 'x', method, *args)], fn)


shp('reshape -1', 'reshape', lambda x: x.reshape(-1), In(randf(2, 3), True), -1)
shp('reshape array [3,-1]', 'reshape', lambda x: x.reshape(3, -1), In(randf(2, 6), True), [3, -1])
shp('view 2,-1,2', 'view', lambda x: x.view(2, -1, 2), In(randf(4, 3), True), 2, -1, 2)
shp('permute 2,0,1', 'permute', lambda x: x.permute(2, 0, 1), In(randf(2, 3, 4), True), 2, 0, 1)
shp('transpose 0,1 f32', 'transpose', lambda x: x.transpose(0, 1), In(randf(2, 3), True), 0, 1)
shp('t() int64', 't', lambda x: x.t(), ints(0, 9, 2, 3))
case('T property', {'x': In(randf(2, 3, 4), True)}, [Get('y', 'x', 'T')], lambda x: x.permute(2, 1, 0))
case('transpose then contiguous', {'x': In(randf(3, 4), True)},
     [M('u', 'x', 'transpose', 0, 1), M('y', 'u', 'contiguous'), M('c', 'y', 'isContiguous')],
     lambda x: (x.transpose(0, 1).contiguous(), x.transpose(0, 1).contiguous().is_contiguous()), outputs=[R('y'), R('c')])
shp('squeeze all', 'squeeze', lambda x: x.squeeze(), In(randf(1, 3, 1, 2), True))
shp('squeeze dim', 'squeeze', lambda x: x.squeeze(2), In(randf(1, 3, 1, 2), True), 2)
shp('squeeze non-1 dim is no-op', 'squeeze', lambda x: x.squeeze(1), randf(1, 3), 1)
shp('unsqueeze -1', 'unsqueeze', lambda x: x.unsqueeze(-1), In(randf(2, 3), True), -1)
shp('unsqueeze 0 bool', 'unsqueeze', lambda x: x.unsqueeze(0), bools(3), 0)
shp('flatten 1', 'flatten', lambda x: x.flatten(1), In(randf(2, 3, 4), True), 1)
shp('flatten all', 'flatten', lambda x: x.flatten(), ints(0, 9, 2, 2, 2))
shp('expand 3,-1,4', 'expand', lambda x: x.expand(3, -1, 4), In(randf(2, 1), True), 3, -1, 4)
shp('narrow 1,1,2', 'narrow', lambda x: x.narrow(1, 1, 2), In(randf(3, 4), True), 1, 1, 2)
shp('select 1,-1', 'select', lambda x: x.select(1, -1), In(randf(3, 4), True), 1, -1)
shp('flip 0,1', 'flip', lambda x: x.flip(0, 1), In(randf(2, 3), True), 0, 1)
shp('roll 1 dim 1', 'roll', lambda x: x.roll(1, 1), In(randf(2, 4), True), 1, 1)
shp('repeat 2,1,3', 'repeat', lambda x: x.repeat(2, 1, 3), In(randf(2, 2), True), 2, 1, 3)
shp('tril', 'tril', lambda x: x.tril(), In(randf(3, 3), True))
shp('triu 1 int64', 'triu', lambda x: x.triu(1), ints(1, 9, 3, 4), 1)
shp('to int32 truncates', 'to', lambda x: x.to(i32), lit([-1.7, -0.5, 0.5, 2.9, 100.2]), 'int32')
shp('to bool', 'to', lambda x: x.to(b), lit([0.0, -0.0, 0.1, nan, -2.0]), 'bool')
shp('to f16 rounds', 'to', lambda x: x.to(f16), lit([0.1, 1.0 / 3.0, 65504.0, 1e-8, 70000.0], f64), 'float16')
shp('to bf16 rounds', 'to', lambda x: x.to(bf16), lit([0.1, 1.0 / 3.0, 3.0e38, 1e-30]), 'bfloat16')
shp('to f64 keeps grad', 'to', lambda x: x.to(f64), In(randf(3), True), 'float64')
shp('double() int64', 'double', lambda x: x.double(), ints(-9, 9, 4))
shp('float() bool', 'float', lambda x: x.float(), bools(4))
shp('long() f32 truncates', 'long', lambda x: x.long(), lit([-2.5, 2.5, 7.99]))
case('detach drops grad', {'x': In(randf(3), True)}, [M('u', 'x', 'mul', 2), M('y', 'u', 'detach')], lambda x: (x * 2).detach())
case('clone keeps grad', {'x': In(randf(3), True)}, [M('y', 'x', 'clone')], lambda x: x.clone())

# --- cat / stack / split / chunk -----------------------------------------------------------
case('cat dim 1 f32', {'a': In(randf(2, 3), True), 'b': In(randf(2, 1), True)},
     [Fn('y', 'cat', [R('a'), R('b')], 1)], lambda a, b: torch.cat([a, b], 1))
case('cat dim 0 int64 three', {'a': ints(0, 9, 1, 2), 'b': ints(0, 9, 2, 2), 'c': ints(0, 9, 3, 2)},
     [Fn('y', 'cat', [R('a'), R('b'), R('c')])], lambda a, b, c: torch.cat([a, b, c]))
case('cat promotes f32 + f64', {'a': In(randf(2), True), 'b': In(randf(3, dtype=f64), True)},
     [Fn('y', 'cat', [R('a'), R('b')])], lambda a, b: torch.cat([a, b]))
case('stack dim 0 f32', {'a': In(randf(2, 3), True), 'b': In(randf(2, 3), True)},
     [Fn('y', 'stack', [R('a'), R('b')])], lambda a, b: torch.stack([a, b]))
case('stack dim -1 f64', {'a': In(randf(3, dtype=f64), True), 'b': In(randf(3, dtype=f64), True), 'c': In(randf(3, dtype=f64), True)},
     [Fn('y', 'stack', [R('a'), R('b'), R('c')], -1)], lambda a, b, c: torch.stack([a, b, c], -1))
case('split size 2 dim 0', {'x': In(randf(5, 2), True)}, [M('y', 'x', 'split', 2)],
     lambda x: (len(x.split(2)),) + tuple(x.split(2)), outputs=[L('y'), R('y', 0), R('y', 1), R('y', 2)], grad_of=3)
case('split sizes [1,3] dim 1', {'x': In(randf(2, 4), True)}, [M('y', 'x', 'split', [1, 3], 1)],
     lambda x: tuple(x.split([1, 3], 1)), outputs=[R('y', 0), R('y', 1)], grad_of=1)
case('chunk 3 uneven', {'x': In(randf(2, 7), True)}, [M('y', 'x', 'chunk', 3, 1)],
     lambda x: (len(x.chunk(3, 1)),) + tuple(x.chunk(3, 1)), outputs=[L('y'), R('y', 0), R('y', 1), R('y', 2)], grad_of=2)
case('chunk 4 of 6 gives 3', {'x': ints(0, 9, 6)}, [M('y', 'x', 'chunk', 4)],
     lambda x: (len(x.chunk(4)),) + tuple(x.chunk(4)), outputs=[L('y'), R('y', 0), R('y', 1), R('y', 2)])
case('unbind 1', {'x': In(randf(2, 3), True)}, [M('y', 'x', 'unbind', 1)],
     lambda x: tuple(x.unbind(1)), outputs=[R('y', 0), R('y', 1), R('y', 2)], grad_of=1)

# --- gather / where / masking --------------------------------------------------------------
case('gather dim 1 f32', {'x': In(randf(3, 4), True), 'i': lit([[0, 3], [1, 1], [2, 0]])},
     [M('y', 'x', 'gather', 1, R('i'))], lambda x, i: x.gather(1, i))
case('gather dim 0 f64 repeated', {'x': In(randf(3, 2, dtype=f64), True), 'i': lit([[2, 0], [2, 2], [0, 1], [1, 1]])},
     [M('y', 'x', 'gather', 0, R('i'))], lambda x, i: x.gather(0, i))
case('gather int64 values', {'x': ints(0, 100, 2, 5), 'i': lit([[4], [0]])},
     [M('y', 'x', 'gather', 1, R('i'))], lambda x, i: x.gather(1, i))
case('where(cond, x, y) broadcast f32', {'c': bools(3, 1), 'x': In(randf(3, 4), True), 'y': In(randf(4), True)},
     [Fn('out', 'where', R('c'), R('x'), R('y'))], lambda c, x, y: torch.where(c, x, y))
case('where(cond, x, scalar)', {'c': bools(5), 'x': In(randf(5), True)},
     [Fn('out', 'where', R('c'), R('x'), 0.0)], lambda c, x: torch.where(c, x, torch.tensor(0.0)))
case('where int64 x f32 promotes', {'c': bools(4), 'x': ints(0, 9, 4), 'y': randf(4)},
     [Fn('out', 'where', R('c'), R('x'), R('y'))], lambda c, x, y: torch.where(c, x, y))
case('Tensor.where(cond, other)', {'c': bools(2, 3), 'x': In(randf(2, 3), True), 'o': In(randf(2, 3), True)},
     [M('out', 'x', 'where', R('c'), R('o'))], lambda c, x, o: x.where(c, o))
case('maskedFill -inf then softmax', {'x': In(randf(2, 4), True), 'm': lit([[False, True, False, True], [True, False, False, False]])},
     [M('f', 'x', 'maskedFill', R('m'), -inf), M('y', 'f', 'softmax', -1)],
     lambda x, m: x.masked_fill(m, -inf).softmax(-1))
case('maskedFill int64 scalar', {'x': ints(0, 9, 2, 3), 'm': bools(2, 3)},
     [M('y', 'x', 'maskedFill', R('m'), -1)], lambda x, m: x.masked_fill(m, -1))

# --- indexing ------------------------------------------------------------------------------
def idx(name, fn, x, *specs):
    case(name, {'x': x}, [M('y', 'x', 'index', *specs)], fn)


X34 = randf(3, 4)
idx('index int', lambda x: x[1], In(randf(3, 4), True), 1)
idx('index negative int', lambda x: x[-1], In(randf(3, 4), True), -1)
idx('index 2 ints -> 0-dim', lambda x: x[2, -3], In(randf(3, 4), True), 2, -3)
idx('index slice 1:3', lambda x: x[1:3], In(randf(4, 2), True), '1:3')
idx('index :,1', lambda x: x[:, 1], In(randf(3, 4), True), ':', 1)
idx('index ::2 and -2:', lambda x: x[::2, -2:], In(randf(5, 4), True), '::2', '-2:')
idx('index slice past end', lambda x: x[2:10], randf(4), '2:10')
idx('index newaxis', lambda x: x[None], In(randf(2, 3), True), None)
idx('index :,newaxis,1:', lambda x: x[:, None, 1:], In(randf(2, 3), True), ':', None, '1:')
idx('index ellipsis, 0', lambda x: x[..., 0], In(randf(2, 3, 4), True), '...', 0)
idx('index 1, ellipsis, newaxis', lambda x: x[1, ..., None], In(randf(2, 3, 4), True), 1, '...', None)
case('index bool mask 1d', {'x': In(randf(5, 2), True), 'm': lit([True, False, True, True, False])},
     [M('y', 'x', 'index', R('m'))], lambda x, m: x[m])
case('index bool mask same shape', {'x': In(randf(3, 4), True), 'm': bools(3, 4)},
     [M('y', 'x', 'index', R('m'))], lambda x, m: x[m])
case('index mask from comparison', {'x': ints(-9, 9, 8)},
     [M('m', 'x', 'gt', 0), M('y', 'x', 'index', R('m'))], lambda x: x[x > 0])
case('index int tensor with repeats (grad accumulates)', {'x': In(randf(4, 3), True), 'i': lit([0, 2, 2, -1])},
     [M('y', 'x', 'index', R('i'))], lambda x, i: x[i])
case('index :, int tensor', {'x': In(randf(2, 5), True), 'i': lit([4, 0])},
     [M('y', 'x', 'index', ':', R('i'))], lambda x, i: x[:, i])
case('index two int tensors (pairs)', {'x': In(randf(3, 4), True), 'i': lit([0, 2, 1]), 'j': lit([3, 3, 0])},
     [M('y', 'x', 'index', R('i'), R('j'))], lambda x, i, j: x[i, j])
case('index 2d int tensor', {'x': ints(0, 50, 5), 'i': lit([[0, 1], [4, 3]])},
     [M('y', 'x', 'index', R('i'))], lambda x, i: x[i])
case('index with int32 tensor made long', {'x': In(randf(4), True), 'i': lit([3, 1], i32)},
     [M('il', 'i', 'long'), M('y', 'x', 'index', R('il'))], lambda x, i: x[i.long()])
case('indexPut_ mask = 0 on a copy', {'x': In(randf(3, 3), True), 'm': bools(3, 3)},
     [M('y', 'x', 'mul', 1), M('y2', 'y', 'indexPut_', [R('m')], 0)],
     lambda x, m: _setitem(x * 1, m, 0))
case('indexPut_ slice = tensor', {'x': In(randf(3, 4), True), 'v': In(randf(4), True)},
     [M('y', 'x', 'mul', 1), M('y2', 'y', 'indexPut_', ['1:', ':'], R('v'))],
     lambda x, v: _setitem(x * 1, (slice(1, None), slice(None)), v))



# --- in-place ops ------------------------------------------------------------------------
case('add_ with alpha on non-leaf', {'x': In(randf(2, 3), True), 'b': In(randf(3), True)},
     [M('y', 'x', 'mul', 1), M('y', 'y', 'add_', R('b'), 2)], lambda x, b: (x * 1).add_(b, alpha=2))
case('sub_ scalar', {'x': In(randf(4), True)}, [M('y', 'x', 'mul', 1), M('y', 'y', 'sub_', 0.5)],
     lambda x: (x * 1).sub_(0.5))
case('mul_ python float', {'x': In(randf(3), True)}, [M('y', 'x', 'mul', 1), M('y', 'y', 'mul_', 0.5)],
     lambda x: (x * 1).mul_(0.5))
case('add_ python int', {'x': In(randf(3), True)}, [M('y', 'x', 'mul', 1), M('y', 'y', 'add_', 2)],
     lambda x: (x * 1).add_(2))
case('mul_ tensor', {'x': In(randf(2, 2), True), 'b': In(randf(2, 2), True)},
     [M('y', 'x', 'mul', 1), M('y', 'y', 'mul_', R('b'))], lambda x, b: (x * 1).mul_(b))
case('div_ scalar', {'x': In(randf(3), True)}, [M('y', 'x', 'mul', 1), M('y', 'y', 'div_', 4)],
     lambda x: (x * 1).div_(4))
case('clamp_ in place', {'x': In(randf(6), True)}, [M('y', 'x', 'mul', 1), M('y', 'y', 'clamp_', -0.5, 0.5)],
     lambda x: (x * 1).clamp_(-0.5, 0.5))
case('zero_ then add_', {'x': randf(2, 3), 'b': In(randf(3), True)},
     [M('y', 'x', 'clone'), M('y', 'y', 'zero_'), M('y', 'y', 'add_', R('b'))],
     lambda x, b: x.clone().zero_().add_(b))
case('fill_ int64', {'x': ints(0, 5, 4)}, [M('y', 'x', 'fill_', 7)], lambda x: x.fill_(7))
case('copy_ from f64 into f32 zeros', {'s': In(randf(2, 3, dtype=f64), True)},
     [Fn('y', 'zeros', [2, 3]), M('y', 'y', 'copy_', R('s'))], lambda s: torch.zeros(2, 3).copy_(s))
case('add_ int64 += int32', {'x': ints(0, 9, 3), 'b': ints(0, 9, 3, dtype=i32)},
     [M('y', 'x', 'add_', R('b'))], lambda x, b: x.add_(b))
case('add_ to a view writes through', {'x': randf(3, 4)},
     [M('y', 'x', 'clone'), M('v', 'y', 'narrow', 1, 1, 2), M('v', 'v', 'add_', 10), M('z', 'y', 'mul', 1)],
     lambda x: _view_add(x))



# --- clamp ---------------------------------------------------------------------------------
red('clamp min,max f32', 'clamp', lambda x: x.clamp(-0.5, 0.5), In(randf(3, 4), True), -0.5, 0.5)
red('clamp max only', 'clamp', lambda x: x.clamp(max=0.3), In(randf(6), True), None, 0.3)
red('clamp min only f64', 'clamp', lambda x: x.clamp(min=0.0), In(randf(6, dtype=f64), True), 0.0)
red('clip int64', 'clip', lambda x: x.clip(-3, 3), ints(-9, 9, 8), -3, 3)
red('clamp nan passes through', 'clamp', lambda x: x.clamp(0, 1), lit([nan, -1.0, 2.0, 0.5]), 0, 1)
case('clamp tensor bounds', {'x': In(randf(2, 3), True), 'lo': randf(3) - 0.5, 'hi': randf(3) + 0.5},
     [M('y', 'x', 'clamp', R('lo'), R('hi'))], lambda x, lo, hi: x.clamp(lo, hi))
red('clampMin f32', 'clampMin', lambda x: x.clamp_min(0.1), In(randf(5), True), 0.1)

# --- sort / topk ---------------------------------------------------------------------------
case('sort last dim f32', {'x': In(randf(3, 5), True)}, [M('y', 'x', 'sort')],
     lambda x: tuple(x.sort()), outputs=[R('y', 0), R('y', 1)])
case('sort dim 0 descending int64', {'x': torch.randperm(12, generator=G).reshape(4, 3)}, [M('y', 'x', 'sort', 0, True)],
     lambda x: tuple(x.sort(0, descending=True)), outputs=[R('y', 0), R('y', 1)])
case('sort with nan and inf', {'x': lit([3.0, nan, -inf, 1.0, inf])}, [M('y', 'x', 'sort')],
     lambda x: tuple(x.sort()), outputs=[R('y', 0), R('y', 1)])
case('argsort descending f64', {'x': randf(6, dtype=f64)}, [M('y', 'x', 'argsort', -1, True)],
     lambda x: x.argsort(-1, descending=True))
case('topk 2 f32', {'x': In(randf(3, 6), True)}, [M('y', 'x', 'topk', 2)],
     lambda x: tuple(x.topk(2)), outputs=[R('y', 0), R('y', 1)])
case('topk smallest 3 dim 0', {'x': In(randf(5, 2), True)}, [M('y', 'x', 'topk', 3, 0, False)],
     lambda x: tuple(x.topk(3, 0, largest=False)), outputs=[R('y', 0), R('y', 1)])
case('topk via .values/.indices', {'x': In(randf(7), True)},
     [M('y', 'x', 'topk', 3), Get('v', 'y', 'values'), Get('i', 'y', 'indices')],
     lambda x: tuple(x.topk(3)), outputs=[R('v'), R('i')])

# --- 0-dim results and item() --------------------------------------------------------------
case('item of f32 sum', {'x': randf(4)}, [M('s', 'x', 'sum'), M('y', 's', 'item')],
     lambda x: x.sum().item(), number_dtype='float32')
case('item of int64 max', {'x': ints(0, 1000, 9)}, [M('s', 'x', 'max'), M('y', 's', 'item')],
     lambda x: x.max().item())
case('item of bool', {'x': lit([1, 2])}, [M('s', 'x', 'gt', 1), M('a', 's', 'any'), M('y', 'a', 'item')],
     lambda x: x.gt(1).any().item(), number_dtype='bool')
case('numel()', {'x': randf(2, 3)}, [M('y', 'x', 'numel')], lambda x: x.numel())

# --- creation ------------------------------------------------------------------------------
def create(name, fn, *steps):
    case(name, {}, list(steps), fn)


create('arange(5)', lambda: torch.arange(5), Fn('y', 'arange', 5))
create('arange(1, 10, 3)', lambda: torch.arange(1, 10, 3), Fn('y', 'arange', 1, 10, 3))
create('arange(0, 1, 0.1) f32', lambda: torch.arange(0, 1, 0.1), Fn('y', 'arange', 0, 1, 0.1))
create('arange(5, 0, -1.5)', lambda: torch.arange(5, 0, -1.5), Fn('y', 'arange', 5, 0, -1.5))
create('arange f64 dtype', lambda: torch.arange(0, 2, 0.25, dtype=f64), Fn('y', 'arange', 0, 2, 0.25, O(dtype='float64')))
create('arange int32 dtype', lambda: torch.arange(-3, 3, dtype=i32), Fn('y', 'arange', -3, 3, 1, O(dtype='int32')))
create('linspace(0, 1, 5)', lambda: torch.linspace(0, 1, 5), Fn('y', 'linspace', 0, 1, 5))
create('linspace(-1, 1, 7) f64', lambda: torch.linspace(-1, 1, 7, dtype=f64), Fn('y', 'linspace', -1, 1, 7, O(dtype='float64')))
create('linspace 1 step', lambda: torch.linspace(2, 3, 1), Fn('y', 'linspace', 2, 3, 1))
create('linspace(0, 0.3, 4) f32 rounding', lambda: torch.linspace(0, 0.3, 4), Fn('y', 'linspace', 0, 0.3, 4))
create('eye(3)', lambda: torch.eye(3), Fn('y', 'eye', 3))
create('eye(2, 4) int64', lambda: torch.eye(2, 4, dtype=i64), Fn('y', 'eye', 2, 4, O(dtype='int64')))
create('full f32', lambda: torch.full((2, 3), 1.5), Fn('y', 'full', [2, 3], 1.5))
create('full int -> int64', lambda: torch.full((2,), 7), Fn('y', 'full', [2], 7))
create('full bool', lambda: torch.full((3,), True), Fn('y', 'full', [3], True))
create('full -inf', lambda: torch.full((2,), -inf), Fn('y', 'full', [2], -inf))
create('zeros f32', lambda: torch.zeros(2, 3), Fn('y', 'zeros', [2, 3]))
create('zeros int32', lambda: torch.zeros(4, dtype=i32), Fn('y', 'zeros', [4], O(dtype='int32')))
create('zeros 0-dim', lambda: torch.zeros(()), Fn('y', 'zeros', []))
create('ones f16', lambda: torch.ones(2, 2, dtype=f16), Fn('y', 'ones', [2, 2], O(dtype='float16')))
create('ones requiresGrad', lambda: torch.ones(3, requires_grad=True), Fn('y', 'ones', 3, O(requiresGrad=True)))
create('tensor() ints -> int64', lambda: torch.tensor([[1, 2], [3, 4]]), Fn('y', 'tensor', [[1, 2], [3, 4]]))
create('tensor() floats -> f32', lambda: torch.tensor([1.5, -2.25]), Fn('y', 'tensor', [1.5, -2.25]))
create('tensor() bools -> bool', lambda: torch.tensor([True, False]), Fn('y', 'tensor', [True, False]))
create('tensor() f64 0.1', lambda: torch.tensor([0.1, 0.2], dtype=f64), Fn('y', 'tensor', [0.1, 0.2], O(dtype='float64')))
create('tensor() bf16', lambda: torch.tensor([0.1, 3.3], dtype=bf16), Fn('y', 'tensor', [0.1, 3.3], O(dtype='bfloat16')))
create('tensor() f16', lambda: torch.tensor([0.1, 3.3], dtype=f16), Fn('y', 'tensor', [0.1, 3.3], O(dtype='float16')))
create('zerosLike keeps dtype', lambda: torch.zeros_like(torch.tensor([1, 2], dtype=i32)),
       Fn('s', 'tensor', [1, 2], O(dtype='int32')), Fn('y', 'zerosLike', R('s')))

# --- manualSeed reproducibility ------------------------------------------------------------
def seeded(name, fn, *steps, seed=42, outputs=None):
    def run():
        torch.manual_seed(seed)
        return fn()
    case(name, {}, [Fn('_', 'manualSeed', seed)] + list(steps), run, outputs=outputs)


seeded('seed 42 randn(5)', lambda: torch.randn(5), Fn('y', 'randn', [5]))
seeded('seed 42 rand(2,3)', lambda: torch.rand(2, 3), Fn('y', 'rand', [2, 3]))
seeded('seed 0 randn(3,4) f64', lambda: torch.randn(3, 4, dtype=f64), Fn('y', 'randn', [3, 4], O(dtype='float64')), seed=0)
seeded('seed 42 randn(20) (vectorized path)', lambda: torch.randn(20), Fn('y', 'randn', [20]))
seeded('seed 7 randint(0, 10, [6])', lambda: torch.randint(0, 10, (6,)), Fn('y', 'randint', 0, 10, [6]), seed=7)
seeded('seed 7 randint(-5, 5, [2,3]) int32', lambda: torch.randint(-5, 5, (2, 3), dtype=i32),
       Fn('y', 'randint', -5, 5, [2, 3], O(dtype='int32')), seed=7)
seeded('seed 42 randperm(8)', lambda: torch.randperm(8), Fn('y', 'randperm', 8))
seeded('seed 3 randperm(10)', lambda: torch.randperm(10), Fn('y', 'randperm', 10), seed=3)
seeded('seed 42 rand then randn sequence', lambda: (torch.rand(3), torch.randn(4)),
       Fn('a', 'rand', [3]), Fn('b', 'randn', [4]), outputs=[R('a'), R('b')])
case('manualSeed twice gives equal randn', {}, [Fn('_', 'manualSeed', 42), Fn('a', 'randn', [3]), Fn('_2', 'manualSeed', 42), Fn('b', 'randn', [3]),
                                   M('y', 'a', 'equal', R('b'))],
     lambda: _reseed_equal())
seeded('seed 1 randn bf16', lambda: torch.randn(4, dtype=bf16), Fn('y', 'randn', [4], O(dtype='bfloat16')), seed=1)



# --- more edge cases ----------------------------------------------------------------------
# indexing
idx('index ellipsis, newaxis', lambda x: x[..., None], In(randf(2, 3), True), '...', None)
idx('index newaxis, ellipsis, newaxis', lambda x: x[None, ..., None], randf(2, 3), None, '...', None)
idx('index 0, ellipsis, 1 on 4-d', lambda x: x[0, ..., 1], In(randf(2, 3, 4, 2), True), 0, '...', 1)
idx('index :-1 and -3:-1', lambda x: x[:-1, -3:-1], In(randf(3, 4), True), ':-1', '-3:-1')
idx('index empty slice 3:1', lambda x: x[3:1], randf(4), '3:1')
idx('index ::3 with start', lambda x: x[1::3], In(randf(8), True), '1::3')
case('index :, bool mask on dim 1', {'x': In(randf(2, 4), True), 'm': lit([True, False, False, True])},
     [M('y', 'x', 'index', ':', R('m'))], lambda x, m: x[:, m])
case('index tensors split by a slice move to front', {'x': In(randf(3, 4, 5), True), 'i': lit([0, 2]), 'j': lit([4, 1])},
     [M('y', 'x', 'index', R('i'), ':', R('j'))], lambda x, i, j: x[i, :, j])
case('index slice then int tensor', {'x': In(randf(4, 5), True), 'j': lit([[0, 1], [3, 3]])},
     [M('y', 'x', 'index', '1:', R('j'))], lambda x, j: x[1:, j])
case('index int tensor then newaxis', {'x': In(randf(4, 3), True), 'i': lit([1, 3])},
     [M('y', 'x', 'index', R('i'), None)], lambda x, i: x[i, None])
case('index int, int tensor broadcast', {'x': randf(3, 4, 5), 'i': lit([[0], [3]]), 'k': lit([1, 2, 4])},
     [M('y', 'x', 'index', 1, R('i'), R('k'))], lambda x, i, k: x[1, i, k])
case('indexPut_ int tensor with repeats (last write wins set)', {'x': ints(0, 9, 5), 'i': lit([1, 3]), 'v': lit([-1, -2])},
     [M('y', 'x', 'indexPut_', [R('i')], R('v'))], lambda x, i, v: _setitem(x, i, v))
case('indexPut_ :,0 = number f64', {'x': randf(2, 3, dtype=f64)},
     [M('y', 'x', 'indexPut_', [':', 0], 5.5)], lambda x: _setitem(x, (slice(None), 0), 5.5))
case('indexPut_ pairs = tensor', {'x': randf(3, 3), 'i': lit([0, 2]), 'j': lit([1, 1]), 'v': lit([10.0, 20.0])},
     [M('y', 'x', 'indexPut_', [R('i'), R('j')], R('v'))], lambda x, i, j, v: _setitem(x, (i, j), v))
case('indexPut_ mask = number on int32', {'x': ints(-5, 5, 6, dtype=i32)},
     [M('m', 'x', 'lt', 0), M('y', 'x', 'indexPut_', [R('m')], 0)], lambda x: _setitem(x, x < 0, 0))

# reductions and ties
red('sum dim [] reduces all', 'sum', lambda x: x.sum([]), In(randf(2, 3), True), [])
red('amax ties share gradient', 'amax', lambda x: x.amax(), In(lit([1.0, 3.0, 3.0, 2.0]), True))
red('max() ties share gradient', 'max', lambda x: x.max(), In(lit([3.0, 1.0, 3.0]), True))
red('prod with zero grad', 'prod', lambda x: x.prod(), In(lit([2.0, 0.0, 3.0]), True))
red('prod dim keepdim f64', 'prod', lambda x: x.prod(0, keepdim=True), In(randf(3, 2, dtype=f64), True), 0, True)
red('cumsum bool -> int64', 'cumsum', lambda x: x.cumsum(0), bools(6), 0)
red('mean of int64 (error)', 'mean', lambda x: x.mean(), ints(0, 5, 3), error=True)
red('std dim list keepdim f32', 'std', lambda x: torch.std(x, [0, 2], keepdim=True), In(randf(2, 3, 4), True), [0, 2], O(keepdim=True))
case('logsumexp with -inf row', {'x': lit([[-inf, -inf], [0.0, 1.0]])}, [Op('y', 'logsumexp', R('x'), 1)],
     lambda x: torch.logsumexp(x, 1))

# elementwise extras
scalar_op('pow negative base fractional exponent -> nan', 'pow', lambda a: a.pow(0.5), lit([-4.0, 4.0, 0.0]), 0.5)
scalar_op('pow int64 negative exponent (error)', 'pow', lambda a: a.pow(-1), lit([1, 2]), -1, error=True)
binary('pow 0^0 and inf', 'pow', lambda a, b: a.pow(b), lit([0.0, 0.0, 2.0, -inf]), lit([0.0, -1.0, inf, 3.0]))
red('clamp int64 with float bound', 'clamp', lambda x: x.clamp(0.5, 3.5), ints(-5, 5, 6), 0.5, 3.5)
case('where with two python floats', {'c': lit([True, False, True])}, [Fn('y', 'where', R('c'), 1.5, -2.5)],
     lambda c: torch.where(c, 1.5, -2.5))
case('lerp scalar weight', {'a': In(randf(4), True), 'b': In(randf(4), True)}, [M('y', 'a', 'lerp', R('b'), 0.25)],
     lambda a, b: torch.lerp(a, b, 0.25))
case('addcmul value 0.5', {'a': In(randf(3), True), 'b': In(randf(3), True), 'c': In(randf(3), True)},
     [M('y', 'a', 'addcmul', R('b'), R('c'), 0.5)], lambda a, b, c: torch.addcmul(a, b, c, value=0.5))
case('addcdiv', {'a': In(randf(3), True), 'b': In(randf(3), True), 'c': In(pos(3), True)},
     [M('y', 'a', 'addcdiv', R('b'), R('c'), 2)], lambda a, b, c: torch.addcdiv(a, b, c, value=2))
case('maskedFill with 0-dim tensor value', {'x': In(randf(2, 3), True), 'm': bools(2, 3), 'v': In(lit(9.0), True)},
     [M('y', 'x', 'maskedFill', R('m'), R('v'))], lambda x, m, v: x.masked_fill(m, v))
unary('neg of bool (error)', 'neg', lambda x: x.neg(), lit([True, False]), error=True)
binary('sub of bools (error)', 'sub', lambda a, b: a - b, lit([True]), lit([False]), error=True)
binary('matmul f16 on CPU (error)', 'matmul', lambda a, b: a @ b, randf(2, 2, dtype=f16), randf(2, 2, dtype=f16), error=True)
case('div_ int64 in place (error)', {'x': lit([1, 2])}, [M('y', 'x', 'div_', 2)], lambda x: x.div_(2), error=True)
case('in-place on leaf requiring grad (error)', {'x': In(randf(2), True)}, [M('y', 'x', 'add_', 1)],
     lambda x: x.add_(1), error=True)

# shapes
shp('flatten 0-dim -> [1]', 'flatten', lambda x: x.flatten(), lit(3.5))
shp('reshape 0-dim to [1,1]', 'reshape', lambda x: x.reshape(1, 1), In(lit(2.0), True), 1, 1)
shp('squeeze 0-dim', 'squeeze', lambda x: x.squeeze(), lit(5))
shp('permute negative dims', 'permute', lambda x: x.permute(-1, 0, -2), In(randf(2, 3, 4), True), -1, 0, -2)
shp('transpose negative dims', 'transpose', lambda x: x.transpose(-1, -3), In(randf(2, 3, 4), True), -1, -3)
shp('unflatten', 'unflatten', lambda x: x.unflatten(1, (2, 3)), In(randf(2, 6), True), 1, [2, 3])
case('chunk dim -1 second', {'x': randf(2, 5)}, [M('y', 'x', 'chunk', 2, -1)], lambda x: x.chunk(2, -1)[1], outputs=[R('y', 1)])
case('expandAs', {'x': In(randf(3, 1), True), 'o': randf(2, 3, 4)}, [M('y', 'x', 'expandAs', R('o'))], lambda x, o: x.expand_as(o))
case('stack of 0-dim tensors', {'a': In(lit(1.0), True), 'b': In(lit(2.0), True)}, [Fn('y', 'stack', [R('a'), R('b')])],
     lambda a, b: torch.stack([a, b]))
case('cat skips legacy empty 1-d', {'a': randf(2, 3), 'e': torch.zeros(0), 'b': randf(1, 3)},
     [Fn('y', 'cat', [R('a'), R('e'), R('b')])], lambda a, e, b: torch.cat([a, e, b]))
shp('to int32 wraps int64', 'to', lambda x: x.to(i32), lit([2 ** 31 + 5, -(2 ** 31) - 1, 7]), 'int32')

# autograd plumbing
case('backward twice with retainGraph accumulates', {'x': In(randf(3), True)},
     [M('y', 'x', 'mul', R('x')), M('s', 'y', 'sum'), M('_', 's', 'backward', None, O(retainGraph=True)),
      M('_2', 's', 'backward'), Get('g', 'x', 'grad')],
     lambda x: _backward_twice(x, True))
case('backward twice without retainGraph (error)', {'x': In(randf(3), True)},
     [M('y', 'x', 'mul', R('x')), M('s', 'y', 'sum'), M('_', 's', 'backward'), M('_2', 's', 'backward')],
     lambda x: _backward_twice(x, False), error=True)
case('backward with explicit gradient', {'x': In(randf(3), True), 'g': lit([1.0, -2.0, 0.5])},
     [M('y', 'x', 'exp'), M('_', 'y', 'backward', R('g')), Get('gx', 'x', 'grad')],
     lambda x, g: _backward_with(x, g))

# more creation and randomness
create('arange(-1, 1, 0.3) f32', lambda: torch.arange(-1, 1, 0.3), Fn('y', 'arange', -1, 1, 0.3))
create('arange f32 dtype ints', lambda: torch.arange(0, 4, 1, dtype=f32), Fn('y', 'arange', 0, 4, 1, O(dtype='float32')))
create('linspace 0 steps', lambda: torch.linspace(0, 1, 0), Fn('y', 'linspace', 0, 1, 0))
create('full 3.7 as int32', lambda: torch.full((2,), 3.7, dtype=i32), Fn('y', 'full', [2], 3.7, O(dtype='int32')))
create('eye(0)', lambda: torch.eye(0), Fn('y', 'eye', 0))
seeded('seed 42 randn 0-dim', lambda: torch.randn(()), Fn('y', 'randn', []))
seeded('seed 5 rand f64', lambda: torch.rand(5, dtype=f64), Fn('y', 'rand', [5], O(dtype='float64')), seed=5)
seeded('seed 42 randperm(100)', lambda: torch.randperm(100), Fn('y', 'randperm', 100))
seeded('seed 2**40 randn(3)', lambda: torch.randn(3), Fn('y', 'randn', [3]), seed=2 ** 40)
seeded('seed 9 uniform_ / normal_ in place', lambda: (torch.empty(4).uniform_(-1, 1), torch.empty(3).normal_(2, 0.5)),
       Fn('a', 'empty', [4]), M('a', 'a', 'uniform_', -1, 1), Fn('b', 'empty', [3]), M('b', 'b', 'normal_', 2, 0.5),
       seed=9, outputs=[R('a'), R('b')])
seeded('seed 11 randint then randn then rand', lambda: (torch.randint(0, 100, (4,)), torch.randn(3), torch.rand(2)),
       Fn('a', 'randint', 0, 100, [4]), Fn('b', 'randn', [3]), Fn('c', 'rand', [2]), seed=11,
       outputs=[R('a'), R('b'), R('c')])
seeded('seed 42 randLike / randnLike', lambda: (torch.rand_like(torch.zeros(2, dtype=f64)), torch.randn_like(torch.zeros(3))),
       Fn('z', 'zeros', [2], O(dtype='float64')), Fn('a', 'randLike', R('z')), Fn('z2', 'zeros', [3]), Fn('b', 'randnLike', R('z2')),
       outputs=[R('a'), R('b')])


# --- semantics checks: views, lists, 0-dim index tensors ------------------------------------
case('index 0-dim int64 tensor selects', {'x': In(randf(3, 2), True), 'i': lit(2)},
     [M('y', 'x', 'index', R('i'))], lambda x, i: x[i])
case('index 0-dim int64 tensor is a view (write-through)', {'x': randf(3, 2), 'i': lit(1)},
     [M('y', 'x', 'clone'), M('v', 'y', 'index', R('i')), M('v', 'v', 'add_', 1)],
     lambda x, i: _write_through(x, i), outputs=[R('y')])
case('index 0-dim bool tensor True', {'x': randf(3, 2), 'm': lit(True)},
     [M('y', 'x', 'index', R('m'))], lambda x, m: x[m])
case('index 0-dim bool tensor False', {'x': randf(3, 2), 'm': lit(False)},
     [M('y', 'x', 'index', R('m'))], lambda x, m: x[m])
case('indexPut_ 0-dim int64 tensor = number', {'x': randf(3, 2), 'i': lit(0)},
     [M('y', 'x', 'clone'), M('y', 'y', 'indexPut_', [R('i')], 5)], lambda x, i: _setitem(x.clone(), i, 5))
case('toArray 2x3 int64', {'x': ints(-9, 9, 2, 3)}, [M('y', 'x', 'toArray')], lambda x: _Json(x.tolist()))
case('toArray bool', {'x': bools(2, 2)}, [M('y', 'x', 'toArray')], lambda x: _Json(x.tolist()))
case('toArray [2,0]', {'x': torch.zeros(2, 0, dtype=i64)}, [M('y', 'x', 'toArray')], lambda x: _Json(x.tolist()))
case('toArray 0-dim', {'x': lit(7)}, [M('y', 'x', 'toArray')], lambda x: _Json(x.tolist()))
case('stride of transpose', {'x': randf(3, 4)}, [M('u', 'x', 't'), M('y', 'u', 'stride')], lambda x: _Json(list(x.t().stride())))
case('shape of expand', {'x': randf(3, 1)}, [M('u', 'x', 'expand', 2, 3, 4), Get('y', 'u', 'shape')], lambda x: _Json(list(x.expand(2, 3, 4).shape)))
case('size(-1)', {'x': randf(3, 5)}, [M('y', 'x', 'size', -1)], lambda x: x.size(-1))
case('isContiguous of transpose', {'x': randf(3, 4)}, [M('u', 'x', 't'), M('y', 'u', 'isContiguous')], lambda x: x.t().is_contiguous())
red('clamp min > max gives max', 'clamp', lambda x: x.clamp(1.0, -1.0), In(randf(4), True), 1.0, -1.0)
red('norm inf', 'norm', lambda x: x.norm(inf), In(randf(5), True), inf)
red('norm 0 counts nonzero', 'norm', lambda x: x.norm(0), lit([0.0, 1.5, -2.0, 0.0]), 0)
binary('matmul 1d x 3d', 'matmul', lambda a, b: a @ b, In(randf(4), True), In(randf(2, 4, 3), True))
binary('matmul 3d x 1d', 'matmul', lambda a, b: a @ b, In(randf(2, 3, 4), True), In(randf(4), True))
shp('roll without dims flattens', 'roll', lambda x: x.roll(2), In(randf(2, 3), True), 2)
case('roll two dims', {'x': randf(3, 4)}, [M('y', 'x', 'roll', [1, -1], [0, 1])], lambda x: x.roll((1, -1), (0, 1)))
shp('narrow negative start', 'narrow', lambda x: x.narrow(1, -2, 2), In(randf(2, 5), True), 1, -2, 2)
shp('flip negative dim', 'flip', lambda x: x.flip(-1), In(randf(2, 3), True), -1)
shp('repeat adds leading dims', 'repeat', lambda x: x.repeat(2, 2, 1), In(randf(3), True), 2, 2, 1)
case('copy_ broadcasts', {'s': In(randf(3), True)}, [Fn('y', 'zeros', [2, 3]), M('y', 'y', 'copy_', R('s'))],
     lambda s: torch.zeros(2, 3).copy_(s))
case('add_ that would broadcast self (error)', {'x': randf(3), 'b': randf(2, 3)}, [M('y', 'x', 'add_', R('b'))],
     lambda x, b: x.add_(b), error=True)
case('mul_ int64 by python float (error)', {'x': lit([1, 2])}, [M('y', 'x', 'mul_', 1.5)], lambda x: x.mul_(1.5), error=True)
case('fill_ bool with 1', {'x': lit([False, False])}, [M('y', 'x', 'fill_', 1)], lambda x: x.fill_(1))
case('bmm batch mismatch (error)', {'a': randf(2, 3, 4), 'b': randf(3, 4, 2)}, [M('y', 'a', 'bmm', R('b'))],
     lambda a, b: a.bmm(b), error=True)
red('softmax f16 on CPU (error)', 'softmax', lambda x: x.softmax(-1), randf(2, 3, dtype=f16), -1, error=True)
red('round decimals f32', 'round', lambda x: x.round(decimals=1), lit([0.25, 0.35, -1.45, 2.55]), 1)
red('sum bool keepdim', 'sum', lambda x: x.sum(1, keepdim=True), bools(3, 4), 1, True)
create('tensor() empty -> f32 [0]', lambda: torch.tensor([]), Fn('y', 'tensor', []))
create('tensor() nested empty [2,0]', lambda: torch.tensor([[], []]), Fn('y', 'tensor', [[], []]))
create('tensor() scalar number -> 0-dim', lambda: torch.tensor(2.5), Fn('y', 'tensor', 2.5))


out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ops.json')
with open(out_path, 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'{len(cases)} cases -> {out_path} ({os.path.getsize(out_path)} bytes)')
