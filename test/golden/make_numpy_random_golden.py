#!/usr/bin/python3
"""Generate test/golden/numpy_random.json: numpy's legacy np.random draws.

Run from the repo root with the system Python that has numpy (numpy 1.24, on
x86-64 glibc):

    /usr/bin/python3 test/golden/make_numpy_random_golden.py

Each scenario seeds a RandomState (or, for "global" scenarios, np.random.seed)
and records a sequence of calls with their exact results; test/numpy-random.test.ts
replays the sequence on src/engine/numpy-random.ts and demands equality, bit for
bit. Floats are JSON numbers written with Python's repr, which round-trips every
double exactly. Large outputs are recorded as the SHA-256 of their little-endian
bytes (float64 for floating-point results, int64 for integers) instead of values.

Op records (keys beside "op" are the call's arguments; null size means omitted):
  random_sample/random/standard_normal/standard_exponential {size}
  rand/randn {shape}                 uniform {low?, high?, size}
  normal {loc?, scale?, size}        exponential {scale?, size}
  randint {low, high (null = omitted), size}
  permutation {n} or {x}             shuffle {x} (out: x after shuffling)
  choice {a, size, replace, p}       seed {seed}
  state (out: {key_sha256 (of the 624 words as little-endian uint32), pos,
         has_gauss, cached_gaussian})
and each carries "out" (scalar or flat row-major list) or "sha256" + "count".
"""
import hashlib
import json
import os

import numpy as np

BULK = 1000  # outputs longer than this are hashed


def flat(v):
    if isinstance(v, np.ndarray):
        return v.ravel().tolist()
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    if isinstance(v, list):
        return v
    return v.item() if hasattr(v, 'item') else v


def digest(arr):
    arr = np.asarray(arr)
    if arr.dtype.kind == 'f':
        data = arr.astype('<f8').tobytes()
    else:
        data = arr.astype('<i8').tobytes()
    return hashlib.sha256(data).hexdigest()


def record(op, result, **args):
    rec = {'op': op}
    rec.update(args)
    if isinstance(result, np.ndarray) and result.size > BULK:
        rec['sha256'] = digest(result)
        rec['count'] = int(result.size)
    else:
        rec['out'] = flat(result)
    return rec


def size_arg(size):
    return list(size) if isinstance(size, tuple) else size


class Recorder:
    """Calls a RandomState (or the np.random module) and logs each call."""

    def __init__(self, rs):
        self.rs = rs
        self.ops = []

    def random_sample(self, size=None):
        self.ops.append(record('random_sample', self.rs.random_sample(size), size=size_arg(size)))

    def random(self, size=None):
        self.ops.append(record('random', self.rs.random(size), size=size_arg(size)))

    def rand(self, *shape):
        self.ops.append(record('rand', self.rs.rand(*shape), shape=list(shape)))

    def randn(self, *shape):
        self.ops.append(record('randn', self.rs.randn(*shape), shape=list(shape)))

    def standard_normal(self, size=None):
        self.ops.append(record('standard_normal', self.rs.standard_normal(size), size=size_arg(size)))

    def standard_exponential(self, size=None):
        self.ops.append(record('standard_exponential', self.rs.standard_exponential(size),
                               size=size_arg(size)))

    def normal(self, size=None, **kw):
        self.ops.append(record('normal', self.rs.normal(size=size, **kw), size=size_arg(size), **kw))

    def uniform(self, size=None, **kw):
        self.ops.append(record('uniform', self.rs.uniform(size=size, **kw), size=size_arg(size), **kw))

    def exponential(self, size=None, **kw):
        self.ops.append(record('exponential', self.rs.exponential(size=size, **kw),
                               size=size_arg(size), **kw))

    def randint(self, low, high=None, size=None):
        self.ops.append(record('randint', self.rs.randint(low, high, size), low=low, high=high,
                               size=size_arg(size)))

    def permutation(self, x):
        if isinstance(x, int):
            self.ops.append(record('permutation', self.rs.permutation(x), n=x))
        else:
            self.ops.append(record('permutation', self.rs.permutation(x), x=list(x)))

    def shuffle(self, x):
        before = x.tolist() if isinstance(x, np.ndarray) else list(x)
        self.rs.shuffle(x)
        after = x.tolist() if isinstance(x, np.ndarray) else list(x)
        self.ops.append({'op': 'shuffle', 'x': before, 'out': after})

    def choice(self, a, size=None, replace=True, p=None):
        res = self.rs.choice(a, size, replace, p)
        self.ops.append(record('choice', res, a=a, size=size_arg(size), replace=replace,
                               p=None if p is None else [float(v) for v in p]))

    def seed(self, seed):
        self.rs.seed(seed)
        self.ops.append({'op': 'seed', 'seed': seed})

    def state(self):
        name, key, pos, has_gauss, cached = self.rs.get_state()
        assert name == 'MT19937'
        key_sha256 = hashlib.sha256(key.astype('<u4').tobytes()).hexdigest()
        self.ops.append({'op': 'state', 'out': {'key_sha256': key_sha256, 'pos': int(pos),
                                                'has_gauss': int(has_gauss),
                                                'cached_gaussian': float(cached)}})


def battery(r, seed):
    """The standard sequence of calls run for every seed."""
    r.random_sample()
    r.random_sample(5)
    r.random_sample((2, 3))
    # gauss cache: an odd count leaves a cached value for the next call
    r.normal(size=3)
    r.random_sample()
    r.normal(size=1)
    r.normal()
    r.standard_normal()
    r.standard_normal((2, 3))
    r.randn()
    r.randn(3, 2)
    r.rand()
    r.rand(2, 2)
    r.normal(loc=1.5, scale=0.15, size=7)
    r.normal(loc=-3.0, scale=2.0)
    r.normal(scale=0.0, size=2)
    r.uniform()
    r.uniform(low=-2.0, high=3.0, size=4)
    r.uniform(low=5.0, high=1.0, size=3)
    r.random(2)
    r.standard_exponential(3)
    r.exponential(scale=2.5, size=3)
    r.randint(10, size=8)
    r.randint(-5, 5, size=6)
    r.randint(0, 1)
    r.randint(3, 4, size=3)  # a single value: no draws
    r.randint(7)
    r.randint(0, 2**8, size=5)
    r.randint(0, 2**16, size=5)
    r.randint(0, 2**31, size=5)
    r.randint(0, 2**32, size=5)  # range 0xffffffff
    r.randint(-100, 2**32 - 99, size=3)
    r.randint(0, 2**32 + 1, size=5)  # 64-bit draws from here on
    r.randint(0, 2**33 + 7, size=4)
    r.randint(-2**40, 2**40, size=4)
    r.randint(0, 2**50, size=5)
    r.randint(-2**49, 2**50, size=5)
    r.randint(0, 2**53, size=3)
    r.randint(-2**53, 0, size=3)
    r.randint(1000, 1003, size=10)
    r.randint(0, 2**50)
    r.permutation(10)
    r.permutation(1)
    r.permutation(0)
    r.permutation([0.5, -1.25, 3.0, 7.75, 2.0, 9.5])
    r.shuffle(list(range(12)))
    r.shuffle(list('abcdefg'))
    r.shuffle(np.arange(20).reshape(5, 4))  # rows
    r.shuffle(np.arange(2**33, 2**33 + 9))
    r.choice(5, 6)
    r.choice(5)
    r.choice(['a', 'b', 'c', 'd'], 3, False)
    r.choice(10, (2, 3), False)
    r.choice(3, None, False)
    r.choice(4, None, True, [0.1, 0.2, 0.3, 0.4])
    r.choice(4, 8, True, [0.1, 0.2, 0.3, 0.4])
    r.choice([10, 20, 30, 40, 50, 60], 4, False, [0.05, 0.25, 0.1, 0.3, 0.2, 0.1])
    r.choice(5, None, False, [0.1, 0.2, 0.3, 0.2, 0.2])
    r.choice(5, (2, 2), False, [0.1, 0.2, 0.3, 0.2, 0.2])
    # seed() clears the cached gaussian
    r.normal(size=1)
    r.state()
    r.seed(seed)
    r.normal(size=2)
    r.normal(size=300)
    r.state()


def main():
    scenarios = []

    seeds = [0, 1, 42, 2**32 - 1, 123456789, [0], [1, 2, 3], [2**32 - 1] * 5,
             list(range(700)), [5489, 0, 2**31, 77]]
    for seed in seeds:
        rs = np.random.RandomState(seed)
        r = Recorder(rs)
        battery(r, seed)
        scenarios.append({'name': f'battery seed={seed if isinstance(seed, int) else "array"+str(len(seed))}',
                          'seed': seed, 'global': False, 'ops': r.ops})

    # The lesson example, through the module-level functions.
    np.random.seed(42)
    r = Recorder(np.random)
    r.normal(scale=0.15, size=40)
    scenarios.append({'name': 'np.random.seed(42); np.random.normal(scale=0.15, size=40)',
                      'seed': 42, 'global': True, 'ops': r.ops})

    np.random.seed(0)
    r = Recorder(np.random)
    r.rand(3)
    r.randn(2, 2)
    r.randn()
    r.randint(0, 100, size=5)
    r.permutation(8)
    r.shuffle(list(range(6)))
    r.uniform(low=-1.0, high=1.0, size=3)
    r.choice(7, 4)
    r.standard_normal(3)
    r.seed(7)
    r.random_sample(2)
    r.state()
    scenarios.append({'name': 'module-level functions after np.random.seed(0)',
                      'seed': 0, 'global': True, 'ops': r.ops})

    # Bulk draws, hashed: many log() calls on both code paths, many rejections.
    rs = np.random.RandomState(2024)
    r = Recorder(rs)
    r.standard_normal(200001)
    r.random_sample(100000)
    r.normal(loc=0.5, scale=3.0, size=50000)
    r.standard_exponential(100000)
    r.randint(0, 1000, size=100000)
    r.randint(-7, 2**40 + 3, size=20000)
    r.permutation(5000)
    r.choice(50, 20000, True, (np.arange(50) + 1.0) / 1275.0)
    r.normal(size=1)
    r.state()
    scenarios.append({'name': 'bulk seed=2024', 'seed': 2024, 'global': False, 'ops': r.ops})

    out = {'numpy_version': np.__version__, 'scenarios': scenarios}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'numpy_random.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {path}: {len(scenarios)} scenarios')


if __name__ == '__main__':
    main()
