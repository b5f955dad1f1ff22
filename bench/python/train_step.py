"""Training steps per second of torchvision models, the PyTorch side of bench/train-step.ts.

/usr/bin/python3 bench/python/train_step.py ARCH PRECISION STEPS BS SIZE THREADS -> one JSON line.
PRECISION: fp32, or bf16 (CPU autocast to bfloat16 with channels-last).
"""
import json
import sys
import time

try:
    import torch
    import torchvision
except ImportError as e:
    print(f"torch/torchvision missing: {e}", file=sys.stderr)
    sys.exit(3)

arch, precision, steps, bs, size, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = getattr(torchvision.models, arch)()
model.train()
x = torch.randn(bs, 3, size, size)
y = torch.randint(0, 1000, (bs,))
if precision == "bf16":
    model = model.to(memory_format=torch.channels_last)
    x = x.contiguous(memory_format=torch.channels_last)
opt = torch.optim.SGD(model.parameters(), lr=0.01)


def step():
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
        out = model(x)
        loss = torch.nn.functional.cross_entropy(out, y)
    loss.backward()
    opt.step()


try:
    step()  # warm-up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
except Exception as e:  # PyTorch 1.13's CPU autocast fails on ConvNeXt's LayerNorm
    print(json.dumps({"error": str(e).splitlines()[0]}))
    sys.exit(0)
times.sort()
print(json.dumps({"ips": bs / times[len(times) // 2], "times": times}))
