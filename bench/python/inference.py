"""Inference images per second of torchvision models, the PyTorch side of bench/inference.ts.

/usr/bin/python3 bench/python/inference.py TV_ARCH PRECISION STEPS BS SIZE THREADS WEIGHTS_OUT -> one JSON line.
TV_ARCH is a key of test/golden/tv_to_timm.py's `build` (mobilenet_v3_large, regnet_y_400mf, vit_ti_16, ...);
the model's weights are written, under timm's names, to WEIGHTS_OUT (safetensors) so that owlet's side
runs the same weights. PRECISION: fp32, or bf16 (CPU autocast to bfloat16 with channels-last).
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "golden"))
try:
    import torch
    import tv_to_timm
    from make_models_golden import save_safetensors
except ImportError as e:
    print(f"torch/torchvision missing: {e}", file=sys.stderr)
    sys.exit(3)

arch, precision, steps, bs, size, threads, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
torch.set_num_threads(threads)
torch.manual_seed(0)
model, to_timm = tv_to_timm.build(arch)
tv_to_timm.timm_bn_eps(model)
model.eval()
if out != "-":
    save_safetensors(out, to_timm(model), {"format": "pt"})
x = torch.randn(bs, 3, size, size)
if precision == "bf16":
    model = model.to(memory_format=torch.channels_last)
    x = x.contiguous(memory_format=torch.channels_last)


def step():
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
        return model(x)


try:
    step()  # warm-up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
except Exception as e:
    print(json.dumps({"error": str(e).splitlines()[0]}))
    sys.exit(0)
print(json.dumps({"times": times}))
