"""PyTorch side of bench/ops.ts: ns per call of small ops on 3-element float32 tensors.

usage: python3 ops.py <threads> <calls> <reps>   ->  one line of JSON on stdout:
  {"version", "threads", "loop_ns": ns per empty loop iteration, "mul"|"add"|"sub_": [ns per call, one per rep]}
"""
import json
import statistics
import sys
import time

try:
    import torch
except ImportError:
    sys.exit(f"bench/python/ops.py: PyTorch is not installed for {sys.executable} (import torch failed)")

threads, calls, reps = (int(x) for x in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(0)
a = torch.randn(3, dtype=torch.float32)
b = torch.randn(3, dtype=torch.float32)


def loop_empty(n):
    for _ in range(n):
        pass


def loop_mul(n):
    for _ in range(n):
        a * b


def loop_add(n):
    for _ in range(n):
        a + b


def loop_sub_(n):
    for _ in range(n):
        a.sub_(b)


def per_call_ns(fn):
    fn(calls // 10)  # warm-up
    times = []
    for _ in range(reps):
        t = time.perf_counter_ns()
        fn(calls)
        times.append((time.perf_counter_ns() - t) / calls)
    return times


out = {"version": torch.__version__, "threads": torch.get_num_threads()}
out["loop_ns"] = statistics.median(per_call_ns(loop_empty))
for name, fn in (("mul", loop_mul), ("add", loop_add), ("sub_", loop_sub_)):
    out[name] = per_call_ns(fn)
print(json.dumps(out))
