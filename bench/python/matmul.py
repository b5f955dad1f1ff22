"""PyTorch side of bench/matmul.ts: n x n matmul GFLOP/s (2*n^3 flops each) in float32 and bfloat16.

usage: python3 matmul.py <n> <threads> <reps> [bf16|fp32-only]   ->  one line of JSON on stdout
"""
import json
import statistics
import sys
import time

try:
    import torch
except ImportError:
    sys.exit(f"bench/python/matmul.py: PyTorch is not installed for {sys.executable} (import torch failed)")

n, threads, reps = (int(x) for x in sys.argv[1:4])
with_bf16 = len(sys.argv) < 5 or sys.argv[4] == "bf16"
torch.set_num_threads(threads)
torch.manual_seed(0)
out = {"version": torch.__version__, "threads": torch.get_num_threads()}
for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16))[: 2 if with_bf16 else 1]:
    a = torch.randn(n, n, dtype=dtype)
    b = torch.randn(n, n, dtype=dtype)
    a @ b  # warm-up
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    out[name] = 2 * n**3 / statistics.median(times) / 1e9
print(json.dumps(out))
